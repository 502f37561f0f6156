#include "layer/layer_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "decompress.hpp"
#include "layer/parallel_gzip.hpp"
#include "oci/blob_store.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::gunzip;
using testing::ScopedUmask;
using testing::TempDir;
using testing::unzstd;
using testing::write_file;

// --- Reading a layer back, independently of the writer -------------------------------

// One 512-byte USTAR header as it is in the stream, pax extended headers included.
struct RawHeader {
  char typeflag;
  std::string name;
  std::string uname;
  std::string gname;
};

std::string field(const std::string& tar, size_t offset, size_t length) {
  std::string value = tar.substr(offset, length);
  return value.substr(0, value.find('\0'));
}

std::vector<RawHeader> raw_headers(const std::string& tar) {
  std::vector<RawHeader> headers;
  size_t offset = 0;
  while (offset + 512 <= tar.size()) {
    std::string block = tar.substr(offset, 512);
    if (block == std::string(512, '\0')) break;
    int64_t size = std::stoll(field(block, 124, 12), nullptr, 8);
    headers.push_back(
        {block[156], field(block, 0, 100), field(block, 265, 32), field(block, 297, 32)});
    offset += 512 + static_cast<size_t>((size + 511) / 512 * 512);
  }
  return headers;
}

// An entry as libarchive reads it.
struct TarEntry {
  std::string path;
  mode_t type = 0;
  int perm = 0;
  int64_t uid = -1, gid = -1;
  std::string uname, gname;
  int64_t mtime = -1;
  long mtime_nsec = -1;
  bool has_atime = false, has_ctime = false;
  std::string symlink;
  std::string data;
};

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

// Reads the compressed blob with libarchive's own gzip and tar readers.
std::vector<TarEntry> read_layer(const std::string& blob) {
  std::unique_ptr<archive, ArchiveReadDeleter> reader(archive_read_new());
  archive* a = reader.get();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  if (archive_read_open_memory(a, blob.data(), blob.size()) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  std::vector<TarEntry> entries;
  archive_entry* ae;
  int rc;
  while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
    TarEntry e;
    e.path = archive_entry_pathname(ae);
    e.type = archive_entry_filetype(ae);
    e.perm = static_cast<int>(archive_entry_perm(ae));
    e.uid = archive_entry_uid(ae);
    e.gid = archive_entry_gid(ae);
    if (const char* u = archive_entry_uname(ae)) e.uname = u;
    if (const char* g = archive_entry_gname(ae)) e.gname = g;
    e.mtime = archive_entry_mtime(ae);
    e.mtime_nsec = archive_entry_mtime_nsec(ae);
    e.has_atime = archive_entry_atime_is_set(ae);
    e.has_ctime = archive_entry_ctime_is_set(ae);
    if (const char* target = archive_entry_symlink(ae)) e.symlink = target;
    char buffer[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) e.data.append(buffer, n);
    if (n < 0) throw std::runtime_error(archive_error_string(a));
    entries.push_back(std::move(e));
  }
  if (rc != ARCHIVE_EOF) throw std::runtime_error(archive_error_string(a));
  return entries;
}

std::vector<std::string> paths_of(const std::vector<TarEntry>& entries) {
  std::vector<std::string> paths;
  for (const TarEntry& e : entries) paths.push_back(e.path);
  return paths;
}

const TarEntry& entry_at(const std::vector<TarEntry>& entries, const std::string& path) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const TarEntry& e) { return e.path == path; });
  if (it == entries.end()) throw std::runtime_error("no entry " + path + " in the layer");
  return *it;
}

// --- Fixture ------------------------------------------------------------------------

class LayerWriterTest : public ::testing::Test {
 protected:
  std::vector<LayerEntry> sample_entries() {
    write_file(dir_ / "host/hello",
               "\x7f"
               "ELF pretend binary",
               std::filesystem::perms(0755));
    return {
        LayerEntry::file_from("ko-app/hello", dir_ / "host/hello", 0555),
        LayerEntry::file_with("var/run/ko/index.html", "<h1>hi</h1>\n", 0444),
        LayerEntry::symlink("var/run/ko/latest", "index.html"),
    };
  }

