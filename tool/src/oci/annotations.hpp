// The annotation keys we read and write, spelled once (OCI image spec, annotations.md).
#pragma once

#include <string_view>

namespace ko::annotation {

// An index.json entry's tag: `oci-layout:<dir>:<tag>` bases are looked up by it.
inline constexpr std::string_view kRefName = "org.opencontainers.image.ref.name";
// The base an image was built on (registry bases only): publish mounts its blobs from there.
inline constexpr std::string_view kBaseName = "org.opencontainers.image.base.name";
inline constexpr std::string_view kBaseDigest = "org.opencontainers.image.base.digest";

}  // namespace ko::annotation
