// The base an image is built on, for one platform.
//
// Accepted references:
//   scratch                       no base layers
//   oci-layout:<dir>              an OCI image layout; its only entry, or the platform's
//   oci-layout:<dir>:<tag>        the entry whose org.opencontainers.image.ref.name is <tag>
//   oci-layout:<dir>@sha256:<hex> the entry (or index child) with that digest
//   anything else                 a registry reference (see registry/remote_base.hpp)
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "json/json.hpp"
#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "oci/documents.hpp"
#include "oci/media_types.hpp"
#include "oci/platform.hpp"

namespace ko {

struct BaseReference {
  enum class Kind { kScratch, kOciLayout, kRegistry };
  Kind kind = Kind::kScratch;
  std::string text;  // kRegistry: the reference as written
  std::filesystem::path layout_dir;
  std::string tag;
  std::optional<Digest> digest;

  static BaseReference parse(std::string_view text);
};

struct BaseImage {
  media_type::Family family = media_type::Family::kOci;
  std::optional<Manifest> manifest;   // none for scratch
  std::optional<ImageConfig> config;  // none for scratch
  // The chosen child's platform object when the base came from an index (it may carry
  // os.version/features worth passing on); null otherwise.
  json::Value index_platform;
  std::optional<BlobStore> blobs;  // where the base's layers live; empty for scratch
  // For registry bases: the reference (without digest) and the chosen manifest's digest,
  // recorded as org.opencontainers.image.base.name/.base.digest annotations.
  std::string name;
  std::optional<Digest> manifest_digest;

  bool is_scratch() const { return !manifest; }
  // The base's layer descriptors as it wrote them (none for scratch): what our manifest copies.
  json::Array layers_json() const { return manifest ? manifest->layers_json() : json::Array{}; }
};

// Loads the base for `platform`. Errors name the reference and what is wrong (no entry
// for the platform, a manifest for another architecture, a missing blob).
BaseImage load_base_image(const BaseReference& reference, const Platform& platform);

// The base from a manifest or index `entry` whose blobs are all in `blobs` (an OCI
// layout or the registry cache): for an index, the child serving `platform`.
BaseImage base_from_store(const BlobStore& blobs, const Descriptor& entry, const Platform& platform,
                          const std::string& name);

}  // namespace ko
