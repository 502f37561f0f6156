// A target platform, "os/architecture[/variant]" as in OCI image indexes and `docker
// --platform`, and how it maps to the Go toolchain (GOOS/GOARCH/GOARM/GOAMD64) and ELF.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.hpp"

namespace ko {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;  // may be empty

  // Parses and validates "linux/arm64", "linux/arm/v7", "linux/amd64/v3". Throws
  // ko::Error naming the text and listing what is accepted.
  static Platform parse(std::string_view text);
  static Platform from_json(const json::Value& platform);

  std::string str() const;   // "linux/arm/v7"
  std::string slug() const;  // "linux-arm-v7": usable in file names
  json::Value to_json() const;

  // Whether an index entry's platform serves this requested platform: os and
  // architecture exact; the variant only when requested (arm64's "v8" is its default).
  bool satisfied_by(const Platform& candidate) const;

  // Environment for `go build`: GOOS, GOARCH and GOARM/GOAMD64 from the variant.
  std::map<std::string, std::string> go_environment() const;
  // The ELF e_machine and byte order a binary for this platform must carry.
  struct ElfIdentity {
    int machine;
    bool big_endian;
  };
  ElfIdentity elf_identity() const;

  // Every Linux architecture we can build for, e.g. for the built-in base image.
  static std::vector<std::string> known_architectures();

  bool operator==(const Platform&) const = default;
};

}  // namespace ko
