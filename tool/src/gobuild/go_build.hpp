// The go-build step: a hermetic, static `go build` of one package for one platform,
// plus the list of files it read (for Ninja's depfile).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/platform.hpp"
#include "util/subprocess.hpp"

namespace ko {

struct GoBuildRequest {
  std::filesystem::path go;          // the go executable
  std::filesystem::path module_dir;  // where go.mod is; the working directory
  std::string package;               // "./cmd/hello" or a full import path
  Platform platform;
  std::filesystem::path output;
  std::filesystem::path depfile;     // may be empty
  std::filesystem::path ninja_dir;   // paths under it go into the depfile relative to it
  std::vector<std::string> ldflags;  // one flag per item, joined with Go's quoting
  std::vector<std::string> goflags;  // extra build flags for both go build and go list
  // The caller's environment; hermetic_go_environment keeps only what locates things.
  Environment ambient;

  // cgo against libraries of the CMake build: the compilers and flags come from CMake, not
  // from the ambient environment. The binary is linked statically (external linker,
  // -static, netgo/osusergo) so it runs on a base without a C library.
  struct Cgo {
    std::string cc, cxx;
    std::string cflags, ldflags;  // CGO_CFLAGS, CGO_LDFLAGS
  };
  std::optional<Cgo> cgo;
};

struct GoBuildResult {
  bool output_changed = false;  // false: identical bytes, output left untouched
  std::vector<std::filesystem::path> inputs;
};

// The target of `go build` for `platform`: GOOS, GOARCH and, from the variant, GOARM
// (arm/v7 → 7) or GOAMD64 (amd64/v3 → v3); arm64's only variant, v8, is Go's default.
std::map<std::string, std::string> go_target_environment(const Platform& platform);

// The environment `go` runs with: only what locates the toolchain, its caches, module
// proxies and credentials passes through from `ambient`; GOFLAGS, GOOS/GOARCH, CGO_*
// and the like do not. CGO_ENABLED=0 and the platform's GOOS/GOARCH/GOARM/GOAMD64 are
// set. GOTOOLCHAIN defaults to "local" so a build never downloads a toolchain.
Environment hermetic_go_environment(const Environment& ambient, const Platform& platform);

// Joins ldflags into one -ldflags value, quoting items with spaces as Go's flag parser reads.
std::string join_ldflags(const std::vector<std::string>& ldflags);

// The files and directories a build read, from `go list -deps -json` output: sources,
// embedded files and the package directories of every package outside the module
// cache, and go.mod/go.sum of the modules they belong to.
std::vector<std::filesystem::path> inputs_from_go_list(std::string_view go_list_json);

// Runs the step. A Go compile error is printed by Go itself; this throws a one-line
// summary after it.
GoBuildResult go_build(const GoBuildRequest& request);

}  // namespace ko
