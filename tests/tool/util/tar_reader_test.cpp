// read_tar: every entry of a tar stream in order, and a damaged stream is an error naming
// it — never a silent early end (a truncated base layer once looked like a smaller rootfs,
// and its missing error text crashed the helper: found by fuzz.rootfs_tar).
#include "util/tar_reader.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "digest/encoding.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::TempDir;
using testing::write_file;

void write_tar(const std::filesystem::path& file,
               const std::vector<std::pair<std::string, std::string>>& files) {
  ArchiveWriter writer(archive_write_new());
  archive* a = writer.get();
  archive_write_set_format_ustar(a);
  ASSERT_EQ(archive_write_open_filename(a, file.c_str()), ARCHIVE_OK);
  for (const auto& [path, content] : files) {
    ArchiveEntry entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
    ASSERT_EQ(archive_write_header(a, entry.get()), ARCHIVE_OK);
    ASSERT_EQ(archive_write_data(a, content.data(), content.size()),
              static_cast<la_ssize_t>(content.size()));
  }
  ASSERT_EQ(archive_write_close(a), ARCHIVE_OK);
}

TEST(TarReader, ReadsEveryEntryAndItsData) {
  TempDir dir;
  write_tar(dir / "layer.tar", {{"a", "one"}, {"b/c", std::string(100000, 'x')}});
  std::vector<std::string> seen;
  read_tar(dir / "layer.tar", "layer", [&](archive* a, archive_entry* entry) {
    std::string data;
    read_tar_data(a, "layer", [&](const char* bytes, size_t size) { data.append(bytes, size); });
    seen.push_back(std::string(archive_entry_pathname(entry)) + "=" + std::to_string(data.size()));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a=3", "b/c=100000"}));
}

TEST(TarReader, TruncatedStreamIsAnErrorNamingIt) {
  TempDir dir;
  write_tar(dir / "layer.tar", {{"a", std::string(5000, 'y')}, {"b", "two"}});
  std::filesystem::resize_file(dir / "layer.tar", 1024);  // cut inside a's data
  try {
    read_tar(dir / "layer.tar", "base layer sha256:x",
             [&](archive* a, archive_entry*) { read_tar_data(a, "base layer sha256:x", {}); });
    FAIL() << "a truncated tar was read without an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("base layer sha256:x"), std::string::npos) << e.what();
  }
}

// The input fuzz.rootfs_tar found: a gzip stream cut short after a directory entry.
TEST(TarReader, FuzzFoundTruncatedGzipIsAnError) {
  TempDir dir;
  const std::string input = base64_decode(
      "H4sIAAAAAAACA+3W0QqCMBTG8T2KL+Dc1vGstwnLSGGoaaaP35KuopuEDcHvR2LhxQZ/j+bqcyYCUx4TLWfv+/zjO+"
      "daiSQXEYzDo+j9kmKfnO8/H/nOlLq6Gef01oyZKz8//JWUSQ6tNDH7ayJLIlHoH6M/0+bm3xpzMR/oIrZ+fv5d23ab"
      "6q+VsfrdP/DG0F9cH5esK4ZhKjc1//Zg8PyP1V9OlQx5D6yYfzI5+sfwLPql/3K03X0j/XOt0T+GqujL0Gus6W/981/"
      "HeDkI7bz/2IVjXzHF//tf+39SZssH8w8AAAAAAAAAAAAA8JcXrlkb",
      "test input");
  write_file(dir / "layer", input);
  EXPECT_THROW(read_tar(dir / "layer", "base layer", [](archive*, archive_entry*) {}), Error);
}

TEST(TarReader, NotATarIsAnError) {
  TempDir dir;
  write_file(dir / "layer", "this is not a tar stream, compressed or otherwise\n");
  EXPECT_THROW(read_tar(dir / "layer", "base layer", [](archive*, archive_entry*) {}), Error);
}

}  // namespace
}  // namespace ko
