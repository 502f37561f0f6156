#include "layer/zstd_compressor.hpp"

#include <zstd.h>

#include <fstream>
#include <vector>

#include "digest/sha256.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
};

size_t check(size_t rc, const std::string& what) {
  if (ZSTD_isError(rc)) throw Error("libzstd: " + what + ": " + ZSTD_getErrorName(rc));
  return rc;
}

class ZstdCompressor final : public StreamCompressor {
 public:
  ZstdCompressor(const std::filesystem::path& path, int level, int threads)
      : out(path, std::ios::binary | std::ios::trunc),
        cctx(ZSTD_createCCtx()),
        buffer(ZSTD_CStreamOutSize()) {
    if (!out) throw Error("cannot write " + path.string());
    if (level < 1 || level > kZstdMaxLevel)
      throw Error("zstd level must be 1.." + std::to_string(kZstdMaxLevel) + ", got " +
                  std::to_string(level));
    if (threads < 1) throw Error("zstd needs at least one thread");
    if (!cctx) throw Error("libzstd: out of memory");
    ZSTD_CCtx* c = cctx.get();
    check(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level), "set level");
    // A libzstd built without threads refuses workers: its output would differ.
    if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_nbWorkers, threads)))
      throw Error("libzstd was built without multi-threading; use COMPRESSION gzip");
    check(ZSTD_CCtx_setParameter(c, ZSTD_c_jobSize, static_cast<int>(kZstdJobSize)),
          "set job size");
    check(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0), "set checksum");
  }

  void write(const void* data, size_t size) override {
    tar_sha.update(data, size);
    tar_size += static_cast<int64_t>(size);
    ZSTD_inBuffer in{data, size, 0};
    while (in.pos < in.size) compress(in, ZSTD_e_continue);
  }

  CompressedStream finish() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    while (compress(in, ZSTD_e_end) != 0) {
    }
    out.close();
    if (!out) throw Error("cannot write layer (disk full?)");
    return {.diff_id = Digest::from_hex(tar_sha.finish_hex()),
            .digest = Digest::from_hex(blob_sha.finish_hex()),
            .uncompressed_size = tar_size,
            .size = blob_size};
  }

  // One call of ZSTD_compressStream2; what comes out is hashed and written. Returns what
  // libzstd still has to flush (0 when a frame is complete).
  size_t compress(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    const size_t remaining =
        check(ZSTD_compressStream2(cctx.get(), &output, &in, mode), "compressing");
    if (output.pos > 0) {
      blob_sha.update(buffer.data(), output.pos);
      blob_size += static_cast<int64_t>(output.pos);
      out.write(buffer.data(), static_cast<std::streamsize>(output.pos));
      if (!out) throw Error("cannot write layer (disk full?)");
    }
    return remaining;
  }

  std::ofstream out;
  Sha256 tar_sha, blob_sha;
  int64_t tar_size = 0, blob_size = 0;
  // Freed (which stops zstd's workers) before the stream it writes to.
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx;
  std::vector<char> buffer;
};

}  // namespace

std::unique_ptr<StreamCompressor> zstd_compressor(const std::filesystem::path& output, int level,
                                                  int threads) {
  return std::make_unique<ZstdCompressor>(output, level, threads);
}

std::string zstd_description(int level) {
  return "zstd (libzstd " + std::string(ZSTD_versionString()) + ", level " + std::to_string(level) +
         ", " + std::to_string(kZstdJobSize >> 20) + " MiB jobs)";
}

}  // namespace ko
