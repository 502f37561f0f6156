// What `go list` said a build read, kept between runs so an edit that cannot change it
// skips the `go list` (20–40 ms of CPU beside go build on two cores).
//
// `go list -deps` depends on the files' import sections, not their code: Go requires every
// import before the first other top-level declaration, and build constraints, the package
// clause and the cgo preamble come before the imports too. So the answer is reused when a
// fingerprint of exactly what it depends on is unchanged: the go command's arguments and
// environment, the toolchain's identity, every listed directory's entries (a new, removed
// or renamed file), go.mod/go.sum/vendor/modules.txt in full, and each Go source up to its
// first func/type/var/const declaration — or all of it when it imports "embed", whose
// //go:embed patterns may stand anywhere. Any doubt (an unterminated comment, no
// declaration in the file) counts the whole file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/subprocess.hpp"

namespace ko {

// The bytes of a Go source file that `go list` reads: see above.
std::string_view go_list_relevant_part(std::string_view source);

// A hex SHA-256 of what `go list` (run as `list_command` in `environment`) would answer
// from, for the given inputs (a previous answer of it).
std::string listed_inputs_fingerprint(const std::vector<std::filesystem::path>& inputs,
                                      const std::vector<std::string>& list_command,
                                      const Environment& environment);

struct ListedInputs {
  std::string fingerprint;
  std::vector<std::filesystem::path> inputs;
};

// Reads a cache file written by write_listed_inputs; nullopt when missing or not ours.
std::optional<ListedInputs> read_listed_inputs(const std::filesystem::path& file);
// Writes it atomically. Paths with a newline cannot be stored: then nothing is kept.
void write_listed_inputs(const std::filesystem::path& file, const ListedInputs& listed);

}  // namespace ko
