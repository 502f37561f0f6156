#include "registry/blob_upload.hpp"

#include <algorithm>

#include "registry/registry_error.hpp"

namespace ko {

BlobUpload::BlobUpload(RegistrySession& session, const BlobStore& store, const Descriptor& blob,
                       std::optional<std::string> mount_from, int64_t chunk_size,
                       UploadObserver* observer)
    : session_(session),
      store_(store),
      blob_(blob),
      mount_from_(std::move(mount_from)),
      chunk_size_(chunk_size),
      observer_(observer) {}

std::optional<HttpRequest> BlobUpload::next(const HttpResponse* previous) {
  if (!previous) return head();
  const HttpResponse& r = *previous;
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
      return blob_.size > chunk_size_ ? patch() : put(/*with_body=*/true);
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

HttpRequest BlobUpload::again(const HttpRequest&) {
  return head();
}

HttpRequest BlobUpload::head() {
  state_ = State::kHead;
  return HttpRequest{.method = "HEAD",
                     .url = session_.url(repository() + "/blobs/" + blob_.digest.str())};
}

HttpRequest BlobUpload::start_upload() {
  state_ = State::kStart;
  offset_ = 0;
  std::string url = session_.url(repository() + "/blobs/uploads/");
  if (mount_from_ && *mount_from_ != repository())
    url += "?mount=" + blob_.digest.str() + "&from=" + *mount_from_;
  return HttpRequest{.method = "POST", .url = url};
}

int64_t BlobUpload::chunk_length() const {
  return std::min(chunk_size_, blob_.size - offset_);
}

HttpRequest BlobUpload::patch() {
  state_ = State::kPatch;
  HttpRequest request{.method = "PATCH", .url = location_};
  request.headers = {"Content-Type: application/octet-stream",
                     "Content-Range: " + std::to_string(offset_) + "-" +
                         std::to_string(offset_ + chunk_length() - 1)};
  request.body_file = store_.path_of(blob_.digest);
  request.body_offset = offset_;
  request.body_length = chunk_length();
  observe(request);
  return request;
}

HttpRequest BlobUpload::put(bool with_body) {
  state_ = State::kPut;
  HttpRequest request{.method = "PUT",
                      .url = location_ + (location_.find('?') == std::string::npos ? "?" : "&") +
                             "digest=" + blob_.digest.str()};
  if (with_body) {
    request.headers = {"Content-Type: application/octet-stream"};
    request.body_file = store_.path_of(blob_.digest);
    request.body_length = blob_.size;
    observe(request);
  }
  return request;
}

// Reports the bytes of the blob sent so far as the request's body goes up.
void BlobUpload::observe(HttpRequest& request) const {
  if (!observer_) return;
  const int64_t before = offset_;
  request.on_upload_progress = [this, before](int64_t sent) {
    observer_->blob_progress(blob_, before + sent);
  };
}

std::optional<HttpRequest> BlobUpload::finish(Outcome outcome) {
  outcome_ = outcome;
  state_ = State::kDone;
  if (observer_) observer_->blob_done(blob_, outcome == Outcome::kUploaded);
  return std::nullopt;
}

std::optional<HttpRequest> BlobUpload::fail(const HttpResponse& r, const std::string& what) {
  error_ =
      RegistryError(session_.reference().registry, r, what + " blob " + blob_.digest.str()).what();
  state_ = State::kDone;
  if (observer_) observer_->blob_done(blob_, false);
  return std::nullopt;
}

}  // namespace ko
