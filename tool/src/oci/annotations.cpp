#include "oci/annotations.hpp"

#include "oci/documents.hpp"
#include "oci/media_types.hpp"

namespace ko::annotation {

json::Object to_json(const std::map<std::string, std::string>& annotations) {
  json::Object object;
  for (const auto& [key, value] : annotations) object[key] = value;
  return object;
}

std::optional<std::string> base_name_of(const BlobStore& store, const Descriptor& top) {
  Descriptor image = top;
  if (media_type::is_index(top.media_type)) {
    const Index index = read_index(store, top, "index");
    if (index.manifests.empty()) return std::nullopt;
    image = index.manifests.front();
  }
  const Manifest manifest = read_manifest(store, image, "manifest");
  const auto name = manifest.annotations.find(std::string(kBaseName));
  if (name == manifest.annotations.end() || name->second.empty()) return std::nullopt;
  return name->second;
}

}  // namespace ko::annotation