  WrittenLayer write(std::vector<LayerEntry> entries, LayerOptions options = {},
                     const std::string& store_name = "store") {
    BlobStore store(dir_ / store_name);
    return write_layer(std::move(entries), options, store.directory());
  }

  std::string blob_bytes(const WrittenLayer& layer, const std::string& store_name = "store") {
    return testing::read_bytes(BlobStore(dir_ / store_name).path_of(layer.digest));
  }

  TempDir dir_;
};

TEST_F(LayerWriterTest, SameEntriesTwiceGiveIdenticalBlob) {
  WrittenLayer first = write(sample_entries(), {}, "store-a");
  WrittenLayer second = write(sample_entries(), {}, "store-b");
  EXPECT_EQ(first.digest, second.digest);
  EXPECT_EQ(first.diff_id, second.diff_id);
  EXPECT_EQ(first.size, second.size);
  EXPECT_EQ(blob_bytes(first, "store-a"), blob_bytes(second, "store-b"));
}

TEST_F(LayerWriterTest, InputOrderDoesNotMatter) {
  std::vector<LayerEntry> entries = sample_entries();
  WrittenLayer forward = write(entries, {}, "store-a");
  std::reverse(entries.begin(), entries.end());
  WrittenLayer reversed = write(entries, {}, "store-b");
  EXPECT_EQ(forward.digest, reversed.digest);
}

TEST_F(LayerWriterTest, BlobIsStoredUnderItsDigestWithItsSize) {
  WrittenLayer layer = write(sample_entries());
  BlobStore store(dir_ / "store");
  ASSERT_TRUE(store.has(layer.digest));
  EXPECT_EQ(Digest::of_file(store.path_of(layer.digest)), layer.digest);
  EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(store.path_of(layer.digest))),
            layer.size);
  EXPECT_NE(layer.digest, layer.diff_id);
  EXPECT_NE(layer.compression.find("gzip"), std::string::npos) << layer.compression;
}

TEST_F(LayerWriterTest, WritingAgainIntoTheSameStoreLeavesOneBlob) {
  WrittenLayer first = write(sample_entries());
  WrittenLayer second = write(sample_entries());
  EXPECT_EQ(first.digest, second.digest);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "store/blobs/sha256")) {
    EXPECT_EQ(entry.path().filename().string(), first.digest.hex());
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(LayerWriterTest, GzipHeaderHasNoNameNoMtimeAndUnknownOs) {
  std::string blob = blob_bytes(write(sample_entries()));
  ASSERT_GE(blob.size(), 10u);
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(blob[i]); };
  EXPECT_EQ(byte(0), 0x1f);
  EXPECT_EQ(byte(1), 0x8b);
  EXPECT_EQ(byte(2), 8) << "compression method deflate";
  EXPECT_EQ(byte(3) & 0x08, 0) << "FNAME flag set";
  EXPECT_EQ(byte(3) & 0x10, 0) << "FCOMMENT flag set";
  EXPECT_EQ(byte(4), 0);
  EXPECT_EQ(byte(5), 0);
  EXPECT_EQ(byte(6), 0);
  EXPECT_EQ(byte(7), 0);
  EXPECT_EQ(byte(9), 255) << "OS byte";
}

TEST_F(LayerWriterTest, UncompressedTarHashesToDiffId) {
  WrittenLayer layer = write(sample_entries());
  std::string tar = gunzip(blob_bytes(layer));
  EXPECT_EQ(Digest::of_bytes(tar), layer.diff_id);
  EXPECT_EQ(tar.size() % 512, 0u);
  ASSERT_GE(tar.size(), 1024u);
  EXPECT_EQ(tar.substr(tar.size() - 1024), std::string(1024, '\0')) << "end-of-archive blocks";
}

