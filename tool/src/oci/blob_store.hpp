// A content-addressed directory of blobs, `<root>/blobs/sha256/<hex>`: the build's shared
// blob cache and the inside of every OCI image layout use the same shape.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "digest/digest.hpp"

namespace ko {

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  // `<root>/blobs/sha256`: where a blob named by its hex digest lives.
  std::filesystem::path directory() const { return root_ / "blobs" / "sha256"; }
  std::filesystem::path path_of(const Digest& digest) const;
  bool has(const Digest& digest) const;

  // Stores bytes under their digest (atomically; a blob already present is left alone).
  Digest put(std::string_view bytes);
  // Makes `digest` present by linking (or copying) it from another store.
  void import_from(const BlobStore& source, const Digest& digest);
  // Reads a blob and checks its bytes hash to `digest`; a mismatch names both digests.
  std::string read_verified(const Digest& digest) const;

 private:
  std::filesystem::path root_;
};

}  // namespace ko
