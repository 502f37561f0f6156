// Deterministic parallel gzip: a multi-member gzip file, one member per fixed 1 MiB chunk.
//
// The input is cut into fixed 1 MiB chunks. Chunk i is compressed on its own by libdeflate
// (raw deflate, no dictionary) into a complete gzip member: a fixed header (no name, mtime 0,
// OS 255), the deflate data, and the chunk's CRC-32 and size. The members are concatenated,
// which RFC 1952 defines as the concatenation of their contents; every gzip reader (zlib's
// gzip -d, Go's compress/gzip, Python's gzip, containers/image, umoci) reads all members.
// Chunk boundaries depend only on the input, and libdeflate's compressor has no run-time CPU
// dispatch (its SIMD hash-table fill and rebase are compile-time and exact), so the bytes are
// the same for any number of threads and any 64-bit CPU, for one libdeflate version: the
// version, level and chunk size are recorded in the layer descriptor.
//
// Pipeline: the caller's thread fills chunks and hashes the input (diffID); N worker
// threads compress chunks; a writer thread hashes the members in order (digest) and writes
// them, so neither hash runs on a compressing thread. At most 2N+2 chunks are in memory.
// With one thread (or an input of one chunk) everything runs on the caller's thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "layer/stream_compressor.hpp"

namespace ko {

inline constexpr size_t kGzipChunkSize = 1 << 20;
inline constexpr int kGzipMaxLevel = 12;  // libdeflate's levels: 0 (stored) .. 12

// Creates (truncates) `output`. `level` is libdeflate's 0..12; `threads` ≥ 1.
std::unique_ptr<StreamCompressor> parallel_gzip(const std::filesystem::path& output, int level,
                                                int threads);

// What goes in a layer descriptor, e.g. "gzip (libdeflate 1.14, level 1, 1 MiB members)":
// everything the bytes depend on besides the input.
std::string parallel_gzip_description(int level);

}  // namespace ko
