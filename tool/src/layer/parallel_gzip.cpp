#include "layer/parallel_gzip.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "digest/sha256.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr size_t kHeaderSize = 10, kTrailerSize = 8;

// One chunk of input and, once compressed, its gzip member. The buffers are left
// uninitialised (every byte is written before it is read): zero-filling them cost a memset
// of 2 MiB per chunk on top of the kernel's own zeroing of new pages.
struct Chunk {
  std::unique_ptr<unsigned char[]> input =
      std::make_unique_for_overwrite<unsigned char[]>(kGzipChunkSize);
  size_t size = 0;          // input bytes
  bool compressed = false;  // guarded by the pipeline's mutex
  std::unique_ptr<unsigned char[]> member;
  size_t member_capacity = 0;
  size_t member_size = 0;
};

void put_le32(unsigned char* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

// A libdeflate compressor (one per thread: it is not thread-safe). Each call compresses a
// chunk from scratch, so reusing it never carries state from one chunk to the next.
class MemberCompressor {
 public:
  explicit MemberCompressor(int level) : compressor_(libdeflate_alloc_compressor(level)) {
    if (!compressor_)
      throw Error("libdeflate could not allocate a compressor (level " + std::to_string(level) +
                  ")");
    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL OS=255 ("unknown": the same on every host).
    // XFL as libdeflate sets it: 4 for the fastest levels, 2 for the slowest, else 0.
    const unsigned char xfl = level < 2 ? 4 : level >= 8 ? 2 : 0;
    header_ = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255};
  }
  ~MemberCompressor() { libdeflate_free_compressor(compressor_); }
  MemberCompressor(const MemberCompressor&) = delete;
  MemberCompressor& operator=(const MemberCompressor&) = delete;

  void compress(Chunk& chunk) {
    const size_t bound = libdeflate_deflate_compress_bound(compressor_, chunk.size);
    if (chunk.member_capacity < kHeaderSize + bound + kTrailerSize) {
      chunk.member_capacity = kHeaderSize + bound + kTrailerSize;
      chunk.member = std::make_unique_for_overwrite<unsigned char[]>(chunk.member_capacity);
    }
    unsigned char* out = chunk.member.get();
    std::memcpy(out, header_.data(), kHeaderSize);
    const size_t deflated = libdeflate_deflate_compress(compressor_, chunk.input.get(), chunk.size,
                                                        out + kHeaderSize, bound);
    if (deflated == 0) throw Error("libdeflate: the compressed chunk did not fit its bound");
    unsigned char* trailer = out + kHeaderSize + deflated;
    put_le32(trailer, libdeflate_crc32(0, chunk.input.get(), chunk.size));
    put_le32(trailer + 4, static_cast<uint32_t>(chunk.size));  // ISIZE
    chunk.member_size = kHeaderSize + deflated + kTrailerSize;
  }

 private:
  libdeflate_compressor* compressor_;
  std::array<unsigned char, kHeaderSize> header_{};
};

class ParallelGzip final : public StreamCompressor {
 public:
  ParallelGzip(const std::filesystem::path& path, int level_, int threads_)
      : level(level_), threads(threads_), out(path, std::ios::binary | std::ios::trunc) {
    if (!out) throw Error("cannot write " + path.string());
    if (level < 0 || level > kGzipMaxLevel)
      throw Error("gzip level must be 0.." + std::to_string(kGzipMaxLevel) + ", got " +
                  std::to_string(level));
    if (threads < 1) throw Error("gzip needs at least one thread");
    // Two chunks suffice inline (the one being filled and the full one before it); with
    // workers, enough to keep them all busy while the writer drains.
    capacity = threads == 1 ? 2 : 2 * static_cast<size_t>(threads) + 2;
  }

  ~ParallelGzip() override { stop_threads(); }

  // --- the caller's side (producer) ------------------------------------------------------

  void write(const void* data, size_t size) override {
    tar_size += static_cast<int64_t>(size);
    const auto* bytes = static_cast<const unsigned char*>(data);
    while (size > 0) {
      // A full chunk is handed on only when more input arrives, so an input of one chunk
      // never starts a thread.
      if (!current || current->size == kGzipChunkSize) start_next_chunk();
      const size_t n = std::min(size, kGzipChunkSize - current->size);
      // Hashed piece by piece, so a large write hands its first chunk on before hashing
      // the rest.
      tar_sha.update(bytes, n);
      std::memcpy(current->input.get() + current->size, bytes, n);
      current->size += n;
      bytes += n;
      size -= n;
    }
  }

  CompressedStream finish() override {
    if (!current) start_next_chunk();  // empty input: one empty member, still valid gzip
    submit(std::exchange(current, nullptr), /*last=*/true);
    if (!workers.empty()) {
      {
        std::lock_guard lock(mutex);
        closing = true;
      }
      work_ready.notify_all();
      chunk_done.notify_all();
      join_threads();
      if (failure) std::rethrow_exception(failure);
    }
    out.close();
    if (!out) throw Error("cannot write layer (disk full?)");
    return {.diff_id = Digest::from_hex(tar_sha.finish_hex()),
            .digest = Digest::from_hex(gzip_sha.finish_hex()),
            .uncompressed_size = tar_size,
            .size = gzip_size};
  }

