#include "layer/parallel_gzip.hpp"

#include <zlib.h>

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

// One block of input and, once compressed, its deflate bytes. The input sits after room
// for the dictionary, so block i+1's dictionary is copied once, in front of its input.
struct Block {
  Block() : buffer(ParallelGzip::kWindowSize + ParallelGzip::kBlockSize) {}

  unsigned char* input() { return buffer.data() + ParallelGzip::kWindowSize; }
  const unsigned char* input() const { return buffer.data() + ParallelGzip::kWindowSize; }

  std::vector<unsigned char> buffer;
  size_t size = 0;  // input bytes
  bool has_dictionary = false;
  bool last = false;
  bool compressed = false;  // guarded by the pipeline's mutex
  std::vector<unsigned char> output;
  size_t output_size = 0;
  uLong crc = 0;  // CRC-32 of the input
};

// A raw deflate stream, reused across blocks (a fresh one per block costs page faults).
// Reuse is safe for full blocks only: zlib's match finder may read up to 258 bytes past the
// input in its window, and those bytes are left over from the previous block this stream
// compressed unless the block overwrote the whole 64 KiB window (a full block always does,
// before any match is searched). So the last block, which may be short, gets a fresh stream:
// otherwise the output could depend on how blocks were spread over threads.
class RawDeflate {
 public:
  explicit RawDeflate(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error("zlib deflateInit2 failed (level " + std::to_string(level) + ")");
  }
  ~RawDeflate() { deflateEnd(&z_); }
  RawDeflate(const RawDeflate&) = delete;
  RawDeflate& operator=(const RawDeflate&) = delete;

  // Compresses a full, non-last block with this stream, or any block with a fresh one.
  static void compress(Block& block, std::unique_ptr<RawDeflate>& reused, int level) {
    if (block.last || block.size != ParallelGzip::kBlockSize) {
      RawDeflate(level).run(block);
      return;
    }
    if (!reused) {
      reused = std::make_unique<RawDeflate>(level);
    } else if (deflateReset(&reused->z_) != Z_OK) {
      throw Error("zlib deflateReset failed");
    }
    reused->run(block);
  }

 private:
  void run(Block& block) {
    if (block.has_dictionary &&
        deflateSetDictionary(&z_, block.buffer.data(), ParallelGzip::kWindowSize) != Z_OK)
      throw Error("zlib deflateSetDictionary failed");
    z_.next_in = block.input();
    z_.avail_in = static_cast<uInt>(block.size);
    // Room for the worst case plus the sync flush's empty stored block; grown if short.
    const size_t bound = deflateBound(&z_, static_cast<uLong>(block.size)) + 64;
    if (block.output.size() < bound) block.output.resize(bound);
    const int flush = block.last ? Z_FINISH : Z_SYNC_FLUSH;
    size_t used = 0;
    for (;;) {
      z_.next_out = block.output.data() + used;
      z_.avail_out = static_cast<uInt>(block.output.size() - used);
      const int rc = deflate(&z_, flush);
      used = block.output.size() - z_.avail_out;
      if (rc == Z_STREAM_ERROR) throw Error("zlib deflate failed");
      const bool complete =
          flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0);
      if (complete) break;
      block.output.resize(block.output.size() * 2);
    }
    block.output_size = used;
    block.crc = crc32(crc32(0, nullptr, 0), block.input(), static_cast<uInt>(block.size));
  }

  z_stream z_{};
};

void put_le32(unsigned char* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

}  // namespace

struct ParallelGzip::Impl {
  Impl(const std::filesystem::path& path, int level_, int threads_)
      : level(level_), threads(threads_), out(path, std::ios::binary | std::ios::trunc) {
    if (!out) throw Error("cannot write " + path.string());
    if (level < 0 || level > 9)
      throw Error("gzip level must be 0..9, got " + std::to_string(level));
    if (threads < 1) throw Error("gzip needs at least one thread");
    // Two blocks suffice inline (the one being filled and the full one before it); with
    // workers, enough to keep them all busy while the writer drains.
    capacity = threads == 1 ? 2 : 2 * static_cast<size_t>(threads) + 2;
    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL OS=255 ("unknown": the same on every host).
    // XFL as zlib sets it: 2 for the best level, 4 for the fastest ones, else 0.
    const unsigned char xfl = level == 9 ? 2 : level < 2 ? 4 : 0;
    const std::array<unsigned char, 10> header{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255};
    emit_bytes(header.data(), header.size());
  }

  ~Impl() { stop_threads(); }

  // --- the caller's side (producer) ------------------------------------------------------

  void write(const void* data, size_t size) {
    tar_sha.update(data, size);
    tar_size += static_cast<int64_t>(size);
    const auto* bytes = static_cast<const unsigned char*>(data);
    while (size > 0) {
      // A full block is handed on only when more input arrives: until then it may be the
      // last, which ends differently.
      if (!current || current->size == kBlockSize) start_next_block();
      const size_t n = std::min(size, kBlockSize - current->size);
      std::memcpy(current->input() + current->size, bytes, n);
      current->size += n;
      bytes += n;
      size -= n;
    }
  }

  CompressedStream finish() {
    if (!current) start_next_block();  // empty input: one empty final block
    current->last = true;
    submit(std::exchange(current, nullptr));
    if (!workers.empty()) {
      {
        std::lock_guard lock(mutex);
        closing = true;
      }
      work_ready.notify_all();
      block_done.notify_all();
      join_threads();
      if (failure) std::rethrow_exception(failure);
    }
    std::array<unsigned char, 8> trailer{};
    put_le32(trailer.data(), static_cast<uint32_t>(crc));
    put_le32(trailer.data() + 4, static_cast<uint32_t>(tar_size));  // ISIZE: size mod 2^32
    emit_bytes(trailer.data(), trailer.size());
    out.close();
    if (!out) throw Error("cannot write layer (disk full?)");
    return {.diff_id = Digest::from_hex(tar_sha.finish_hex()),
            .digest = Digest::from_hex(gzip_sha.finish_hex()),
            .uncompressed_size = tar_size,
            .size = gzip_size};
  }

