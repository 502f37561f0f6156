// Writes a layer blob: a deterministic tar stream (libarchive) compressed with gzip
// (libdeflate, one member per 1 MiB chunk in parallel: parallel_gzip.hpp) or zstd (libzstd's
// multi-threaded streaming API: zstd_compressor.hpp), hashing the tar (diffID) and the compressed
// bytes (digest) as it streams.
//
// Determinism rules: entries sorted by path with parent directories made explicit,
// uid/gid as given with empty user/group names, one fixed mtime, no atime/ctime, modes
// as given (never from umask), USTAR headers unless a path needs PAX; the compressed bytes
// depend on the compressor, its version and level, never on the number of threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "digest/digest.hpp"
#include "layer/layer_entry.hpp"

namespace ko {

enum class Compression { kGzip, kZstd };

struct LayerOptions {
  int64_t mtime = 0;  // SOURCE_DATE_EPOCH, else 0
  Compression compression = Compression::kGzip;
  // Default: gzip 1 (the fastest, as go-containerregistry and ko use: on a Go binary, level 6
  // takes twice as long for about 9% fewer bytes); zstd 3 (zstd's own default).
  std::optional<int> compression_level;
  // Compression threads; 0 means std::thread::hardware_concurrency(). Never changes the bytes.
  int threads = 0;
};

int default_compression_level(Compression compression);

struct WrittenLayer {
  Digest digest;   // of the compressed blob
  Digest diff_id;  // of the uncompressed tar
  int64_t size = 0;
  // e.g. "gzip (libdeflate 1.14, level 1, 1 MiB members)": explains digest changes.
  std::string compression;
};

// Writes the layer into `blob_dir`, a content-addressed directory: the blob ends up as
// `blob_dir`/<hex of its digest> (an OCI blob store's blobs/sha256, BlobStore::directory()),
// written to a temporary file there and renamed. This folder sits below oci/ and knows no
// more of the store than that. Throws on duplicate paths, invalid paths or I/O errors;
// nothing is left in the directory on failure.
WrittenLayer write_layer(std::vector<LayerEntry> entries, const LayerOptions& options,
                         const std::filesystem::path& blob_dir);

// Writes the entries as an uncompressed deterministic tar file (same rules as layers),
// atomically: used for docker-archive and oci-archive tarballs.
void write_tar_file(std::vector<LayerEntry> entries, int64_t mtime,
                    const std::filesystem::path& path);

// Sorts entries and adds missing parent directories (mode 0755). Exposed for tests.
std::vector<LayerEntry> normalize_entries(std::vector<LayerEntry> entries);

}  // namespace ko
