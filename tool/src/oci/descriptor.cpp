#include "oci/descriptor.hpp"

#include "oci/annotations.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

Descriptor Descriptor::from_json(const json::Value& value, std::string_view what) {
  const std::string context(what);
  if (!value.is_object()) throw Error(context + ": a descriptor must be a JSON object");
  Descriptor d;
  const json::Value* media_type = value.get("mediaType");
  const json::Value* digest = value.get("digest");
  const json::Value* size = value.get("size");
  if (!media_type || !digest || !size)
    throw Error(context + ": descriptor needs mediaType, digest and size");
  d.media_type = media_type->as_string(context + " mediaType");
  d.digest = Digest::parse(digest->as_string(context + " digest"));
  d.size = size->as_int(context + " size");
  if (d.size < 0) throw Error(context + ": negative size");
  if (const json::Value* platform = value.get("platform")) {
    if (!platform->is_object() && !platform->is_null())
      throw Error(context + ": platform must be a JSON object");
    d.platform = *platform;
  }
  if (const json::Value* annotations = value.get("annotations")) {
    for (const auto& [key, item] : annotations->as_object(context + " annotations"))
      d.annotations[key] = item.as_string(context + " annotation " + key);
  }
  return d;
}

json::Value Descriptor::to_json() const {
  json::Value v;
  v["mediaType"] = media_type;
  v["digest"] = digest.str();
  v["size"] = size;
  if (!platform.is_null()) v["platform"] = platform;
  if (!annotations.empty()) v["annotations"] = annotation::to_json(annotations);
  return v;
}

Descriptor read_descriptor_file(const std::filesystem::path& path) {
  return Descriptor::from_json(json::parse(read_file(path), path.string()), path.string());
}

}  // namespace ko
