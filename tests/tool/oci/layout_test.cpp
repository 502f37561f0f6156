#include "oci/layout.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "oci/media_types.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// A tiny image built in code: a config, one "layer" and a manifest, all in a blob store.
struct TinyImage {
  Descriptor config, layer, manifest;
};

TinyImage put_tiny_image(BlobStore& store, const std::string& layer_bytes = "not really a tar") {
  TinyImage image;
  const std::string config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers"}})";
  image.config = {std::string(media_type::kOciConfig), store.put(config),
                  static_cast<int64_t>(config.size())};
  image.layer = {std::string(media_type::kOciLayerGzip), store.put(layer_bytes),
                 static_cast<int64_t>(layer_bytes.size())};
  json::Value manifest;
  manifest["schemaVersion"] = 2;
  manifest["mediaType"] = std::string(media_type::kOciManifest);
  manifest["config"] = image.config.to_json();
  manifest["layers"] = json::Array{image.layer.to_json()};
  const std::string manifest_bytes = json::dump(manifest);
  image.manifest = {std::string(media_type::kOciManifest), store.put(manifest_bytes),
                    static_cast<int64_t>(manifest_bytes.size())};
  return image;
}

std::set<std::string> blob_files(const fs::path& layout) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(layout / "blobs/sha256"))
    names.insert(entry.path().filename().string());
  return names;
}

class LayoutTest : public ::testing::Test {
 protected:
  TempDir dir_;
  BlobStore cache_{dir_ / "cache"};
};

TEST_F(LayoutTest, WritesIndexWithRefNameAndAllBlobs) {
  TinyImage image = put_tiny_image(cache_);
  Layout layout(dir_ / "layout");
  EXPECT_TRUE(layout.write(cache_, image.manifest, {"latest"}));

  json::Value marker = json::parse(testing::read_bytes(dir_ / "layout/oci-layout"));
  EXPECT_EQ(marker.get_string("imageLayoutVersion"), "1.0.0");

  json::Value index = json::parse(testing::read_bytes(dir_ / "layout/index.json"));
  EXPECT_EQ(index["schemaVersion"].as_int(), 2);
  EXPECT_EQ(index["mediaType"].as_string(), media_type::kOciIndex);
  const json::Array& manifests = index["manifests"].as_array();
  ASSERT_EQ(manifests.size(), 1u);
  EXPECT_EQ(manifests[0].get_string("digest"), image.manifest.digest.str());
  EXPECT_EQ(manifests[0].get_string("mediaType"), media_type::kOciManifest);
  json::Value entry = manifests[0];
  EXPECT_EQ(json::dump(entry["annotations"]), R"({"org.opencontainers.image.ref.name":"latest"})");

  EXPECT_EQ(blob_files(dir_ / "layout"),
            (std::set<std::string>{image.config.digest.hex(), image.layer.digest.hex(),
                                   image.manifest.digest.hex()}));
  for (const Descriptor& d : {image.config, image.layer, image.manifest})
    EXPECT_EQ(Digest::of_file(layout.blobs().path_of(d.digest)), d.digest);
}

TEST_F(LayoutTest, ManifestsReadsBackWhatWasWritten) {
  TinyImage image = put_tiny_image(cache_);
  Layout layout(dir_ / "layout");
  layout.write(cache_, image.manifest, {"v1", "latest"});
  std::vector<Descriptor> entries = Layout(dir_ / "layout").manifests();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].digest, image.manifest.digest);
  EXPECT_EQ(entries[0].annotations.at("org.opencontainers.image.ref.name"), "v1");
  EXPECT_EQ(entries[1].annotations.at("org.opencontainers.image.ref.name"), "latest");
  EXPECT_EQ(entries[1].size, image.manifest.size);
}

TEST_F(LayoutTest, ManifestsOfANonLayoutThrows) {
  fs::create_directories(dir_ / "empty");
  EXPECT_THROW(Layout(dir_ / "empty").manifests(), Error);
}