  void start_next_block() {
    Block* next = acquire();
    next->size = 0;
    next->last = false;
    next->has_dictionary = current != nullptr;
    if (current) {
      std::memcpy(next->buffer.data(), current->input() + kBlockSize - kWindowSize, kWindowSize);
      submit(current);
    }
    current = next;
  }

  Block* acquire() {
    std::unique_lock lock(mutex);
    block_free.wait(lock,
                    [&] { return stopping || !free_blocks.empty() || pool.size() < capacity; });
    if (stopping) rethrow_failure();
    if (free_blocks.empty()) {
      pool.push_back(std::make_unique<Block>());
      return pool.back().get();
    }
    Block* block = free_blocks.back();
    free_blocks.pop_back();
    return block;
  }

  void submit(Block* block) {
    if (workers.empty() && (threads == 1 || block->last)) {
      // Inline: compress and write on this thread, in order by construction.
      RawDeflate::compress(*block, inline_deflate, level);
      emit(*block);
      std::lock_guard lock(mutex);
      free_blocks.push_back(block);
      return;
    }
    if (workers.empty()) start_threads();
    {
      std::lock_guard lock(mutex);
      if (stopping) rethrow_failure();
      block->compressed = false;
      work.push_back(block);
      in_order.push_back(block);
    }
    work_ready.notify_one();
  }

  [[noreturn]] void rethrow_failure() {
    if (failure) std::rethrow_exception(failure);
    throw Error("internal: gzip pipeline stopped");
  }

  // --- the helper threads ----------------------------------------------------------------

  void start_threads() {
    // Created only once a second block exists, so small layers never start a thread.
    writer = std::jthread([this] { run_writer(); });
    for (int i = 0; i < threads; ++i) workers.emplace_back([this] { run_worker(); });
  }

  void run_worker() {
    std::unique_ptr<RawDeflate> deflate;
    for (;;) {
      Block* block = nullptr;
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return stopping || closing || !work.empty(); });
        if (stopping || work.empty()) return;
        block = work.front();
        work.pop_front();
      }
      try {
        RawDeflate::compress(*block, deflate, level);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard lock(mutex);
        block->compressed = true;
      }
      block_done.notify_one();  // only the writer waits for it
    }
  }

  void run_writer() {
    for (;;) {
      Block* block = nullptr;
      {
        std::unique_lock lock(mutex);
        block_done.wait(lock, [&] {
          return stopping || (!in_order.empty() && in_order.front()->compressed) ||
                 (closing && in_order.empty());
        });
        if (stopping || in_order.empty()) return;
        block = in_order.front();
        in_order.pop_front();
      }
      try {
        emit(*block);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard lock(mutex);
        free_blocks.push_back(block);
      }
      block_free.notify_one();
    }
  }

  void fail(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::move(error);
      stopping = true;
    }
    work_ready.notify_all();
    block_done.notify_all();
    block_free.notify_all();
  }

  void stop_threads() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    work_ready.notify_all();
    block_done.notify_all();
    block_free.notify_all();
    join_threads();
  }

  void join_threads() {
    for (std::jthread& worker : workers)
      if (worker.joinable()) worker.join();
    if (writer.joinable()) writer.join();
  }

  // --- in-order output (the writer thread, or the caller's when inline) -------------------

  void emit(const Block& block) {
    emit_bytes(block.output.data(), block.output_size);
    crc = crc32_combine(crc, block.crc, static_cast<z_off_t>(block.size));
  }

  void emit_bytes(const unsigned char* data, size_t size) {
    gzip_sha.update(data, size);
    gzip_size += static_cast<int64_t>(size);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) throw Error("cannot write layer (disk full?)");
  }

  const int level;
  const int threads;
  size_t capacity = 0;

  // Producer only.
  Sha256 tar_sha;
  int64_t tar_size = 0;
  Block* current = nullptr;
  std::unique_ptr<RawDeflate> inline_deflate;

  // Output: the writer thread only (the caller's before the threads start and after they end).
  std::ofstream out;
  Sha256 gzip_sha;
  int64_t gzip_size = 0;
  uLong crc = crc32(0, nullptr, 0);

  // Shared, under `mutex`.
  std::mutex mutex;
  std::condition_variable work_ready, block_done, block_free;
  std::vector<std::unique_ptr<Block>> pool;
  std::vector<Block*> free_blocks;
  std::deque<Block*> work;      // submitted, not yet taken by a worker
  std::deque<Block*> in_order;  // submitted, not yet written, in stream order
  bool closing = false;         // no more blocks will come
  bool stopping = false;        // give up: an error, or destruction without finish()
  std::exception_ptr failure;

  // Last: joined (by stop_threads) before anything above goes away.
  std::vector<std::jthread> workers;
  std::jthread writer;
};

ParallelGzip::ParallelGzip(const std::filesystem::path& output, int level, int threads)
    : impl_(std::make_unique<Impl>(output, level, threads)) {}

ParallelGzip::~ParallelGzip() = default;

void ParallelGzip::write(const void* data, size_t size) {
  impl_->write(data, size);
}

CompressedStream ParallelGzip::finish() {
  return impl_->finish();
}

std::string ParallelGzip::description(int level) {
  return "gzip (zlib " + std::string(zlibVersion()) + ", level " + std::to_string(level) + ", " +
         std::to_string(kBlockSize / 1024) + " KiB blocks)";
}

}  // namespace ko