TEST_F(LayerWriterTest, ParentDirectoriesAreAddedBeforeTheirFiles) {
  WrittenLayer layer = write({LayerEntry::file_with("ko-app/hello", "x", 0555)});
  std::vector<TarEntry> entries = read_layer(blob_bytes(layer));
  EXPECT_EQ(paths_of(entries), (std::vector<std::string>{"ko-app/", "ko-app/hello"}));
  EXPECT_EQ(entries[0].type, AE_IFDIR);
  EXPECT_EQ(entries[0].perm, 0755);
  EXPECT_EQ(entries[1].type, AE_IFREG);
}

TEST_F(LayerWriterTest, EntriesAreSortedByPath) {
  WrittenLayer layer = write({
      LayerEntry::file_with("var/run/ko/b.txt", "b"),
      LayerEntry::file_with("ko-app/hello", "x", 0555),
      LayerEntry::file_with("var/run/ko/a.txt", "a"),
      LayerEntry::file_with("etc/passwd", "root:x:0:0::/root:/sbin/nologin\n"),
  });
  EXPECT_EQ(
      paths_of(read_layer(blob_bytes(layer))),
      (std::vector<std::string>{"etc/", "etc/passwd", "ko-app/", "ko-app/hello", "var/", "var/run/",
                                "var/run/ko/", "var/run/ko/a.txt", "var/run/ko/b.txt"}));
}

TEST_F(LayerWriterTest, ExplicitDirectoryIsNotDuplicatedAndKeepsItsMode) {
  WrittenLayer layer =
      write({LayerEntry::file_with("tmp/x", "x"), LayerEntry::directory("tmp", 01777)});
  std::vector<TarEntry> entries = read_layer(blob_bytes(layer));
  EXPECT_EQ(paths_of(entries), (std::vector<std::string>{"tmp/", "tmp/x"}));
  EXPECT_EQ(entries[0].perm, 01777);
}

TEST_F(LayerWriterTest, HeadersCarryOnlyWhatWasGiven) {
  LayerOptions options;
  options.mtime = 1700000000;
  std::vector<TarEntry> entries = read_layer(blob_bytes(write(sample_entries(), options)));
  ASSERT_EQ(entries.size(), 7u);  // ko-app/, hello, var/, var/run/, var/run/ko/, html, link
  for (const TarEntry& e : entries) {
    SCOPED_TRACE(e.path);
    EXPECT_EQ(e.uid, 0);
    EXPECT_EQ(e.gid, 0);
    EXPECT_EQ(e.uname, "");
    EXPECT_EQ(e.gname, "");
    EXPECT_EQ(e.mtime, 1700000000);
    EXPECT_EQ(e.mtime_nsec, 0);
    EXPECT_FALSE(e.has_atime);
    EXPECT_FALSE(e.has_ctime);
  }
  EXPECT_EQ(entry_at(entries, "ko-app/hello").perm, 0555);
  EXPECT_EQ(entry_at(entries, "var/run/ko/index.html").perm, 0444);
  EXPECT_EQ(entry_at(entries, "var/run/ko/").perm, 0755);
}

TEST_F(LayerWriterTest, RawHeadersHaveEmptyUserAndGroupNames) {
  std::string tar = gunzip(blob_bytes(write(sample_entries())));
  std::vector<RawHeader> headers = raw_headers(tar);
  ASSERT_EQ(headers.size(), 7u);
  for (const RawHeader& h : headers) {
    SCOPED_TRACE(h.name);
    EXPECT_EQ(h.uname, "");
    EXPECT_EQ(h.gname, "");
  }
}

TEST_F(LayerWriterTest, OwnerIsWrittenAsGiven) {
  LayerEntry home = LayerEntry::directory("home/nonroot", 0700);
  home.uid = 65532;
  home.gid = 65532;
  std::vector<TarEntry> entries = read_layer(blob_bytes(write({home})));
  const TarEntry& e = entry_at(entries, "home/nonroot/");
  EXPECT_EQ(e.uid, 65532);
  EXPECT_EQ(e.gid, 65532);
  EXPECT_EQ(e.perm, 0700);
  EXPECT_EQ(entry_at(entries, "home/").uid, 0);
}

