// One blob into one repository, as the distribution spec uploads it: HEAD (present?), POST
// an upload session (with ?mount=&from= when another repository of the registry may hold
// it: 201 means mounted), then one PUT with the body for small blobs, or PATCH chunks and a
// closing PUT for large ones. A transient failure starts over with a new session (a
// half-sent session cannot be resumed portably). Used for image blobs and artifacts alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "registry/registry_session.hpp"
#include "registry/transport.hpp"

namespace ko {

// Told how blob uploads go, for progress display; called on the thread running them. A
// blob that is present or mounted is done without bytes sent; one that is retried starts
// again from 0.
class UploadObserver {
 public:
  virtual ~UploadObserver() = default;
  virtual void blobs_planned(int count) = 0;  // another round of `count` blob uploads starts
  virtual void blob_progress(const Descriptor& blob, int64_t sent) = 0;
  virtual void blob_done(const Descriptor& blob, bool uploaded) = 0;  // also when it failed
};

class BlobUpload : public RequestChain {
 public:
  enum class Outcome { kNone, kPresent, kMounted, kUploaded };

  // `store` holds the blob; `observer` may be nullptr.
  BlobUpload(RegistrySession& session, const BlobStore& store, const Descriptor& blob,
             std::optional<std::string> mount_from, int64_t chunk_size, UploadObserver* observer);

  std::optional<HttpRequest> next(const HttpResponse* previous) override;
  HttpRequest again(const HttpRequest& failed) override;

  RegistrySession& session() const { return session_; }
  Outcome outcome() const { return outcome_; }
  const std::string& error() const { return error_; }  // when the outcome is kNone
  const Descriptor& blob() const { return blob_; }

 private:
  enum class State { kHead, kStart, kPatch, kPut, kDone };

  const std::string& repository() const { return session_.reference().repository; }
  HttpRequest head();
  HttpRequest start_upload();
  int64_t chunk_length() const;
  HttpRequest patch();
  HttpRequest put(bool with_body);
  void observe(HttpRequest& request) const;
  std::optional<HttpRequest> finish(Outcome outcome);
  std::optional<HttpRequest> fail(const HttpResponse& r, const std::string& what);

  RegistrySession& session_;
  const BlobStore& store_;
  Descriptor blob_;
  std::optional<std::string> mount_from_;
  int64_t chunk_size_;
  UploadObserver* observer_;
  State state_ = State::kHead;
  std::string location_;
  int64_t offset_ = 0;
  Outcome outcome_ = Outcome::kNone;
  std::string error_;
};

}  // namespace ko
