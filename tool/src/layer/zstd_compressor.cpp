#include "layer/zstd_compressor.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <fstream>

#include "digest/sha256.hpp"
#include "util/archive_handles.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

std::string archive_message(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown error";
}

}  // namespace

struct ZstdCompressor::Impl {
  Impl(const std::filesystem::path& path, int level, int threads)
      : out(path, std::ios::binary | std::ios::trunc), writer(archive_write_new()) {
    if (!out) throw Error("cannot write " + path.string());
    if (level < 1 || level > kMaxLevel)
      throw Error("zstd level must be 1.." + std::to_string(kMaxLevel) + ", got " +
                  std::to_string(level));
    if (threads < 1) throw Error("zstd needs at least one thread");
    archive* a = writer.get();
    if (!a) throw Error("libarchive: out of memory");
    check(archive_write_set_format_raw(a), "set raw format");
    // Anything but ARCHIVE_OK means libarchive would run an external zstd program.
    if (archive_write_add_filter_zstd(a) != ARCHIVE_OK)
      throw Error("libarchive was built without libzstd (" + archive_message(a) +
                  "); use COMPRESSION gzip");
    set_option("compression-level", level);
    set_option("threads", threads);
    check(archive_write_set_bytes_in_last_block(a, 1), "set block padding");  // no padding
    check(archive_write_open(a, this, nullptr, on_write, nullptr), "open");
    // The raw format takes one regular file; its size is not needed.
    ArchiveEntry entry(archive_entry_new());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_pathname(entry.get(), "layer.tar");
    check(archive_write_header(a, entry.get()), "write header");
  }

  void set_option(const char* name, int value) {
    const std::string text = std::to_string(value);
    if (archive_write_set_filter_option(writer.get(), "zstd", name, text.c_str()) != ARCHIVE_OK)
      throw Error("libarchive's zstd filter refused " + std::string(name) + " " + text + " (" +
                  archive_message(writer.get()) + "); it needs libarchive ≥ 3.6");
  }

  void check(int rc, const std::string& what) {
    if (rc >= ARCHIVE_WARN) return;
    if (failure) std::rethrow_exception(failure);  // our callback's own error
    throw Error("libarchive zstd: " + what + ": " + archive_message(writer.get()));
  }

  void write(const void* data, size_t size) {
    tar_sha.update(data, size);
    tar_size += static_cast<int64_t>(size);
    if (size > 0 && archive_write_data(writer.get(), data, size) < 0)
      check(ARCHIVE_FATAL, "compressing");
  }

  CompressedStream finish() {
    check(archive_write_close(writer.get()), "finishing");
    out.close();
    if (!out) throw Error("cannot write layer (disk full?)");
    return {.diff_id = Digest::from_hex(tar_sha.finish_hex()),
            .digest = Digest::from_hex(blob_sha.finish_hex()),
            .uncompressed_size = tar_size,
            .size = blob_size};
  }

  static la_ssize_t on_write(archive*, void* self, const void* buffer, size_t length) {
    auto* impl = static_cast<Impl*>(self);
    try {
      impl->blob_sha.update(buffer, length);
      impl->blob_size += static_cast<int64_t>(length);
      impl->out.write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
      if (!impl->out) throw Error("cannot write layer (disk full?)");
      return static_cast<la_ssize_t>(length);
    } catch (...) {
      impl->failure = std::current_exception();
      return -1;
    }
  }

  std::ofstream out;
  Sha256 tar_sha, blob_sha;
  int64_t tar_size = 0, blob_size = 0;
  std::exception_ptr failure;
  // Last: freed (which stops zstd's workers) before the stream it writes to.
  ArchiveWriter writer;
};

ZstdCompressor::ZstdCompressor(const std::filesystem::path& output, int level, int threads)
    : impl_(std::make_unique<Impl>(output, level, threads)) {}

ZstdCompressor::~ZstdCompressor() = default;

void ZstdCompressor::write(const void* data, size_t size) {
  impl_->write(data, size);
}

CompressedStream ZstdCompressor::finish() {
  return impl_->finish();
}

std::string ZstdCompressor::description(int level) {
  const char* zstd_version = archive_libzstd_version();
  return "zstd (libzstd " + std::string(zstd_version ? zstd_version : "?") + " via " +
         archive_version_string() + ", level " + std::to_string(level) + ")";
}

}  // namespace ko