TEST_F(LayoutTest, StaleBlobsAreRemoved) {
  const fs::path stale = dir_ / "layout/blobs/sha256" / std::string(64, 'e');
  testing::write_file(stale, "left over from an older build", fs::perms(0444));
  TinyImage image = put_tiny_image(cache_);
  Layout(dir_ / "layout").write(cache_, image.manifest, {"latest"});
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_EQ(blob_files(dir_ / "layout").size(), 3u);
}

TEST_F(LayoutTest, ReplacingTheImageDropsTheOldOnesBlobs) {
  TinyImage first = put_tiny_image(cache_, "layer one");
  TinyImage second = put_tiny_image(cache_, "layer two");
  Layout layout(dir_ / "layout");
  layout.write(cache_, first.manifest, {"latest"});
  EXPECT_TRUE(layout.write(cache_, second.manifest, {"latest"}));
  std::set<std::string> blobs = blob_files(dir_ / "layout");
  EXPECT_FALSE(blobs.contains(first.layer.digest.hex()));
  EXPECT_FALSE(blobs.contains(first.manifest.digest.hex()));
  EXPECT_TRUE(blobs.contains(second.layer.digest.hex()));
  EXPECT_TRUE(blobs.contains(second.config.digest.hex()));  // shared config stays
}

TEST_F(LayoutTest, WritingTheSameImageAgainIsUnchanged) {
  TinyImage image = put_tiny_image(cache_);
  Layout layout(dir_ / "layout");
  ASSERT_TRUE(layout.write(cache_, image.manifest, {"latest"}));
  const auto index_time = fs::last_write_time(dir_ / "layout/index.json");
  EXPECT_FALSE(layout.write(cache_, image.manifest, {"latest"}));
  EXPECT_EQ(fs::last_write_time(dir_ / "layout/index.json"), index_time);
  EXPECT_TRUE(layout.write(cache_, image.manifest, {"v2"}));
}

TEST_F(LayoutTest, MissingBlobInTheSourceThrows) {
  TinyImage image = put_tiny_image(cache_);
  fs::remove(cache_.path_of(image.layer.digest));
  EXPECT_THROW(Layout(dir_ / "layout").write(cache_, image.manifest, {"latest"}), Error);
}

TEST_F(LayoutTest, ReachableBlobsOfAnIndex) {
  TinyImage a = put_tiny_image(cache_, "layer a");
  TinyImage b = put_tiny_image(cache_, "layer b");
  json::Value index;
  index["schemaVersion"] = 2;
  index["mediaType"] = std::string(media_type::kOciIndex);
  index["manifests"] = json::Array{a.manifest.to_json(), b.manifest.to_json()};
  const std::string bytes = json::dump(index);
  Descriptor top{std::string(media_type::kOciIndex), cache_.put(bytes),
                 static_cast<int64_t>(bytes.size())};
  std::set<std::string> digests;
  for (const Descriptor& d : reachable_blobs(cache_, top)) digests.insert(d.digest.hex());
  // The config is shared, so it is listed once.
  EXPECT_EQ(digests, (std::set<std::string>{top.digest.hex(), a.manifest.digest.hex(),
                                            b.manifest.digest.hex(), a.config.digest.hex(),
                                            a.layer.digest.hex(), b.layer.digest.hex()}));
  EXPECT_EQ(reachable_blobs(cache_, top).size(), 6u);
}

TEST_F(LayoutTest, ReachableBlobsVerifiesManifestBytes) {
  TinyImage image = put_tiny_image(cache_);
  const fs::path path = cache_.path_of(image.manifest.digest);
  std::string bytes = testing::read_bytes(path);
  bytes[bytes.size() - 1] = ' ';  // still the same size, different content
  fs::permissions(path, fs::perms(0644));
  testing::write_file(path, bytes);
  const Digest actual = Digest::of_bytes(bytes);
  try {
    reachable_blobs(cache_, image.manifest);
    FAIL() << "no exception";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(image.manifest.digest.str()), std::string::npos) << message;
    EXPECT_NE(message.find(actual.str()), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace ko
