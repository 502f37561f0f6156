// Pushing images (or indexes) from blob stores to repositories, as the distribution spec
// and go-containerregistry do it:
//   1. HEAD the top manifest: when the registry has it, nothing below it is sent.
//   2. Blobs (configs and layers, de-duplicated), in parallel: HEAD, then POST an upload
//      (with ?mount=&from= when a source repository on the same registry may hold it),
//      then one monolithic PUT for small blobs or PATCH chunks + PUT for large ones.
//      A failed upload is retried whole with a fresh session after a backoff.
//   3. Manifests by digest, children before their index; then each tag.
// Several images go through these steps together (push_images), over one HttpClient: one
// connection cache, and the blobs of all images in one parallel run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "registry/blob_upload.hpp"
#include "registry/registry_session.hpp"
#include "util/fs.hpp"

namespace ko {

struct PushOptions {
  std::vector<std::string> tags;
  std::optional<std::string> mount_from;  // a repository on the same registry
  int64_t chunk_size = 16 << 20;          // blobs above this go up in PATCH chunks
};

struct PushReport {
  int blobs_uploaded = 0;
  int blobs_mounted = 0;
  int blobs_present = 0;
  int64_t bytes_uploaded = 0;
  int manifests_pushed = 0;
  bool already_present = false;  // the top manifest (and every tag) was there already
};

// One image of push_images(): what goes where, and afterwards what happened.
struct ImagePush {
  RegistrySession* client = nullptr;  // the clients of all images share one HttpClient
  const BlobStore* store = nullptr;
  Descriptor top;
  PushOptions options;
  PushReport report;  // filled in by push_images
  std::string error;  // why the push failed; empty when it succeeded
};

// A blob store in a temporary directory (TMPDIR), removed with it: for what is pushed but
// does not belong in the build (signature and artifact manifests, their small blobs).
class ScratchBlobStore {
 public:
  ScratchBlobStore();
  BlobStore& store() { return store_; }

 private:
  TempDir dir_;
  BlobStore store_;
};

// Pushes several images at once: per image, authorization and the HEAD requests that show
// what the registry lacks; then the missing blobs of all images in one parallel run, at most
// `parallelism` requests at a time; then each image's manifests and tags. A blob several
// images need in one repository is sent once; one needed in several repositories of a
// registry is uploaded to the first, then mounted into the others. A failure fails only its
// image(s), recorded in `error`; the others are still pushed.
void push_images(std::vector<ImagePush>& images, int parallelism,
                 UploadObserver* observer = nullptr);

}  // namespace ko
