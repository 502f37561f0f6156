#include "layer/layer_writer.hpp"

#include <algorithm>
#include <exception>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "layer/parallel_gzip.hpp"
#include "layer/zstd_compressor.hpp"
#include "util/archive_handles.hpp"
#include "util/archive_library.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace {

// Hands libarchive's tar stream to the compressor. An exception cannot cross libarchive,
// so it is kept here and rethrown once libarchive reports the failed write.
struct TarSink {
  StreamCompressor& compressor;
  std::exception_ptr failure;
};

la_ssize_t on_archive_write(archive*, void* sink, const void* buffer, size_t length) {
  auto* tar_sink = static_cast<TarSink*>(sink);
  try {
    tar_sink->compressor.write(buffer, length);
    return static_cast<la_ssize_t>(length);
  } catch (...) {
    tar_sink->failure = std::current_exception();
    return -1;
  }
}

void check(archive* a, int rc, const std::string& what) {
  if (rc < ARCHIVE_OK) throw Error("libarchive: " + what + ": " + archive_error_text(a));
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
  const ArchiveLibrary& libarchive = archive_library();
  if (entry.source.empty()) {
    if (!entry.content.empty() &&
        libarchive.write_data(a, entry.content.data(), entry.content.size()) < 0)
      check(a, ARCHIVE_FATAL, "writing " + entry.path);
    return;
  }
  std::ifstream in(entry.source, std::ios::binary);
  if (!in) throw Error("cannot read " + entry.source.string());
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    if (in.gcount() > 0 && libarchive.write_data(a, buffer, static_cast<size_t>(in.gcount())) < 0)
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

int default_compression_level(Compression compression) {
  return compression == Compression::kZstd ? 3 : 1;
}

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
  const ArchiveLibrary& libarchive = archive_library();
  ArchiveWriter writer(libarchive.write_new());
  archive* a = writer.get();
  // pax_restricted writes plain USTAR headers and adds PAX records only for entries
  // USTAR cannot represent (long paths, large ids), never timestamps we did not set.
  check(a, libarchive.write_set_format_pax_restricted(a), "set format");
  check(a, libarchive.write_add_filter_none(a), "set filter");
  check(a, libarchive.write_set_bytes_in_last_block(a, 1), "set block padding");
  // Unblocked: each write reaches `write` whole, not cut into 10 KiB blocks (which changes
  // no byte: the last block is not padded either way).
  check(a, libarchive.write_set_bytes_per_block(a, 0), "set blocking");
  check(a, libarchive.write_open(a, sink, nullptr, write, nullptr), "open");
  for (const LayerEntry& e : entries) {
    ArchiveEntry entry(libarchive.entry_new());
    archive_entry* ae = entry.get();
    bool is_dir = e.type == LayerEntry::Type::kDirectory;
    libarchive.entry_set_pathname_utf8(ae, (is_dir ? e.path + "/" : e.path).c_str());
    libarchive.entry_set_perm(ae, e.mode & 07777);
    libarchive.entry_set_uid(ae, e.uid);
    libarchive.entry_set_gid(ae, e.gid);
    libarchive.entry_set_mtime(ae, mtime, 0);
    switch (e.type) {
      case LayerEntry::Type::kDirectory:
        libarchive.entry_set_filetype(ae, AE_IFDIR);
        break;
      case LayerEntry::Type::kSymlink:
        libarchive.entry_set_filetype(ae, AE_IFLNK);
        libarchive.entry_set_symlink_utf8(ae, e.link_target.c_str());
        break;
      case LayerEntry::Type::kFile:
        libarchive.entry_set_filetype(ae, AE_IFREG);
        libarchive.entry_set_size(ae, file_size_of(e));
        break;
    }
    check(a, libarchive.write_header(a, ae), "writing header of " + e.path);
    if (e.type == LayerEntry::Type::kFile) write_file_data(a, e);
  }
  check(a, libarchive.write_close(a), "close");
}

la_ssize_t on_plain_write(archive*, void* out, const void* buffer, size_t length) {
  auto* stream = static_cast<std::ofstream*>(out);
  stream->write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
  return *stream ? static_cast<la_ssize_t>(length) : -1;
}

}  // namespace

WrittenLayer write_layer(std::vector<LayerEntry> entries, const LayerOptions& options,
                         const std::filesystem::path& blob_dir) {
  entries = normalize_entries(std::move(entries));
  std::filesystem::create_directories(blob_dir);
  TempFile temp(blob_dir / "layer");
  const int level =
      options.compression_level.value_or(default_compression_level(options.compression));
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unique_ptr<StreamCompressor> compressor;
  std::string description;
  if (options.compression == Compression::kZstd) {
    compressor = zstd_compressor(temp.path(), level, threads);
    description = zstd_description(level);
  } else {
    compressor = parallel_gzip(temp.path(), level, threads);
    description = parallel_gzip_description(level);
  }
  TarSink sink{.compressor = *compressor, .failure = nullptr};
  try {
    write_tar(entries, options.mtime, &sink, on_archive_write);
  } catch (const Error&) {
    if (sink.failure) std::rethrow_exception(sink.failure);  // the compressor's own message
    throw;
  }
  CompressedStream stream = compressor->finish();

  WrittenLayer layer{.digest = stream.digest,
                     .diff_id = stream.diff_id,
                     .size = stream.size,
                     .compression = description};
  const std::filesystem::path blob = blob_dir / layer.digest.hex();
  std::error_code ec;
  if (std::filesystem::is_regular_file(blob, ec)) return layer;  // already there; temp is removed
  std::filesystem::permissions(temp.path(), std::filesystem::perms(0444));
  temp.commit_to(blob);
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
