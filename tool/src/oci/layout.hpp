// OCI image layouts on disk: `oci-layout`, `index.json`, `blobs/sha256/…`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "oci/platform.hpp"

namespace ko {

// Every blob reachable from `top` (itself included): children of indexes, configs and
// layers of manifests. Manifests and indexes are read from `store` and verified.
std::vector<Descriptor> reachable_blobs(const BlobStore& store, const Descriptor& top);

class Layout {
 public:
  explicit Layout(std::filesystem::path dir) : dir_(std::move(dir)), blobs_(dir_) {}

  const std::filesystem::path& dir() const { return dir_; }
  const BlobStore& blobs() const { return blobs_; }

  // The descriptors listed in index.json. Throws naming the layout when it is not one.
  std::vector<Descriptor> manifests() const;

  // Points the layout at `top` (tagged with each of `ref_names`): links every reachable
  // blob from `source`, then replaces index.json atomically, then removes blobs no longer
  // referenced. A reader sees either the old image or the new one, never a mix.
  // Returns true when index.json changed.
  bool write(const BlobStore& source, const Descriptor& top,
             const std::vector<std::string>& ref_names);

 private:
  std::filesystem::path dir_;
  BlobStore blobs_;
};

}  // namespace ko
