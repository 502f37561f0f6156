// Reading compressed layer bytes back, independently of the writers: gzip with zlib's
// inflate, zstd with libarchive's raw reader.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace ko::testing {

// The uncompressed bytes of a gzip blob: every member, one after another, fully consumed
// (zlib checks each member's CRC-32 and size). `members`, when given, counts them.
inline std::string gunzip(const std::string& gzip, size_t* members = nullptr) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  z.avail_in = static_cast<uInt>(gzip.size());
  size_t count = 0;
  for (;;) {
    unsigned char buffer[1 << 16];
    z.next_out = buffer;
    z.avail_out = sizeof buffer;
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("inflate failed");
    }
    out.append(reinterpret_cast<char*>(buffer), sizeof buffer - z.avail_out);
    if (rc == Z_STREAM_END) {
      ++count;
      if (z.avail_in == 0) break;
      inflateReset(&z);  // the next member
    } else if (z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      throw std::runtime_error("truncated gzip member");
    }
  }
  inflateEnd(&z);
  if (members) *members = count;
  return out;
}

// The uncompressed bytes of a zstd blob.
inline std::string unzstd(const std::string& zstd) {
  struct Deleter {
    void operator()(archive* a) const { archive_read_free(a); }
  };
  std::unique_ptr<archive, Deleter> reader(archive_read_new());
  archive* a = reader.get();
  archive_read_support_filter_zstd(a);
  archive_read_support_format_raw(a);
  if (archive_read_open_memory(a, zstd.data(), zstd.size()) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  archive_entry* entry;
  if (archive_read_next_header(a, &entry) != ARCHIVE_OK) {
    const char* message = archive_error_string(a);
    throw std::runtime_error(message ? message : "no data in the zstd stream");
  }
  if (archive_filter_code(a, 0) != ARCHIVE_FILTER_ZSTD) throw std::runtime_error("not zstd");
  std::string out;
  char buffer[1 << 16];
  la_ssize_t n;
  while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) out.append(buffer, n);
  if (n < 0) throw std::runtime_error(archive_error_string(a));
  return out;
}

}  // namespace ko::testing
