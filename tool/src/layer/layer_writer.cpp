#include "layer/layer_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>

#include "digest/sha256.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace {

struct ArchiveWriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct ArchiveEntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteDeleter>;
using ArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryDeleter>;

// Receives the tar stream from libarchive: hashes it, gzips it, hashes and writes the
// gzip bytes to the output file.
class GzipHashingSink {
 public:
  GzipHashingSink(const std::filesystem::path& path, int level) : out_(path, std::ios::binary) {
    if (!out_) throw Error("cannot write " + path.string());
    // windowBits 15 + 16 selects the gzip wrapper; the header is set explicitly below.
    if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error("zlib deflateInit2 failed");
    header_.os = 255;  // "unknown": the same bytes on every host OS
    deflateSetHeader(&z_, &header_);
  }
  ~GzipHashingSink() { deflateEnd(&z_); }

  void write(const void* data, size_t size) {
    tar_sha_.update(data, size);
    tar_size_ += size;
    z_.next_in = static_cast<Bytef*>(const_cast<void*>(data));
    z_.avail_in = static_cast<uInt>(size);
    drain(Z_NO_FLUSH);
  }

  void finish() {
    drain(Z_FINISH);
    out_.close();
    if (!out_) throw Error("cannot write layer (disk full?)");
  }

  Sha256& tar_sha() { return tar_sha_; }
  Sha256& gzip_sha() { return gzip_sha_; }
  int64_t gzip_size() const { return gzip_size_; }

 private:
  void drain(int flush) {
    unsigned char buffer[1 << 16];
    int rc;
    do {
      z_.next_out = buffer;
      z_.avail_out = sizeof buffer;
      rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) throw Error("zlib deflate failed");
      size_t produced = sizeof buffer - z_.avail_out;
      gzip_sha_.update(buffer, produced);
      gzip_size_ += static_cast<int64_t>(produced);
      out_.write(reinterpret_cast<const char*>(buffer), static_cast<std::streamsize>(produced));
    } while (z_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }

  std::ofstream out_;
  z_stream z_{};
  gz_header header_{};
  Sha256 tar_sha_, gzip_sha_;
  int64_t tar_size_ = 0, gzip_size_ = 0;
};

la_ssize_t on_archive_write(archive*, void* sink, const void* buffer, size_t length) {
  try {
    static_cast<GzipHashingSink*>(sink)->write(buffer, length);
    return static_cast<la_ssize_t>(length);
  } catch (const std::exception&) {
    return -1;
  }
}

void check(archive* a, int rc, const std::string& what) {
  if (rc < ARCHIVE_OK) {
    const char* message = archive_error_string(a);
    throw Error("libarchive: " + what + ": " + (message ? message : "unknown error"));
  }
}

void validate_path(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/' ||
      path.find("//") != std::string::npos)
    throw Error("invalid layer path '" + path + "': must be relative, without empty parts");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    if (part == "." || part == "..")
      throw Error("invalid layer path '" + path + "': no . or .. parts");
    start = end + 1;
  }
}

void write_file_data(archive* a, const LayerEntry& entry) {
  if (entry.source.empty()) {
    if (!entry.content.empty() &&
        archive_write_data(a, entry.content.data(), entry.content.size()) < 0)
      check(a, ARCHIVE_FATAL, "writing " + entry.path);
    return;
  }
  std::ifstream in(entry.source, std::ios::binary);
  if (!in) throw Error("cannot read " + entry.source.string());
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    if (in.gcount() > 0 && archive_write_data(a, buffer, static_cast<size_t>(in.gcount())) < 0)
      check(a, ARCHIVE_FATAL, "writing " + entry.path);
  }
  if (in.bad()) throw Error("cannot read " + entry.source.string());
}

int64_t file_size_of(const LayerEntry& entry) {
  if (entry.source.empty()) return static_cast<int64_t>(entry.content.size());
  std::error_code ec;
  auto size = std::filesystem::file_size(entry.source, ec);
  if (ec) throw Error("cannot read " + entry.source.string() + ": " + ec.message());
  return static_cast<int64_t>(size);
}

}  // namespace

