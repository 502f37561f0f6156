// Pushing an image (or index) from a blob store to a repository, as the distribution spec
// and go-containerregistry do it:
//   1. HEAD the top manifest: when the registry has it, nothing below it is sent.
//   2. Blobs (configs and layers, de-duplicated), in parallel: HEAD, then POST an upload
//      (with ?mount=&from= when a source repository on the same registry may hold it),
//      then one monolithic PUT for small blobs or PATCH chunks + PUT for large ones.
//      A failed upload is retried whole with a fresh session after a backoff.
//   3. Manifests by digest, children before their index; then each tag.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "registry/registry_client.hpp"

namespace ko {

struct PushOptions {
  std::vector<std::string> tags;
  std::optional<std::string> mount_from;  // a repository on the same registry
  int64_t chunk_size = 16 << 20;          // blobs above this go up in PATCH chunks
  int parallelism = 4;
};

struct PushReport {
  int blobs_uploaded = 0;
  int blobs_mounted = 0;
  int blobs_present = 0;
  int64_t bytes_uploaded = 0;
  int manifests_pushed = 0;
  bool already_present = false;  // the top manifest (and every tag) was there already
};

PushReport push_image(RegistryClient& client, const BlobStore& store, const Descriptor& top,
                      const PushOptions& options);

}  // namespace ko
