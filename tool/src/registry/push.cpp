#include "registry/push.hpp"

#include <set>

#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr int kMaxAttempts = 5;

// Uploads one blob: HEAD → POST (mount) → PUT, or PATCH… → PUT for large blobs.
class BlobUpload : public HttpJob {
 public:
  BlobUpload(RegistryClient& client, const BlobStore& store, const Descriptor& blob,
             const PushOptions& options)
      : client_(client), store_(store), blob_(blob), options_(options) {}

  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return head();
    const HttpResponse& r = *previous;
    if (is_retryable(r)) return restart(r);
    switch (state_) {
      case State::kHead:
        if (r.status == 200) return finish(Outcome::kPresent);
        if (r.status != 404) return fail(r, "checking");
        return start_upload();
      case State::kStart:
        if (r.status == 201) return finish(Outcome::kMounted);
        if (r.status != 202) return fail(r, "starting the upload of");
        location_ = resolve_url(r.url, r.header("location"));
        if (location_.empty()) return fail(r, "starting the upload of (no Location)");
        return blob_.size > options_.chunk_size ? patch() : put(/*with_body=*/true);
      case State::kPatch:
        if (r.status != 202) return fail(r, "uploading a chunk of");
        if (!r.header("location").empty()) location_ = resolve_url(r.url, r.header("location"));
        offset_ += chunk_length();
        return offset_ < blob_.size ? patch() : put(/*with_body=*/false);
      case State::kPut:
        if (r.status != 201 && r.status != 204) return fail(r, "finishing the upload of");
        return finish(Outcome::kUploaded);
      case State::kDone:
        break;
    }
    return std::nullopt;
  }

  enum class Outcome { kNone, kPresent, kMounted, kUploaded };
  Outcome outcome() const { return outcome_; }
  const std::string& error() const { return error_; }
  const Descriptor& blob() const { return blob_; }

 private:
  enum class State { kHead, kStart, kPatch, kPut, kDone };

  std::string repository() const { return client_.reference().repository; }

  HttpRequest head() {
    state_ = State::kHead;
    return client_.with_auth(HttpRequest{
        .method = "HEAD", .url = client_.url(repository() + "/blobs/" + blob_.digest.str())});
  }

  HttpRequest start_upload() {
    state_ = State::kStart;
    offset_ = 0;
    std::string url = client_.url(repository() + "/blobs/uploads/");
    if (options_.mount_from && *options_.mount_from != repository())
      url += "?mount=" + blob_.digest.str() + "&from=" + *options_.mount_from;
    return client_.with_auth(HttpRequest{.method = "POST", .url = url});
  }

  int64_t chunk_length() const { return std::min(options_.chunk_size, blob_.size - offset_); }

  HttpRequest patch() {
    state_ = State::kPatch;
    HttpRequest request{.method = "PATCH", .url = location_};
    request.headers = {"Content-Type: application/octet-stream",
                       "Content-Range: " + std::to_string(offset_) + "-" +
                           std::to_string(offset_ + chunk_length() - 1)};
    request.body_file = store_.path_of(blob_.digest);
    request.body_offset = offset_;
    request.body_length = chunk_length();
    return client_.with_auth(request);
  }

  HttpRequest put(bool with_body) {
    state_ = State::kPut;
    HttpRequest request{.method = "PUT",
                        .url = location_ + (location_.find('?') == std::string::npos ? "?" : "&") +
                               "digest=" + blob_.digest.str()};
    if (with_body) {
      request.headers = {"Content-Type: application/octet-stream"};
      request.body_file = store_.path_of(blob_.digest);
      request.body_length = blob_.size;
    }
    return client_.with_auth(request);
  }

  std::optional<HttpRequest> restart(const HttpResponse& r) {
    if (++attempt_ >= kMaxAttempts)
      return fail(r, "uploading (after " + std::to_string(attempt_) + " attempts)");
    HttpRequest again = head();
    again.delay = retry_delay(r, attempt_);
    return again;
  }

  std::optional<HttpRequest> finish(Outcome outcome) {
    outcome_ = outcome;
    state_ = State::kDone;
    return std::nullopt;
  }

  std::optional<HttpRequest> fail(const HttpResponse& r, const std::string& what) {
    error_ = what + " blob " + blob_.digest.str() + ": " + describe_error(r);
    state_ = State::kDone;
    return std::nullopt;
  }

  RegistryClient& client_;
  const BlobStore& store_;
  Descriptor blob_;
  const PushOptions& options_;
  State state_ = State::kHead;
  std::string location_;
  int64_t offset_ = 0;
  int attempt_ = 0;
  Outcome outcome_ = Outcome::kNone;
  std::string error_;
};