  void start_next_chunk() {
    Chunk* next = acquire();
    next->size = 0;
    if (current) submit(current, /*last=*/false);
    current = next;
  }

  Chunk* acquire() {
    std::unique_lock lock(mutex);
    chunk_free.wait(lock,
                    [&] { return stopping || !free_chunks.empty() || pool.size() < capacity; });
    if (stopping) rethrow_failure();
    if (free_chunks.empty()) {
      pool.push_back(std::make_unique<Chunk>());
      return pool.back().get();
    }
    Chunk* chunk = free_chunks.back();
    free_chunks.pop_back();
    return chunk;
  }

  void submit(Chunk* chunk, bool last) {
    if (workers.empty() && (threads == 1 || last)) {
      // Inline: compress and write on this thread, in order by construction.
      if (!inline_compressor) inline_compressor = std::make_unique<MemberCompressor>(level);
      inline_compressor->compress(*chunk);
      emit(*chunk);
      std::lock_guard lock(mutex);
      free_chunks.push_back(chunk);
      return;
    }
    if (workers.empty()) start_threads();
    {
      std::lock_guard lock(mutex);
      if (stopping) rethrow_failure();
      chunk->compressed = false;
      work.push_back(chunk);
      in_order.push_back(chunk);
    }
    work_ready.notify_one();
  }

  [[noreturn]] void rethrow_failure() {
    if (failure) std::rethrow_exception(failure);
    throw Error("internal: gzip pipeline stopped");
  }

  // --- the helper threads ----------------------------------------------------------------

  void start_threads() {
    // Created only once a second chunk exists, so small layers never start a thread.
    writer = std::jthread([this] { run_writer(); });
    for (int i = 0; i < threads; ++i) workers.emplace_back([this] { run_worker(); });
  }

  void run_worker() {
    std::unique_ptr<MemberCompressor> compressor;
    for (;;) {
      Chunk* chunk = nullptr;
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return stopping || closing || !work.empty(); });
        if (stopping || work.empty()) return;
        chunk = work.front();
        work.pop_front();
      }
      try {
        if (!compressor) compressor = std::make_unique<MemberCompressor>(level);
        compressor->compress(*chunk);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard lock(mutex);
        chunk->compressed = true;
      }
      chunk_done.notify_one();  // only the writer waits for it
    }
  }

  void run_writer() {
    for (;;) {
      Chunk* chunk = nullptr;
      {
        std::unique_lock lock(mutex);
        chunk_done.wait(lock, [&] {
          return stopping || (!in_order.empty() && in_order.front()->compressed) ||
                 (closing && in_order.empty());
        });
        if (stopping || in_order.empty()) return;
        chunk = in_order.front();
        in_order.pop_front();
      }
      try {
        emit(*chunk);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard lock(mutex);
        free_chunks.push_back(chunk);
      }
      chunk_free.notify_one();
    }
  }

  void fail(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::move(error);
      stopping = true;
    }
    work_ready.notify_all();
    chunk_done.notify_all();
    chunk_free.notify_all();
  }

  void stop_threads() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    work_ready.notify_all();
    chunk_done.notify_all();
    chunk_free.notify_all();
    join_threads();
  }

  void join_threads() {
    for (std::jthread& worker : workers)
      if (worker.joinable()) worker.join();
    if (writer.joinable()) writer.join();
  }

  // --- in-order output (the writer thread, or the caller's when inline) -------------------

  void emit(const Chunk& chunk) {
    gzip_sha.update(chunk.member.get(), chunk.member_size);
    gzip_size += static_cast<int64_t>(chunk.member_size);
    out.write(reinterpret_cast<const char*>(chunk.member.get()),
              static_cast<std::streamsize>(chunk.member_size));
    if (!out) throw Error("cannot write layer (disk full?)");
  }

  const int level;
  const int threads;
  size_t capacity = 0;

  // Producer only.
  Sha256 tar_sha;
  int64_t tar_size = 0;
  Chunk* current = nullptr;
  std::unique_ptr<MemberCompressor> inline_compressor;

  // Output: the writer thread only (the caller's before the threads start and after they end).
  std::ofstream out;
  Sha256 gzip_sha;
  int64_t gzip_size = 0;

  // Shared, under `mutex`.
  std::mutex mutex;
  std::condition_variable work_ready, chunk_done, chunk_free;
  std::vector<std::unique_ptr<Chunk>> pool;
  std::vector<Chunk*> free_chunks;
  std::deque<Chunk*> work;      // submitted, not yet taken by a worker
  std::deque<Chunk*> in_order;  // submitted, not yet written, in stream order
  bool closing = false;         // no more chunks will come
  bool stopping = false;        // give up: an error, or destruction without finish()
  std::exception_ptr failure;

  // Last: joined (by stop_threads) before anything above goes away.
  std::vector<std::jthread> workers;
  std::jthread writer;
};

}  // namespace

std::unique_ptr<StreamCompressor> parallel_gzip(const std::filesystem::path& output, int level,
                                                int threads) {
  return std::make_unique<ParallelGzip>(output, level, threads);
}

std::string parallel_gzip_description(int level) {
  return "gzip (libdeflate " LIBDEFLATE_VERSION_STRING ", level " + std::to_string(level) + ", " +
         std::to_string(kGzipChunkSize >> 20) + " MiB members)";
}

}  // namespace ko
