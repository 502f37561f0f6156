#include "signing/simple_signing.hpp"

#include "oci/documents.hpp"
#include "oci/media_types.hpp"
#include "util/error.hpp"

namespace ko::simple_signing {

namespace {

// go-containerregistry's zero time, which its empty image's config and history carry.
constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";

// The config of go-containerregistry's empty image after mutate.Append of `layers`: one
// diff_id (the uncompressed payload's digest, which is its digest) and one empty history
// entry per layer. Fields and values as Go writes them; keys in our canonical order.
std::string config_for(const json::Array& layers) {
  json::Array diff_ids, history;
  for (const json::Value& layer : layers) {
    diff_ids.push_back(layer.get_string("digest"));
    json::Value entry;
    entry["created"] = std::string(kZeroTime);
    history.push_back(entry);
  }
  json::Value config;
  config["architecture"] = "";
  config["os"] = "";
  config["created"] = std::string(kZeroTime);
  config["config"] = json::Object{};
  config["history"] = history;
  config["rootfs"]["type"] = "layers";
  config["rootfs"]["diff_ids"] = diff_ids;
  return json::dump(config);
}

SignatureManifest manifest_for(const json::Array& layers, std::string_view config_media_type,
                               const Descriptor* subject) {
  SignatureManifest out;
  out.config = config_for(layers);
  json::Value manifest;
  manifest["schemaVersion"] = 2;
  manifest["mediaType"] = std::string(media_type::kOciManifest);
  manifest["config"] = Descriptor{.media_type = std::string(config_media_type),
                                  .digest = Digest::of_bytes(out.config),
                                  .size = static_cast<int64_t>(out.config.size())}
                           .to_json();
  manifest["layers"] = layers;
  if (subject)
    manifest["subject"] =
        Descriptor{
            .media_type = subject->media_type, .digest = subject->digest, .size = subject->size}
            .to_json();
  out.manifest = json::dump(manifest);
  return out;
}

}  // namespace

std::string signature_tag(const Digest& subject) {
  return "sha256-" + subject.hex() + ".sig";
}

std::string docker_reference(const Reference& repository) {
  const std::string registry =
      repository.registry == "docker.io" ? "index.docker.io" : repository.registry;
  return registry + "/" + repository.repository;
}

std::string payload(std::string_view docker_reference, const Digest& subject) {
  json::Value value;
  value["critical"]["identity"]["docker-reference"] = std::string(docker_reference);
  value["critical"]["image"]["docker-manifest-digest"] = subject.str();
  value["critical"]["type"] = std::string(kSignatureType);
  value["optional"] = nullptr;
  // Canonical order (sorted keys) is also the order Go writes the struct fields in.
  return json::dump(value);
}

Claim parse_payload(std::string_view payload) {
  json::Value value = json::parse(payload, "signature payload");
  const json::Value* critical = value.get("critical");
  if (!critical || !critical->is_object())
    throw Error("the signature payload has no critical section");
  if (critical->get_string("type") != kSignatureType)
    throw Error("the signature payload is of type '" + critical->get_string("type") + "', not '" +
                std::string(kSignatureType) + "'");
  const json::Value* identity = critical->get("identity");
  const json::Value* image = critical->get("image");
  return Claim{
      .docker_reference = identity ? identity->get_string("docker-reference") : "",
      .manifest_digest = image ? image->get_string("docker-manifest-digest") : "",
  };
}

json::Value signature_layer(std::string_view payload, std::string_view signature_base64) {
  Descriptor layer{.media_type = std::string(kPayloadMediaType),
                   .digest = Digest::of_bytes(payload),
                   .size = static_cast<int64_t>(payload.size())};
  layer.annotations[std::string(kSignatureAnnotation)] = std::string(signature_base64);
  return layer.to_json();
}

Descriptor SignatureManifest::descriptor() const {
  return Descriptor{.media_type = std::string(media_type::kOciManifest),
                    .digest = Digest::of_bytes(manifest),
                    .size = static_cast<int64_t>(manifest.size())};
}

SignatureManifest tag_manifest(const json::Array& layers) {
  return manifest_for(layers, media_type::kOciConfig, nullptr);
}

SignatureManifest referrer_manifest(const json::Array& layers, const Descriptor& subject) {
  return manifest_for(layers, kReferrerArtifactType, &subject);
}

json::Array layers_of(std::string_view body, const std::string& what) {
  return Manifest::parse(std::string(body), what).layers_json();  // each layer checked
}

bool holds(const json::Array& layers, const json::Value& layer) {
  const std::string digest = layer.get_string("digest");
  const json::Value* ours = layer.get("annotations");
  const std::string signature = ours ? ours->get_string(std::string(kSignatureAnnotation)) : "";
  for (const json::Value& existing : layers) {
    const json::Value* annotations = existing.get("annotations");
    if (existing.get_string("digest") == digest && annotations &&
        annotations->get_string(std::string(kSignatureAnnotation)) == signature)
      return true;
  }
  return false;
}

}  // namespace ko::simple_signing