TEST_F(LayerWriterTest, ContentsAndSymlinksRoundTrip) {
  std::string big(200000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
  write_file(dir_ / "host/big", big);
  std::vector<TarEntry> entries = read_layer(blob_bytes(write({
      LayerEntry::file_from("data/big", dir_ / "host/big", 0444),
      LayerEntry::file_with("data/small", "hello\n"),
      LayerEntry::file_with("data/empty", ""),
      LayerEntry::symlink("data/link", "small"),
  })));
  EXPECT_EQ(entry_at(entries, "data/big").data, big);
  EXPECT_EQ(entry_at(entries, "data/small").data, "hello\n");
  EXPECT_EQ(entry_at(entries, "data/empty").data, "");
  EXPECT_EQ(entry_at(entries, "data/empty").type, AE_IFREG);
  EXPECT_EQ(entry_at(entries, "data/link").type, AE_IFLNK);
  EXPECT_EQ(entry_at(entries, "data/link").symlink, "small");
}

TEST_F(LayerWriterTest, ShortPathsUsePlainUstarHeaders) {
  WrittenLayer layer = write(sample_entries());
  std::vector<RawHeader> headers = raw_headers(gunzip(blob_bytes(layer)));
  ASSERT_FALSE(headers.empty());
  for (const RawHeader& h : headers) {
    SCOPED_TRACE(h.name);
    EXPECT_NE(h.typeflag, 'x');
    EXPECT_NE(h.typeflag, 'g');
    EXPECT_EQ(h.name.find("PaxHeader"), std::string::npos);
  }
  for (const TarEntry& e : read_layer(blob_bytes(layer)))
    EXPECT_EQ(e.path.find("PaxHeader"), std::string::npos) << e.path;
}

TEST_F(LayerWriterTest, PathLongerThanUstarAllowsUsesPax) {
  const std::string long_path =
      "ko-app/" + std::string(100, 'a') + "/" + std::string(100, 'b') + "/" + std::string(60, 'c');
  ASSERT_GT(long_path.size(), 255u);
  WrittenLayer layer = write({LayerEntry::file_with(long_path, "deep")});
  std::vector<RawHeader> headers = raw_headers(gunzip(blob_bytes(layer)));
  EXPECT_TRUE(std::any_of(headers.begin(), headers.end(),
                          [](const RawHeader& h) { return h.typeflag == 'x'; }));
  std::vector<TarEntry> entries = read_layer(blob_bytes(layer));
  EXPECT_EQ(entry_at(entries, long_path).data, "deep");
}

TEST_F(LayerWriterTest, MtimeChangesDigest) {
  LayerOptions later;
  later.mtime = 1;
  WrittenLayer at_zero = write(sample_entries(), {}, "store-a");
  WrittenLayer at_one = write(sample_entries(), later, "store-b");
  EXPECT_NE(at_zero.digest, at_one.digest);
  EXPECT_NE(at_zero.diff_id, at_one.diff_id);
}

TEST_F(LayerWriterTest, ModeChangesDigest) {
  WrittenLayer a = write({LayerEntry::file_with("f", "x", 0444)}, {}, "store-a");
  WrittenLayer b = write({LayerEntry::file_with("f", "x", 0555)}, {}, "store-b");
  EXPECT_NE(a.diff_id, b.diff_id);
}

TEST_F(LayerWriterTest, DuplicatePathThrows) {
  EXPECT_THROW(write({LayerEntry::file_with("ko-app/hello", "a"),
                      LayerEntry::file_with("ko-app/hello", "b")}),
               Error);
  EXPECT_THROW(write({LayerEntry::directory("ko-app"), LayerEntry::file_with("ko-app", "b")}),
               Error);
}

TEST_F(LayerWriterTest, InvalidPathsThrow) {
  for (const std::string path : {"../etc/passwd", "ko-app/../../x", "ko-app/..", "/etc/passwd",
                                 "./x", "a/./b", "a//b", "a/", ""}) {
    SCOPED_TRACE(path);
    EXPECT_THROW(write({LayerEntry::file_with(path, "x")}), Error);
  }
}

TEST_F(LayerWriterTest, DotsInsideNamesAreFine) {
  std::vector<TarEntry> entries =
      read_layer(blob_bytes(write({LayerEntry::file_with("a/..b/c..", "x")})));
  EXPECT_EQ(paths_of(entries), (std::vector<std::string>{"a/", "a/..b/", "a/..b/c.."}));
}

TEST_F(LayerWriterTest, FailureLeavesNothingInTheStore) {
  EXPECT_THROW(write({LayerEntry::file_with("ok", "x"),
                      LayerEntry::file_from("missing", dir_ / "does-not-exist", 0444)}),
               Error);
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_ / "store/blobs/sha256", ec);
  if (!ec) {
    EXPECT_EQ(it, std::filesystem::directory_iterator()) << it->path();
  }
}

