// Deterministic parallel gzip, in the manner of pigz.
//
// The input is cut into fixed 128 KiB blocks. Block i is compressed on its own as raw
// deflate, primed with the last 32 KiB of block i-1 as dictionary (so the ratio stays close
// to one stream's), and ends with a sync flush; the last block ends the deflate stream.
// The pieces are concatenated between a fixed gzip header (no name, mtime 0, OS 255) and
// the trailer (CRC-32 and size of the whole input). Block boundaries depend only on the
// input, never on the thread count, so the bytes are the same for any number of threads.
//
// Pipeline: the caller's thread fills blocks and hashes the input (diffID); N worker
// threads compress blocks; a writer thread hashes the compressed blocks in order (digest)
// and writes them. SHA-256 is the slow part, so the two hashes run on different threads
// from each other and from the compression. At most 2N+2 blocks are in memory. With one
// thread (or an input of one block) everything runs on the caller's thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "layer/stream_compressor.hpp"

namespace ko {

class ParallelGzip final : public StreamCompressor {
 public:
  static constexpr size_t kBlockSize = 128 * 1024;
  static constexpr size_t kWindowSize = 32 * 1024;  // deflate's window: the dictionary

  // Creates (truncates) `output`. `level` is zlib's 0..9; `threads` ≥ 1.
  ParallelGzip(const std::filesystem::path& output, int level, int threads);
  ~ParallelGzip() override;

  void write(const void* data, size_t size) override;
  CompressedStream finish() override;

  // What goes in a layer descriptor, e.g. "gzip (zlib 1.2.13, level 1, 128 KiB blocks)":
  // everything the bytes depend on besides the input.
  static std::string description(int level);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ko
