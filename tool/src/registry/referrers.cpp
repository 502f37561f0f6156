#include "registry/referrers.hpp"

#include <memory>

#include "json/json.hpp"
#include "oci/media_types.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kEmptyType = "application/vnd.oci.empty.v1+json";
constexpr int kMaxAttempts = 5;

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

// Attaches one artifact:
//   look: GET the subject's referrers (the API), else GET the referrers tag's index —
//     lists the artifact already: done;
//   each blob (the empty config, the content): HEAD, else POST + PUT;
//   PUT the manifest by digest; a registry with the referrers API now lists it; else PUT
//   the `sha256-<hex>.<suffix>` tag (cosign's naming, read by cosign-style tools) and add
//   the artifact to the spec's `sha256-<hex>` referrers index (read by oras and other OCI
//   1.1 clients). That index is read, extended and written back without a lock: two
//   clients attaching to the same image at the same moment can lose one entry (the spec
//   offers nothing better); publish attaches one artifact per image.
class ArtifactAttach : public HttpJob {
 public:
  explicit ArtifactAttach(Attachment& a) : a_(a), manifest_(artifact_manifest(a)) {
    a_.result = AttachResult{.manifest = Digest::of_bytes(manifest_),
                             .manifest_size = static_cast<int64_t>(manifest_.size())};
    a_.result.fallback_tag = referrers_tag() + "." + a_.tag_suffix;
    blobs_ = {"{}", a_.content};
  }

  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return send(State::kLook, list_referrers());
    const HttpResponse& r = *previous;
    if (is_retryable(r) && ++attempt_ < kMaxAttempts) {
      HttpRequest again = last_;
      again.delay = retry_delay(r, attempt_);
      return again;
    }
    attempt_ = 0;
    switch (state_) {
      case State::kLook:
        if (listed(r)) return done(/*via_referrers_api=*/true, /*already_present=*/true);
        return send(State::kLookTag, get_referrers_index());
      case State::kLookTag:
        if (listed(r)) return done(false, /*already_present=*/true);
        return send(State::kBlobHead, head_blob());
      case State::kBlobHead:
        if (r.status == 200) return next_blob();
        return send(
            State::kBlobStart,
            HttpRequest{.method = "POST", .url = client().url(repository() + "/blobs/uploads/")});
      case State::kBlobStart:
        if (r.status != 202) return fail("starting an upload: " + describe_error(r));
        return send(State::kBlobPut, put_blob(resolve_url(r.url, r.header("location"))));
      case State::kBlobPut:
        if (r.status != 201)
          return fail("uploading blob " + Digest::of_bytes(blobs_[blob_]).str() + ": " +
                      describe_error(r));
        return next_blob();
      case State::kManifest:
        if (!r.ok())
          return fail("the registry rejected the artifact manifest: " + describe_error(r));
        return send(State::kRelook, list_referrers());
      case State::kRelook:
        // A registry with the referrers API lists the artifact now; otherwise tag it.
        if (listed(r)) return done(true, false);
        return send(State::kTag, put_manifest(a_.result.fallback_tag));
      case State::kTag:
        if (!r.ok())
          return fail("the registry rejected the artifact manifest: " + describe_error(r));
        return send(State::kIndexGet, get_referrers_index());
      case State::kIndexGet:
        if (listed(r)) return done(false, false);
        if (r.status != 404 && !r.ok())
          return fail("reading the referrers index " + referrers_tag() + ": " + describe_error(r));
        return send(State::kIndexPut, put_referrers_index(referrers_index_with(
                                          r.ok() ? r.body : "", a_, a_.result.manifest,
                                          static_cast<int64_t>(manifest_.size()))));
      case State::kIndexPut:
        if (!r.ok())
          return fail("the registry rejected the referrers index " + referrers_tag() + ": " +
                      describe_error(r));
        return done(false, false);
    }
    return std::nullopt;
  }

 private:
  enum class State {
    kLook,
    kLookTag,
    kBlobHead,
    kBlobStart,
    kBlobPut,
    kManifest,
    kRelook,
    kTag,
    kIndexGet,
    kIndexPut
  };

  RegistryClient& client() const { return *a_.client; }
  const std::string& repository() const { return a_.client->reference().repository; }

  std::optional<HttpRequest> send(State state, HttpRequest request) {
    state_ = state;
    last_ = client().with_auth(std::move(request));
    return last_;
  }

  HttpRequest list_referrers() const {
    return HttpRequest{.url = client().url(repository() + "/referrers/" + a_.subject.digest.str())};
  }
  bool listed(const HttpResponse& r) const {
    return r.ok() && r.body.find(a_.result.manifest.str()) != std::string::npos;
  }

  std::string referrers_tag() const { return "sha256-" + a_.subject.digest.hex(); }

  HttpRequest get_referrers_index() const {
    HttpRequest get{.url = client().url(repository() + "/manifests/" + referrers_tag())};
    get.headers.push_back("Accept: " + std::string(media_type::kOciIndex));
    return get;
  }

  HttpRequest put_referrers_index(std::string index) const {
    HttpRequest put{.method = "PUT",
                    .url = client().url(repository() + "/manifests/" + referrers_tag())};
    put.headers.push_back("Content-Type: " + std::string(media_type::kOciIndex));
    put.body = std::move(index);
    return put;
  }

  HttpRequest head_blob() const {
    return HttpRequest{
        .method = "HEAD",
        .url = client().url(repository() + "/blobs/" + Digest::of_bytes(blobs_[blob_]).str())};
  }

  HttpRequest put_blob(const std::string& location) const {
    HttpRequest put{.method = "PUT",
                    .url = location + (location.find('?') == std::string::npos ? "?" : "&") +
                           "digest=" + Digest::of_bytes(blobs_[blob_]).str()};
    put.headers.push_back("Content-Type: application/octet-stream");
    put.body = blobs_[blob_];
    return put;
  }

  HttpRequest put_manifest(const std::string& identifier) const {
    HttpRequest put{.method = "PUT",
                    .url = client().url(repository() + "/manifests/" + identifier)};
    put.headers.push_back("Content-Type: " + std::string(media_type::kOciManifest));
    put.body = manifest_;
    return put;
  }

  std::optional<HttpRequest> next_blob() {
    if (++blob_ < blobs_.size()) return send(State::kBlobHead, head_blob());
    return send(State::kManifest, put_manifest(a_.result.manifest.str()));
  }

  std::optional<HttpRequest> done(bool via_referrers_api, bool already_present) {
    a_.result.via_referrers_api = via_referrers_api;
    a_.result.already_present = already_present;
    return std::nullopt;
  }

  std::optional<HttpRequest> fail(const std::string& error) {
    a_.error = error;
    return std::nullopt;
  }

  Attachment& a_;
  const std::string manifest_;
  std::vector<std::string> blobs_;
  size_t blob_ = 0;
  State state_ = State::kLook;
  HttpRequest last_;
  int attempt_ = 0;
};

}  // namespace

void attach_artifacts(std::vector<Attachment>& attachments, int parallelism) {
  if (attachments.empty()) return;
  HttpClient& http = attachments.front().client->http();
  std::vector<std::unique_ptr<ArtifactAttach>> jobs;
  std::vector<HttpJob*> run;
  for (Attachment& a : attachments) {
    if (&a.client->http() != &http)
      throw Error("attach_artifacts: the registry clients must share one HttpClient");
    a.error.clear();
    jobs.push_back(std::make_unique<ArtifactAttach>(a));
    run.push_back(jobs.back().get());
  }
  http.run(run, parallelism);
}

AttachResult attach_artifact(RegistryClient& client, const Descriptor& subject,
                             const std::string& artifact_type, const std::string& content,
                             const std::string& tag_suffix) {
  std::vector<Attachment> one{Attachment{.client = &client,
                                         .subject = subject,
                                         .artifact_type = artifact_type,
                                         .content = content,
                                         .tag_suffix = tag_suffix}};
  attach_artifacts(one, 1);
  if (!one.front().error.empty()) throw Error(one.front().error);
  return one.front().result;
}

}  // namespace ko
