#include "registry/referrers.hpp"

#include <memory>

#include "json/json.hpp"
#include "oci/media_types.hpp"
#include "registry/push.hpp"
#include "registry/registry_error.hpp"
#include "registry/transport.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kEmptyType = "application/vnd.oci.empty.v1+json";

// The artifact manifest: an empty config, the content as its one layer, and the subject.
std::string artifact_manifest(const Attachment& a) {
  const std::string empty = "{}";
  json::Value manifest;
  manifest["schemaVersion"] = 2;
  manifest["mediaType"] = std::string(media_type::kOciManifest);
  manifest["artifactType"] = a.artifact_type;
  manifest["config"] =
      Descriptor{
          .media_type = std::string(kEmptyType), .digest = Digest::of_bytes(empty), .size = 2}
          .to_json();
  manifest["layers"] = json::Array{Descriptor{.media_type = a.artifact_type,
                                              .digest = Digest::of_bytes(a.content),
                                              .size = static_cast<int64_t>(a.content.size())}
                                       .to_json()};
  manifest["subject"] =
      Descriptor{
          .media_type = a.subject.media_type, .digest = a.subject.digest, .size = a.subject.size}
          .to_json();
  return json::dump(manifest);
}

// The referrers tag schema of the distribution spec: without the referrers API, the
// referrers of `sha256:<hex>` are the manifests listed by the image index tagged
// `sha256-<hex>`; `current` is that index as served (empty when there is none yet).
// Returns it with `artifact` appended, entries other clients put there kept as they are.
std::string referrers_index_with(const std::string& current, const Attachment& a,
                                 const Digest& artifact, int64_t artifact_size) {
  json::Value index;
  if (current.empty()) {
    index["schemaVersion"] = 2;
    index["mediaType"] = std::string(media_type::kOciIndex);
    index["manifests"] = json::Array{};
  } else {
    index = json::parse(current, "the referrers index");
    if (!index.get("manifests")) index["manifests"] = json::Array{};
  }
  json::Value entry = Descriptor{.media_type = std::string(media_type::kOciManifest),
                                 .digest = artifact,
                                 .size = artifact_size}
                          .to_json();
  entry["artifactType"] = a.artifact_type;
  index["manifests"].as_array("the referrers index's manifests").push_back(std::move(entry));
  return json::dump(index);
}

// The referrers tag of the distribution spec: the index of `subject`'s referrers on
// registries without the referrers API.
std::string referrers_tag(const Descriptor& subject) {
  return "sha256-" + subject.digest.hex();
}

HttpRequest get_referrers_index(RegistrySession& session, const Descriptor& subject) {
  HttpRequest get{
      .url = session.url(session.reference().repository + "/manifests/" + referrers_tag(subject))};
  get.headers.push_back("Accept: " + std::string(media_type::kOciIndex));
  return get;
}

bool lists(const HttpResponse& r, const Digest& artifact) {
  return r.ok() && r.body.find(artifact.str()) != std::string::npos;
}

// Whether the registry answered the referrers API (OCI 1.1: an index, even an empty one;
// registries without it say 404).
bool is_referrers_api(const HttpResponse& r) {
  return r.ok() && r.header("content-type").starts_with(media_type::kOciIndex);
}

// What the registry holds: the subject's referrers (the API), else the referrers index.
RequestSequence look(Attachment& a) {
  RegistrySession& session = *a.client;
  return RequestSequence({HttpRequest{.url = session.url(session.reference().repository +
                                                         "/referrers/" + a.subject.digest.str())},
                          get_referrers_index(session, a.subject)},
                         is_referrers_api);
}

// Adds the artifact to the referrers index (GET, then PUT unless it lists it already). The
// index is read, extended and written back without a lock: two clients attaching to the
// same image at the same moment can lose one entry (the spec offers nothing better);
// publish attaches one artifact per image.
class ReferrersIndexUpdate : public RequestChain {
 public:
  explicit ReferrersIndexUpdate(Attachment& a) : a_(a) {}

  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    RegistrySession& session = *a_.client;
    const std::string tag = referrers_tag(a_.subject);
    if (!previous) return get_referrers_index(session, a_.subject);
    const HttpResponse& r = *previous;
    if (put_) {
      if (!r.ok())
        a_.error = RegistryError(session.reference().registry, r,
                                 "the registry rejected the referrers index " + tag)
                       .what();
      return std::nullopt;
    }
    if (lists(r, a_.result.manifest)) return std::nullopt;
    if (r.status != 404 && !r.ok()) {
      a_.error =
          RegistryError(session.reference().registry, r, "reading the referrers index " + tag)
              .what();
      return std::nullopt;
    }
    put_ = true;
    HttpRequest put{.method = "PUT",
                    .url = session.url(session.reference().repository + "/manifests/" + tag)};
    put.headers.push_back("Content-Type: " + std::string(media_type::kOciIndex));
    put.body =
        referrers_index_with(r.ok() ? r.body : "", a_, a_.result.manifest, a_.result.manifest_size);
    return put;
  }

 private:
  Attachment& a_;
  bool put_ = false;
};

}  // namespace

// Per artifact: look (the referrers API lists it, or the referrers index does: done); push
// the artifact manifest and its two blobs (the empty config, the content) through
// push_images, tagged `sha256-<hex>.<suffix>` (cosign's naming) on registries without the
// API; there, add it to the spec's `sha256-<hex>` referrers index too (read by oras and
// other OCI 1.1 clients).
void attach_artifacts(std::vector<Attachment>& attachments, int parallelism) {
  if (attachments.empty()) return;
  const std::vector<RequestSequence> looks = run_sequences(
      attachments, [](Attachment& a) { return look(a); }, parallelism);

  ScratchBlobStore scratch;
  std::vector<ImagePush> pushes;
  std::vector<Attachment*> pushed;
  for (size_t i = 0; i < attachments.size(); ++i) {
    Attachment& a = attachments[i];
    const std::string manifest = artifact_manifest(a);
    a.result = AttachResult{.manifest = Digest::of_bytes(manifest),
                            .manifest_size = static_cast<int64_t>(manifest.size()),
                            .fallback_tag = referrers_tag(a.subject) + "." + a.tag_suffix};
    const std::vector<HttpResponse>& seen = looks[i].responses();
    a.result.via_referrers_api = is_referrers_api(seen.front());
    if (lists(seen.back(), a.result.manifest)) {
      a.result.already_present = true;
      continue;
    }
    scratch.store().put("{}");
    scratch.store().put(a.content);
    scratch.store().put(manifest);
    PushOptions options;
    if (!a.result.via_referrers_api) options.tags = {a.result.fallback_tag};
    pushes.push_back(
        ImagePush{.client = a.client,
                  .store = &scratch.store(),
                  .top = Descriptor{.media_type = std::string(media_type::kOciManifest),
                                    .digest = a.result.manifest,
                                    .size = a.result.manifest_size},
                  .options = options});
    pushed.push_back(&a);
  }
  push_images(pushes, parallelism);

  std::vector<std::unique_ptr<ReferrersIndexUpdate>> updates;
  std::vector<ChainRun> runs;
  for (size_t i = 0; i < pushes.size(); ++i) {
    Attachment& a = *pushed[i];
    if (!pushes[i].error.empty()) {
      a.error = pushes[i].error;
    } else if (!a.result.via_referrers_api) {
      updates.push_back(std::make_unique<ReferrersIndexUpdate>(a));
      runs.push_back(a.client->chain(*updates.back()));
    }
  }
  run_chains(attachments.front().client->http(), runs, parallelism);
}

}  // namespace ko
