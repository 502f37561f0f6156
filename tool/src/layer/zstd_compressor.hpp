// zstd layers through libarchive: a raw-format writer with the zstd filter is fed the tar
// stream, and its compressed output comes back through a callback that hashes and writes it.
//
// zstd always runs in its multi-threaded mode (at least one worker): its output is then the
// same for any number of workers, but differs from the single-threaded mode's. The level is
// recorded in the layer descriptor with the libzstd version.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "layer/stream_compressor.hpp"

namespace ko {

class ZstdCompressor final : public StreamCompressor {
 public:
  static constexpr int kMaxLevel = 22;

  // Creates (truncates) `output`. `level` is 1..22; `threads` ≥ 1 zstd workers.
  ZstdCompressor(const std::filesystem::path& output, int level, int threads);
  ~ZstdCompressor() override;

  void write(const void* data, size_t size) override;
  CompressedStream finish() override;

  // e.g. "zstd (libzstd 1.5.4 via libarchive 3.6.2, level 3)".
  static std::string description(int level);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ko
