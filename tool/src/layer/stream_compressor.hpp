// The interface of a layer compressor: it receives the uncompressed tar stream in order,
// writes the compressed blob to a file, and hashes both sides (diffID and digest).
#pragma once

#include <cstddef>
#include <cstdint>

#include "digest/digest.hpp"

namespace ko {

struct CompressedStream {
  Digest diff_id;  // SHA-256 of the uncompressed bytes
  Digest digest;   // SHA-256 of the compressed bytes, i.e. of the file written
  int64_t uncompressed_size = 0;
  int64_t size = 0;  // of the compressed bytes
};

class StreamCompressor {
 public:
  virtual ~StreamCompressor() = default;
  // The next bytes of the uncompressed stream. Throws ko::Error on failure; an error of a
  // helper thread surfaces here or in finish().
  virtual void write(const void* data, size_t size) = 0;
  // Ends the stream and closes the file. A compressor destroyed without finish() stops its
  // threads and leaves the file for the caller to remove.
  virtual CompressedStream finish() = 0;
};

}  // namespace ko
