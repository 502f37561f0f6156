#include "oci/blob_store.hpp"

#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

std::filesystem::path BlobStore::path_of(const Digest& digest) const {
  return directory() / digest.hex();
}

bool BlobStore::has(const Digest& digest) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(path_of(digest), ec);
}

Digest BlobStore::put(std::string_view bytes) {
  Digest digest = Digest::of_bytes(bytes);
  if (!has(digest)) write_file_atomic(path_of(digest), bytes, std::filesystem::perms(0444));
  return digest;
}

void BlobStore::import_from(const BlobStore& source, const Digest& digest) {
  if (has(digest)) return;
  if (!source.has(digest))
    throw Error("blob " + digest.str() + " is missing from " + source.root().string() +
                "; rebuild the step that writes it");
  link_or_copy(source.path_of(digest), path_of(digest));
}

std::string BlobStore::read_verified(const Digest& digest) const {
  std::filesystem::path path = path_of(digest);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error("blob " + digest.str() + " is missing from " + root_.string());
  std::string bytes = read_file(path);
  Digest actual = Digest::of_bytes(bytes);
  if (actual != digest)
    throw Error("blob " + path.string() + " should have digest " + digest.str() + " but has " +
                actual.str() + "; delete it and rebuild");
  return bytes;
}

}  // namespace ko