// The manifest digest a tag or digest currently points at, or "" when absent.
std::string remote_digest(RegistryClient& client, const std::string& identifier,
                          const std::string& media_type) {
  HttpRequest request{
      .method = "HEAD",
      .url = client.url(client.reference().repository + "/manifests/" + identifier)};
  request.headers.push_back("Accept: " + media_type);
  HttpResponse response = client.send(request);
  if (response.status == 404) return "";
  if (!response.ok())
    throw Error("checking manifest " + identifier + ": " + describe_error(response));
  std::string digest = response.header("docker-content-digest");
  return digest.empty() ? identifier : digest;
}

void put_manifest(RegistryClient& client, const BlobStore& store, const Descriptor& manifest,
                  const std::string& identifier) {
  HttpRequest request{
      .method = "PUT",
      .url = client.url(client.reference().repository + "/manifests/" + identifier)};
  request.headers.push_back("Content-Type: " + manifest.media_type);
  request.body = store.read_verified(manifest.digest);
  HttpResponse response = client.send(request);
  if (!response.ok())
    throw Error("the registry rejected manifest " + manifest.digest.str() + " for " +
                client.reference().name() + ": " + describe_error(response));
}

}  // namespace

PushReport push_image(RegistryClient& client, const BlobStore& store, const Descriptor& top,
                      const PushOptions& options) {
  std::vector<std::string> scopes{push_scope(client.reference().repository)};
  if (options.mount_from && *options.mount_from != client.reference().repository)
    scopes.push_back(pull_scope(*options.mount_from));
  client.authorize(scopes);

  PushReport report;
  std::vector<std::string> missing_tags;
  bool top_present = remote_digest(client, top.digest.str(), top.media_type) == top.digest.str();
  for (const std::string& tag : options.tags) {
    if (!top_present || remote_digest(client, tag, top.media_type) != top.digest.str())
      missing_tags.push_back(tag);
  }
  if (top_present && missing_tags.empty()) {
    report.already_present = true;
    return report;
  }

  if (!top_present) {
    // Blobs first, in parallel; then manifests bottom-up.
    std::vector<Descriptor> manifests;
    std::vector<std::unique_ptr<BlobUpload>> uploads;
    for (const Descriptor& d : reachable_blobs(store, top)) {
      if (media_type::is_manifest(d.media_type) || media_type::is_index(d.media_type)) {
        manifests.push_back(d);
      } else {
        uploads.push_back(std::make_unique<BlobUpload>(client, store, d, options));
      }
    }
    std::vector<HttpJob*> jobs;
    for (auto& upload : uploads) jobs.push_back(upload.get());
    client.http().run(jobs, options.parallelism);
    for (const auto& upload : uploads) {
      switch (upload->outcome()) {
        case BlobUpload::Outcome::kNone:
          throw Error("pushing to " + client.reference().name() + ": " + upload->error());
        case BlobUpload::Outcome::kPresent:
          report.blobs_present++;
          break;
        case BlobUpload::Outcome::kMounted:
          report.blobs_mounted++;
          break;
        case BlobUpload::Outcome::kUploaded:
          report.blobs_uploaded++;
          report.bytes_uploaded += upload->blob().size;
          break;
      }
    }
    // reachable_blobs lists an index before its children: push in reverse.
    for (auto it = manifests.rbegin(); it != manifests.rend(); ++it) {
      put_manifest(client, store, *it, it->digest.str());
      report.manifests_pushed++;
    }
  }
  for (const std::string& tag : missing_tags) put_manifest(client, store, top, tag);
  return report;
}

}  // namespace ko
