// Writes a layer blob: a deterministic tar stream (libarchive) compressed with gzip
// (zlib), hashing the tar (diffID) and the gzip bytes (digest) in the same pass.
//
// Determinism rules: entries sorted by path with parent directories made explicit,
// uid/gid as given with empty user/group names, one fixed mtime, no atime/ctime, modes
// as given (never from umask), USTAR headers unless a path needs PAX, and a gzip header
// with no name, mtime 0 and OS "unknown".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "digest/digest.hpp"
#include "layer/layer_entry.hpp"
#include "oci/blob_store.hpp"

namespace ko {

struct LayerOptions {
  int64_t mtime = 0;  // SOURCE_DATE_EPOCH, else 0
  // zlib level. 1 (fastest), as go-containerregistry and ko use: on a Go binary, level 6
  // takes twice as long for about 9% fewer bytes.
  int compression_level = 1;
};

struct WrittenLayer {
  Digest digest;   // of the compressed blob
  Digest diff_id;  // of the uncompressed tar
  int64_t size = 0;
  std::string compression;  // e.g. "gzip (zlib 1.2.13, level 1)": explains digest changes
};

// Writes the layer into `store`. Throws on duplicate paths, invalid paths or I/O errors;
// nothing is left in the store on failure.
WrittenLayer write_layer(std::vector<LayerEntry> entries, const LayerOptions& options,
                         BlobStore& store);

// Writes the entries as an uncompressed deterministic tar file (same rules as layers),
// atomically: used for docker-archive and oci-archive tarballs.
void write_tar_file(std::vector<LayerEntry> entries, int64_t mtime,
                    const std::filesystem::path& path);

// Sorts entries and adds missing parent directories (mode 0755). Exposed for tests.
std::vector<LayerEntry> normalize_entries(std::vector<LayerEntry> entries);

}  // namespace ko