std::vector<LayerEntry> normalize_entries(std::vector<LayerEntry> entries) {
  std::set<std::string> paths;
  for (const LayerEntry& e : entries) {
    validate_path(e.path);
    if (!paths.insert(e.path).second) throw Error("layer path '" + e.path + "' is given twice");
  }
  std::vector<LayerEntry> parents;
  for (const LayerEntry& e : entries) {
    for (size_t slash = e.path.find('/'); slash != std::string::npos;
         slash = e.path.find('/', slash + 1)) {
      std::string parent = e.path.substr(0, slash);
      if (paths.insert(parent).second) parents.push_back(LayerEntry::directory(parent));
    }
  }
  entries.insert(entries.end(), parents.begin(), parents.end());
  std::sort(entries.begin(), entries.end(),
            [](const LayerEntry& a, const LayerEntry& b) { return a.path < b.path; });
  return entries;
}

namespace {

// Writes sorted entries as a deterministic tar stream to `write` (called with each chunk).
using ChunkWriter = la_ssize_t (*)(archive*, void*, const void*, size_t);
void write_tar(const std::vector<LayerEntry>& entries, int64_t mtime, void* sink,
               ChunkWriter write) {
  ArchiveWriter writer(archive_write_new());
  archive* a = writer.get();
  // pax_restricted writes plain USTAR headers and adds PAX records only for entries
  // USTAR cannot represent (long paths, large ids), never timestamps we did not set.
  check(a, archive_write_set_format_pax_restricted(a), "set format");
  check(a, archive_write_add_filter_none(a), "set filter");
  check(a, archive_write_set_bytes_in_last_block(a, 1), "set block padding");
  check(a, archive_write_open(a, sink, nullptr, write, nullptr), "open");
  for (const LayerEntry& e : entries) {
    ArchiveEntry entry(archive_entry_new());
    archive_entry* ae = entry.get();
    bool is_dir = e.type == LayerEntry::Type::kDirectory;
    archive_entry_set_pathname_utf8(ae, (is_dir ? e.path + "/" : e.path).c_str());
    archive_entry_set_perm(ae, e.mode & 07777);
    archive_entry_set_uid(ae, e.uid);
    archive_entry_set_gid(ae, e.gid);
    archive_entry_set_mtime(ae, mtime, 0);
    switch (e.type) {
      case LayerEntry::Type::kDirectory:
        archive_entry_set_filetype(ae, AE_IFDIR);
        break;
      case LayerEntry::Type::kSymlink:
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_symlink_utf8(ae, e.link_target.c_str());
        break;
      case LayerEntry::Type::kFile:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_size(ae, file_size_of(e));
        break;
    }
    check(a, archive_write_header(a, ae), "writing header of " + e.path);
    if (e.type == LayerEntry::Type::kFile) write_file_data(a, e);
  }
  check(a, archive_write_close(a), "close");
}

la_ssize_t on_plain_write(archive*, void* out, const void* buffer, size_t length) {
  auto* stream = static_cast<std::ofstream*>(out);
  stream->write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
  return *stream ? static_cast<la_ssize_t>(length) : -1;
}

}  // namespace

WrittenLayer write_layer(std::vector<LayerEntry> entries, const LayerOptions& options,
                         BlobStore& store) {
  entries = normalize_entries(std::move(entries));
  std::filesystem::path blob_dir = store.root() / "blobs" / "sha256";
  std::filesystem::create_directories(blob_dir);
  TempFile temp(blob_dir / "layer");
  GzipHashingSink sink(temp.path(), options.compression_level);
  write_tar(entries, options.mtime, &sink, on_archive_write);
  sink.finish();

  WrittenLayer layer{.digest = Digest::from_hex(sink.gzip_sha().finish_hex()),
                     .diff_id = Digest::from_hex(sink.tar_sha().finish_hex()),
                     .size = sink.gzip_size(),
                     .compression = "gzip (zlib " + std::string(zlibVersion()) + ", level " +
                                    std::to_string(options.compression_level) + ")"};
  if (store.has(layer.digest)) return layer;  // identical blob already cached; temp is removed
  std::filesystem::permissions(temp.path(), std::filesystem::perms(0444));
  temp.commit_to(store.path_of(layer.digest));
  return layer;
}

void write_tar_file(std::vector<LayerEntry> entries, int64_t mtime,
                    const std::filesystem::path& path) {
  entries = normalize_entries(std::move(entries));
  TempFile temp(path);
  {
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + temp.path().string());
    write_tar(entries, mtime, &out, on_plain_write);
    out.close();
    if (!out) throw Error("cannot write " + path.string() + " (disk full?)");
  }
  std::filesystem::permissions(temp.path(), std::filesystem::perms(0644));
  temp.commit();
}

}  // namespace ko