TEST_F(LayerWriterTest, UmaskAndOnDiskModesDoNotChangeTheLayer) {
  // The same KODATA tree checked out twice: once under a strict umask with owner-only
  // modes, once under the usual umask with group/other bits. Only the exec bit agrees.
  auto write_tree = [&](const std::string& name, mode_t mask, std::filesystem::perms exec,
                        std::filesystem::perms plain) {
    ScopedUmask umask(mask);
    const std::filesystem::path root = dir_ / name;
    std::filesystem::create_directories(root / "kodata/sub");
    write_file(root / "kodata/run.sh", "#!/bin/sh\n", exec);
    write_file(root / "kodata/sub/data.txt", "data\n", plain);
    std::vector<LayerEntry> entries = kodata_entries(root / "kodata", "var/run/ko");
    entries.push_back(LayerEntry::file_from("ko-app/hello", root / "kodata/run.sh", 0555));
    return write(entries, {}, name + "-store");
  };
  WrittenLayer strict =
      write_tree("strict", 0077, std::filesystem::perms(0700), std::filesystem::perms(0600));
  WrittenLayer usual =
      write_tree("usual", 0022, std::filesystem::perms(0755), std::filesystem::perms(0664));
  EXPECT_EQ(strict.digest, usual.digest);
  EXPECT_EQ(strict.diff_id, usual.diff_id);
}

TEST_F(LayerWriterTest, KodataWithSymlinkBecomesALayer) {
  write_file(dir_ / "kodata/assets/app.js", "js");
  std::filesystem::create_symlink("assets/app.js", dir_ / "kodata/app.js");
  std::vector<TarEntry> entries =
      read_layer(blob_bytes(write(kodata_entries(dir_ / "kodata", "var/run/ko"))));
  EXPECT_EQ(paths_of(entries),
            (std::vector<std::string>{"var/", "var/run/", "var/run/ko/", "var/run/ko/app.js",
                                      "var/run/ko/assets/", "var/run/ko/assets/app.js"}));
  EXPECT_EQ(entry_at(entries, "var/run/ko/app.js").type, AE_IFLNK);
  EXPECT_EQ(entry_at(entries, "var/run/ko/app.js").symlink, "assets/app.js");
  EXPECT_EQ(entry_at(entries, "var/run/ko/assets/app.js").data, "js");
  EXPECT_EQ(entry_at(entries, "var/run/ko/assets/app.js").perm, 0444);
}

// --- Compression: gzip in parallel blocks, zstd; threads never change the bytes ----------

// A file of `size` deterministic, compressible bytes that look a little like code.
std::string binary_like(size_t size) {
  std::string out;
  out.reserve(size + 32);
  for (uint32_t i = 0; out.size() < size; ++i) {
    const uint32_t x = i * 2654435761u;
    out += "\x48\x8b\x45";
    out.push_back(static_cast<char>(x >> 24));
    out += i % 7 == 0 ? "call runtime.morestack" : "mov";
    out.push_back(static_cast<char>(x >> 16));
  }
  out.resize(size);
  return out;
}

