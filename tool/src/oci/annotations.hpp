// The annotation keys we read and write, spelled once (OCI image spec, annotations.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.hpp"
#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"

namespace ko::annotation {

// An index.json entry's tag: `oci-layout:<dir>:<tag>` bases are looked up by it.
inline constexpr std::string_view kRefName = "org.opencontainers.image.ref.name";
// The base an image was built on (registry bases only): publish mounts its blobs from there.
inline constexpr std::string_view kBaseName = "org.opencontainers.image.base.name";
inline constexpr std::string_view kBaseDigest = "org.opencontainers.image.base.digest";

// The `annotations` member of a descriptor, manifest or index.
json::Object to_json(const std::map<std::string, std::string>& annotations);

// The kBaseName of the image `top` (an index: of its first image), read from `store`;
// nullopt when it has none (scratch, an oci-layout or the static base).
std::optional<std::string> base_name_of(const BlobStore& store, const Descriptor& top);

}  // namespace ko::annotation
