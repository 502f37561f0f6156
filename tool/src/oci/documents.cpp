#include "oci/documents.hpp"

#include "oci/select_platform.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

json::Value parse_object(const std::string& bytes, const std::string& what) {
  json::Value document = json::parse(bytes, what);
  if (!document.is_object()) throw Error(what + ": not a JSON object");
  return document;
}

const json::Value& required(const json::Value& document, std::string_view member,
                            const std::string& what) {
  const json::Value* value = document.get(member);
  if (!value) throw Error(what + ": \"" + std::string(member) + "\" is missing");
  return *value;
}

std::string member_name(std::string_view member, const std::string& what) {
  return what + ": \"" + std::string(member) + "\"";
}

std::string optional_string(const json::Value& document, std::string_view member,
                            const std::string& what) {
  const json::Value* value = document.get(member);
  return value ? value->as_string(member_name(member, what)) : "";
}

std::vector<Descriptor> descriptors(const json::Value& document, std::string_view member,
                                    const std::string& what) {
  const std::string name = member_name(member, what);
  std::vector<Descriptor> out;
  const json::Array& items = required(document, member, what).as_array(name);
  for (size_t i = 0; i < items.size(); ++i)
    out.push_back(Descriptor::from_json(
        items[i], what + " " + std::string(member) + "[" + std::to_string(i) + "]"));
  return out;
}

std::map<std::string, std::string> annotations_of(const json::Value& document,
                                                  const std::string& what) {
  std::map<std::string, std::string> out;
  const json::Value* value = document.get("annotations");
  if (!value) return out;
  for (const auto& [key, item] : value->as_object(member_name("annotations", what)))
    out[key] = item.as_string(what + ": annotation " + key);
  return out;
}

}  // namespace

Manifest Manifest::parse(std::string bytes, std::string_view what_view) {
  const std::string what(what_view);
  Manifest m;
  m.document = parse_object(bytes, what);
  m.media_type = optional_string(m.document, "mediaType", what);
  m.config = Descriptor::from_json(required(m.document, "config", what), what + " config");
  m.layers = descriptors(m.document, "layers", what);
  if (const json::Value* subject = m.document.get("subject"))
    m.subject = Descriptor::from_json(*subject, what + " subject");
  m.annotations = annotations_of(m.document, what);
  m.bytes = std::move(bytes);
  return m;
}

const json::Array& Manifest::layers_json() const {
  return document.get("layers")->as_array();  // checked by parse
}

Index Index::parse(std::string bytes, std::string_view what_view) {
  const std::string what(what_view);
  Index index;
  index.document = parse_object(bytes, what);
  index.media_type = optional_string(index.document, "mediaType", what);
  index.manifests = descriptors(index.document, "manifests", what);
  index.annotations = annotations_of(index.document, what);
  index.bytes = std::move(bytes);
  return index;
}

const Descriptor* Index::manifest_for(const Platform& platform) const {
  return select_platform(manifests, platform);
}

ImageConfig ImageConfig::parse(std::string bytes, std::string_view what_view) {
  const std::string what(what_view);
  ImageConfig config;
  config.document = parse_object(bytes, what);
  config.platform.os = required(config.document, "os", what).as_string(member_name("os", what));
  config.platform.architecture =
      required(config.document, "architecture", what).as_string(member_name("architecture", what));
  config.platform.variant = optional_string(config.document, "variant", what);
  config.bytes = std::move(bytes);
  return config;
}

Manifest read_manifest(const BlobStore& store, const Descriptor& descriptor,
                       std::string_view what) {
  return Manifest::parse(store.read_verified(descriptor.digest), what);
}

Index read_index(const BlobStore& store, const Descriptor& descriptor, std::string_view what) {
  return Index::parse(store.read_verified(descriptor.digest), what);
}

ImageConfig read_config(const BlobStore& store, const Descriptor& descriptor,
                        std::string_view what) {
  return ImageConfig::parse(store.read_verified(descriptor.digest), what);
}

}  // namespace ko