TEST_F(LayerWriterTest, GzipLayerIsTheSameForAnyThreadCount) {
  write_file(dir_ / "host/app", binary_like(5 << 20), std::filesystem::perms(0755));
  auto entries = [&] {
    return std::vector<LayerEntry>{LayerEntry::file_from("ko-app/app", dir_ / "host/app", 0555),
                                   LayerEntry::file_with("var/run/ko/a.txt", "a")};
  };
  const WrittenLayer one = write(entries(), {.threads = 1}, "store-1");
  for (int threads : {2, 3, 8}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const std::string store = "store-" + std::to_string(threads);
    const WrittenLayer many = write(entries(), {.threads = threads}, store);
    EXPECT_EQ(many.digest, one.digest);
    EXPECT_EQ(many.diff_id, one.diff_id);
    EXPECT_EQ(blob_bytes(many, store), blob_bytes(one, "store-1"));
  }
  const std::string tar = gunzip(blob_bytes(one, "store-1"));
  EXPECT_EQ(Digest::of_bytes(tar), one.diff_id);
  EXPECT_EQ(entry_at(read_layer(blob_bytes(one, "store-1")), "ko-app/app").data,
            binary_like(5 << 20));
  EXPECT_EQ(one.compression, parallel_gzip_description(1));
}

TEST_F(LayerWriterTest, ZstdLayerIsTheSameForOneTwoAndFourThreads) {
  write_file(dir_ / "host/app", binary_like(12 << 20), std::filesystem::perms(0755));
  auto entries = [&] {
    return std::vector<LayerEntry>{LayerEntry::file_from("ko-app/app", dir_ / "host/app", 0555)};
  };
  const LayerOptions zstd{.compression = Compression::kZstd, .threads = 1};
  const WrittenLayer one = write(entries(), zstd, "store-1");
  for (int threads : {2, 4}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    LayerOptions options = zstd;
    options.threads = threads;
    const std::string store = "store-" + std::to_string(threads);
    const WrittenLayer many = write(entries(), options, store);
    EXPECT_EQ(many.digest, one.digest);
    EXPECT_EQ(blob_bytes(many, store), blob_bytes(one, "store-1"));
  }
}

TEST_F(LayerWriterTest, ZstdLayerHoldsTheSameTarAsTheGzipLayer) {
  const WrittenLayer gzip = write(sample_entries(), {}, "store-gzip");
  const WrittenLayer zstd =
      write(sample_entries(), {.compression = Compression::kZstd}, "store-zstd");
  const std::string blob = blob_bytes(zstd, "store-zstd");
  EXPECT_EQ(zstd.diff_id, gzip.diff_id);
  EXPECT_NE(zstd.digest, gzip.digest);
  EXPECT_EQ(Digest::of_bytes(unzstd(blob)), zstd.diff_id);
  EXPECT_EQ(Digest::of_bytes(blob), zstd.digest);
  EXPECT_EQ(static_cast<int64_t>(blob.size()), zstd.size);
  EXPECT_EQ(paths_of(read_layer(blob)), paths_of(read_layer(blob_bytes(gzip, "store-gzip"))));
  EXPECT_EQ(zstd.compression.rfind("zstd (libzstd ", 0), 0u) << zstd.compression;
  EXPECT_NE(zstd.compression.find("level 3,"), std::string::npos) << zstd.compression;
}

TEST_F(LayerWriterTest, CompressionLevelIsRecorded) {
  const WrittenLayer layer = write(sample_entries(), {.compression_level = 6});
  EXPECT_EQ(layer.compression, parallel_gzip_description(6));
  EXPECT_EQ(Digest::of_bytes(gunzip(blob_bytes(layer))), layer.diff_id);
}

