// zstd layers through libzstd's streaming API: the tar stream goes into a ZSTD_CCtx and the
// frame that comes out is hashed and written on the caller's thread, while zstd's own
// workers compress.
//
// zstd always runs in its multi-threaded mode (at least one worker): its output is then the
// same for any number of workers (the input is cut into jobs by size), but differs from the
// single-threaded mode's. The job size is fixed here (kZstdJobSize), so the bytes depend only on
// the input, the level, the job size and the libzstd version — all in the layer descriptor —
// and the memory is bounded: about (workers + 2) jobs of input and output at a time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "layer/stream_compressor.hpp"

namespace ko {

inline constexpr int kZstdMaxLevel = 22;
inline constexpr size_t kZstdJobSize = 4 << 20;

// Creates (truncates) `output`. `level` is 1..22; `threads` ≥ 1 zstd workers.
std::unique_ptr<StreamCompressor> zstd_compressor(const std::filesystem::path& output, int level,
                                                  int threads);

// e.g. "zstd (libzstd 1.5.4, level 3, 4 MiB jobs)".
std::string zstd_description(int level);

}  // namespace ko
