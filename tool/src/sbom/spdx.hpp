// SPDX 2.3 JSON SBOMs of Go binaries, from the build information Go embeds in every binary
// (`go version -m`): the main module, each dependency with its version and go.sum hash,
// the Go version and the build settings. Deterministic: the only time in it is `created`,
// from SOURCE_DATE_EPOCH (else 1970-01-01).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ko {

struct GoModule {
  std::string path, version, sum;  // sum: the go.sum "h1:" hash; empty for the main module
};

struct GoBuildInfo {
  std::string go_version;  // "go1.22.5"
  std::string package;     // main package import path
  GoModule main;
  std::vector<GoModule> dependencies;  // replacements already applied
  std::vector<std::string> settings;   // "CGO_ENABLED=0", "-trimpath=true", …
};

// Parses `go version -m <binary>` output.
GoBuildInfo parse_go_version_m(std::string_view text);

// Fills in the hashes `go version -m` leaves out — every dependency of a -mod=vendor build
// has none — from the main module's go.sum text (the `<path> <version> h1:…` lines).
void add_go_sum_hashes(GoBuildInfo& info, std::string_view go_sum);

// The SPDX document (canonical JSON). `namespace_id` makes documentNamespace unique per
// image and platform, e.g. the binary's digest.
std::string spdx_document(const GoBuildInfo& info, const std::string& platform,
                          const std::string& namespace_id, const std::string& created,
                          const std::string& tool_version);

}  // namespace ko
