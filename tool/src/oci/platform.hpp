// A target platform, "os/architecture[/variant]" as in OCI image indexes and `docker
// --platform`. How it maps to the Go toolchain (GOOS/GOARCH/GOARM/GOAMD64) is in
// gobuild/go_build.hpp, to ELF headers in gobuild/elf.hpp; which index entry serves it in
// oci/select_platform.hpp.
#pragma once

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

  // Every Linux architecture we can build for, e.g. for the built-in base image.
  static std::vector<std::string> known_architectures();

  bool operator==(const Platform&) const = default;
};

}  // namespace ko
