#include "oci/docker_archive.hpp"

#include <gtest/gtest.h>

#include <map>

#include "json/json.hpp"
#include "oci/static_base.hpp"
#include "test_support.hpp"
#include "util/archive_handles.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {
namespace {

using testing::TempDir;

// The files of a tar, by path.
std::map<std::string, std::string> read_tar(const fs::path& path) {
  ArchiveReader reader(archive_read_new());
  archive* a = reader.get();
  archive_read_support_format_tar(a);
  const std::string bytes = read_file(path);
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  std::map<std::string, std::string> files;
  archive_entry* entry;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string data;
    char buffer[8192];
    la_ssize_t n;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) data.append(buffer, n);
    files[archive_entry_pathname(entry)] = data;
  }
  return files;
}

class DockerArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    top_ = write_static_base(dir_.path() / "base.oci", KO_STATIC_BASE_DATA_DIR);
    layout_.emplace(dir_.path() / "base.oci");
  }
  TempDir dir_;
  Descriptor top_;
  std::optional<Layout> layout_;
};

TEST_F(DockerArchiveTest, PicksThePlatformsImageOfAnIndex) {
  Descriptor arm64 = image_for_platform(*layout_, top_, Platform::parse("linux/arm64"));
  json::Value manifest = json::parse(layout_->blobs().read_verified(arm64.digest));
  json::Value config = json::parse(
      layout_->blobs().read_verified(Descriptor::from_json(manifest["config"], "config").digest));
  EXPECT_EQ(config.get_string("architecture"), "arm64");
  EXPECT_THROW(image_for_platform(*layout_, top_, Platform::parse("linux/sparc64")), Error);
}

TEST_F(DockerArchiveTest, EveryRepoTagIsInTheManifestAndRepositories) {
  Descriptor image = image_for_platform(*layout_, top_, Platform::parse("linux/amd64"));
  const fs::path out = dir_.path() / "image.tar";
  write_docker_archive(*layout_, image,
                       {"ko.local/hello:" + image.digest.hex(), "ko.local/hello:latest"}, 0, out);
  auto files = read_tar(out);
  json::Value manifest = json::parse(files.at("manifest.json"));
  const json::Array& items = manifest.as_array();
  ASSERT_EQ(items.size(), 1u);
  const json::Array& tags = items[0].get("RepoTags")->as_array();
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].as_string(), "ko.local/hello:" + image.digest.hex());
  EXPECT_EQ(tags[1].as_string(), "ko.local/hello:latest");
  const std::string config = items[0].get_string("Config");
  EXPECT_TRUE(files.contains(config)) << config;
  for (const json::Value& layer : items[0].get("Layers")->as_array())
    EXPECT_TRUE(files.contains(layer.as_string())) << layer.as_string();
  json::Value repositories = json::parse(files.at("repositories"));
  EXPECT_EQ(repositories["ko.local/hello"].get_string("latest"),
            config.substr(config.rfind('/') + 1));
}

TEST_F(DockerArchiveTest, RejectsATagWithoutARepository) {
  Descriptor image = image_for_platform(*layout_, top_, Platform::parse("linux/amd64"));
  EXPECT_THROW(
      write_docker_archive(*layout_, image, {"localhost:5000/hello"}, 0, dir_.path() / "x.tar"),
      Error);
}

}  // namespace
}  // namespace ko