// A single file of `data_size` bytes makes a tar of 512 (header) + data rounded up to 512
// + 1024 (end of archive): here exactly one compression block, and one block and a record.
TEST_F(LayerWriterTest, TarsAtTheBlockBoundaryRoundTrip) {
  const size_t block = kGzipChunkSize;
  for (size_t tar_size : {block, block + 512}) {
    SCOPED_TRACE("tar size " + std::to_string(tar_size));
    const std::string data = binary_like(tar_size - 512 - 1024);
    const std::vector<LayerEntry> entries{LayerEntry::file_with("app", data, 0555)};
    write_tar_file(entries, 0, dir_ / "expected.tar");
    const std::string tar = testing::read_bytes(dir_ / "expected.tar");
    ASSERT_EQ(tar.size(), tar_size);
    for (int threads : {1, 2}) {
      const std::string store = "store-" + std::to_string(tar_size) + "-" + std::to_string(threads);
      const WrittenLayer gzip = write(entries, {.threads = threads}, store);
      EXPECT_EQ(gunzip(blob_bytes(gzip, store)), tar);
      EXPECT_EQ(gzip.diff_id, Digest::of_bytes(tar));
      const std::string zstd_store = store + "-zstd";
      const WrittenLayer zstd =
          write(entries, {.compression = Compression::kZstd, .threads = threads}, zstd_store);
      EXPECT_EQ(unzstd(blob_bytes(zstd, zstd_store)), tar);
    }
  }
}

TEST_F(LayerWriterTest, NearlyEmptyLayersRoundTrip) {
  const std::vector<std::vector<LayerEntry>> layers{{}, {LayerEntry::directory("tmp", 01777)}};
  int n = 0;
  for (const std::vector<LayerEntry>& entries : layers) {
    for (Compression compression : {Compression::kGzip, Compression::kZstd}) {
      const std::string store = "store-" + std::to_string(++n);
      const WrittenLayer layer = write(entries, {.compression = compression}, store);
      const std::string blob = blob_bytes(layer, store);
      const std::string tar = compression == Compression::kGzip ? gunzip(blob) : unzstd(blob);
      EXPECT_EQ(tar.size(), 512 * entries.size() + 1024);
      EXPECT_EQ(Digest::of_bytes(tar), layer.diff_id);
      EXPECT_EQ(Digest::of_bytes(blob), layer.digest);
    }
  }
}

TEST_F(LayerWriterTest, FailureAfterManyBlocksLeavesNothingInTheStore) {
  // Several MB stream through the compressor threads before the missing file is reached.
  write_file(dir_ / "host/big", binary_like(6 << 20));
  for (const LayerOptions& options :
       {LayerOptions{.threads = 1}, LayerOptions{.threads = 2},
        LayerOptions{.compression = Compression::kZstd, .threads = 2}}) {
    SCOPED_TRACE("threads " + std::to_string(options.threads));
    EXPECT_THROW(write({LayerEntry::file_from("a/big", dir_ / "host/big", 0444),
                        LayerEntry::file_from("b/missing", dir_ / "does-not-exist", 0444)},
                       options),
                 Error);
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "store/blobs/sha256"))
      ADD_FAILURE() << "left behind: " << entry.path();
  }
}

// --- write_tar_file: the same tar, uncompressed, as a file ------------------------------

TEST_F(LayerWriterTest, TarFileIsByteIdenticalForTheSameEntries) {
  write_tar_file(sample_entries(), 0, dir_ / "out/a.tar");
  write_tar_file(sample_entries(), 0, dir_ / "out/b.tar");
  const std::string a = testing::read_bytes(dir_ / "out/a.tar");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, testing::read_bytes(dir_ / "out/b.tar"));
}

