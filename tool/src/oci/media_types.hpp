// Media types of the two families an image can use. A manifest never mixes them: the
// layers we append follow the family of the base image (OCI unless the base is Docker v2).
#pragma once

#include <string>
#include <string_view>

namespace ko::media_type {

inline constexpr std::string_view kOciLayout = "1.0.0";

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
// Docker schema 2 has no zstd layer type: zstd layers need an OCI image.
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";

enum class Family { kOci, kDocker };

inline bool is_index(std::string_view type) {
  return type == kOciIndex || type == kDockerManifestList;
}
inline bool is_manifest(std::string_view type) {
  return type == kOciManifest || type == kDockerManifest;
}

inline Family family_of(std::string_view manifest_or_index_type) {
  return manifest_or_index_type == kDockerManifest || manifest_or_index_type == kDockerManifestList
             ? Family::kDocker
             : Family::kOci;
}

inline std::string_view manifest_type(Family f) {
  return f == Family::kOci ? kOciManifest : kDockerManifest;
}
inline std::string_view index_type(Family f) {
  return f == Family::kOci ? kOciIndex : kDockerManifestList;
}
inline std::string_view config_type(Family f) {
  return f == Family::kOci ? kOciConfig : kDockerConfig;
}
// The type of a gzip layer in family f.
inline std::string_view layer_type(Family f) {
  return f == Family::kOci ? kOciLayerGzip : kDockerLayerGzip;
}

}  // namespace ko::media_type
