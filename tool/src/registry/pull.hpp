// Fetching manifests and blobs from a registry into the shared content-addressed cache
// (RegistryOptions::cache_dir). Everything is verified against its
// digest before it is stored; a mismatch is an error naming both digests.
#pragma once

#include <filesystem>
#include <string>

#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "registry/registry_session.hpp"

namespace ko {

// The Accept header value for manifests: OCI and Docker, images and indexes.
std::string manifest_accept_header();

class Puller {
 public:
  Puller(RegistrySession& client, BlobStore& cache) : client_(client), cache_(cache) {}

  // GETs the manifest or index a tag or digest names and stores it in the cache. For a
  // tag the digest is computed from the bytes received (Docker-Content-Digest is not
  // trusted); for a digest the bytes must match it.
  Descriptor fetch_manifest(const std::string& tag_or_digest);
  // Streams a blob into the cache unless it is there already.
  void fetch_blob(const Descriptor& blob);
  // Makes any descriptor's content present in the cache: manifests and indexes by digest,
  // other blobs streamed. Nothing is sent when it is cached already.
  void ensure(const Descriptor& descriptor);

 private:
  RegistrySession& client_;
  BlobStore& cache_;
  bool authorized_ = false;
  void authorize();
};

// The options' shared blob cache, for downloading into: first the temporary files that
// stopped processes left in it (partial downloads of a killed build) are removed.
BlobStore open_shared_cache(const RegistryOptions& options);

// Everything a pull from one repository needs, owned together: the HTTP client, the
// registry session and the puller writing into the options' cache.
class PullSession {
 public:
  PullSession(const Reference& reference, const RegistryOptions& options)
      : cache_(open_shared_cache(options)),
        http_(http_client_options(options)),
        client_(http_, reference, options),
        puller_(client_, cache_) {}
  PullSession(const PullSession&) = delete;
  PullSession& operator=(const PullSession&) = delete;

  BlobStore& cache() { return cache_; }
  Puller& puller() { return puller_; }
  RegistrySession& client() { return client_; }

 private:
  BlobStore cache_;
  HttpClient http_;
  RegistrySession client_;
  Puller puller_;
};

}  // namespace ko