TEST_F(LayerWriterTest, TarFileIsAnUncompressedUstarArchive) {
  write_tar_file({LayerEntry::file_with("ko-app/hello", "x", 0555)}, 0, dir_ / "out.tar");
  const std::string tar = testing::read_bytes(dir_ / "out.tar");
  ASSERT_GE(tar.size(), 1024u);
  EXPECT_EQ(tar.size() % 512, 0u);
  EXPECT_EQ(field(tar, 0, 100), "ko-app/") << "first entry name at offset 0";
  EXPECT_EQ(tar.substr(257, 5), "ustar");
  EXPECT_EQ(tar.substr(tar.size() - 1024), std::string(1024, '\0')) << "end-of-archive blocks";
}

TEST_F(LayerWriterTest, TarFileAddsParentsAndSortsEntries) {
  write_tar_file(
      {
          LayerEntry::file_with("var/run/ko/b.txt", "b"),
          LayerEntry::file_with("ko-app/hello", "x", 0555),
          LayerEntry::file_with("var/run/ko/a.txt", "a"),
      },
      1700000000, dir_ / "out.tar");
  std::vector<TarEntry> entries = read_layer(testing::read_bytes(dir_ / "out.tar"));
  EXPECT_EQ(paths_of(entries),
            (std::vector<std::string>{"ko-app/", "ko-app/hello", "var/", "var/run/", "var/run/ko/",
                                      "var/run/ko/a.txt", "var/run/ko/b.txt"}));
  EXPECT_EQ(entry_at(entries, "var/run/").type, AE_IFDIR);
  EXPECT_EQ(entry_at(entries, "var/run/").perm, 0755);
  EXPECT_EQ(entry_at(entries, "ko-app/hello").perm, 0555);
  EXPECT_EQ(entry_at(entries, "var/run/ko/a.txt").data, "a");
  for (const TarEntry& e : entries) EXPECT_EQ(e.mtime, 1700000000) << e.path;
}

TEST_F(LayerWriterTest, TarFileIsTheLayersUncompressedTar) {
  LayerOptions options;
  options.mtime = 42;
  WrittenLayer layer = write(sample_entries(), options);
  write_tar_file(sample_entries(), 42, dir_ / "out.tar");
  EXPECT_EQ(Digest::of_file(dir_ / "out.tar"), layer.diff_id);
}

TEST_F(LayerWriterTest, TarFileFailureLeavesNothingBehind) {
  // Running as root, an unwritable directory would not stop us: fail on the input instead.
  const std::filesystem::path out_dir = dir_ / "out";
  std::filesystem::create_directories(out_dir);
  EXPECT_THROW(write_tar_file({LayerEntry::file_with("ok", "x"),
                               LayerEntry::file_from("missing", dir_ / "does-not-exist", 0444)},
                              0, out_dir / "image.tar"),
               Error);
  EXPECT_FALSE(std::filesystem::exists(out_dir / "image.tar"));
  for (const auto& entry : std::filesystem::directory_iterator(out_dir))
    ADD_FAILURE() << "left behind: " << entry.path();
}

TEST_F(LayerWriterTest, TarFileFailureKeepsAnEarlierFile) {
  write_tar_file({LayerEntry::file_with("ok", "x")}, 0, dir_ / "image.tar");
  const std::string before = testing::read_bytes(dir_ / "image.tar");
  EXPECT_THROW(write_tar_file({LayerEntry::file_from("missing", dir_ / "does-not-exist", 0444)}, 0,
                              dir_ / "image.tar"),
               Error);
  EXPECT_EQ(testing::read_bytes(dir_ / "image.tar"), before);
}

TEST(NormalizeEntries, SortsAndAddsMissingParents) {
  std::vector<LayerEntry> normalized =
      normalize_entries({LayerEntry::file_with("b/c/d", "x"), LayerEntry::file_with("a", "y")});
  std::vector<std::string> paths;
  for (const LayerEntry& e : normalized) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"a", "b", "b/c", "b/c/d"}));
  EXPECT_EQ(normalized[1].type, LayerEntry::Type::kDirectory);
  EXPECT_EQ(normalized[1].mode, 0755u);
}

}  // namespace
}  // namespace ko
