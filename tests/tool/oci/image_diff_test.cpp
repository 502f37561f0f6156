#include "oci/image_diff.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layer/layer_writer.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "oci/platform.hpp"
#include "test_support.hpp"

namespace ko {
namespace {

using testing::TempDir;

// What a tiny image is built from; each test changes one thing.
struct ImageSpec {
  std::vector<LayerEntry> entries = {LayerEntry::file_with("ko-app/hello", "hello", 0555)};
  int64_t mtime = 0;
  std::vector<std::pair<std::string, std::string>> env;
  std::string platform = "linux/amd64";
};

Descriptor put_json(BlobStore& store, std::string_view media_type, const json::Value& value) {
  const std::string bytes = json::dump(value);
  return Descriptor{.media_type = std::string(media_type),
                    .digest = store.put(bytes),
                    .size = static_cast<int64_t>(bytes.size())};
}

// One layer on scratch, its config and manifest, all in `store`. The descriptor carries
// its platform, ready to go into an index.
Descriptor put_image(BlobStore& store, const ImageSpec& spec) {
  WrittenLayer layer =
      write_layer(spec.entries, LayerOptions{.mtime = spec.mtime}, store.directory());
  const Descriptor layer_descriptor{.media_type = std::string(media_type::kOciLayerGzip),
                                    .digest = layer.digest,
                                    .size = layer.size};
  const Platform platform = Platform::parse(spec.platform);
  ImageSettings settings{.entrypoint = "/ko-app/hello", .env = spec.env, .created = rfc3339_utc(0)};
  const Descriptor config = put_json(store, media_type::kOciConfig,
                                     make_config(json::Value(), platform, layer.diff_id, settings));
  Descriptor manifest = put_json(
      store, media_type::kOciManifest,
      make_manifest(media_type::Family::kOci, json::Array{}, config, layer_descriptor, {}));
  manifest.platform = platform.to_json();
  return manifest;
}

Descriptor put_index(BlobStore& store, const std::vector<Descriptor>& manifests) {
  return put_json(store, media_type::kOciIndex, make_index(manifests, {}));
}

class ImageDiffTest : public ::testing::Test {
 protected:
  std::string diff(const Descriptor& a, const Descriptor& b) {
    return explain_difference(ImageSide{store_a_, a, "a", {}}, ImageSide{store_b_, b, "b", {}});
  }
  std::string diff(const ImageSpec& a, const ImageSpec& b) {
    return diff(put_image(store_a_, a), put_image(store_b_, b));
  }

  TempDir dir_;
  BlobStore store_a_{dir_ / "a"};
  BlobStore store_b_{dir_ / "b"};
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(ImageDiffTest, IdenticalImagesHaveNoDifference) {
  const Descriptor a = put_image(store_a_, {});
  const Descriptor b = put_image(store_b_, {});
  ASSERT_EQ(a.digest, b.digest) << "the fixture is not deterministic";
  EXPECT_EQ(diff(a, b), "");
}

TEST_F(ImageDiffTest, FirstLineNamesBothSidesAndDigests) {
  ImageSpec changed;
  changed.entries = {LayerEntry::file_with("ko-app/hello", "HELLO", 0555)};
  const Descriptor a = put_image(store_a_, {});
  const Descriptor b = put_image(store_b_, changed);
  const std::string text = diff(a, b);
  EXPECT_EQ(text.substr(0, text.find('\n')), "a is " + a.digest.str() + ", b is " + b.digest.str());
}

TEST_F(ImageDiffTest, DifferentFileContentNamesLayerAndEntry) {
  ImageSpec changed;
  changed.entries = {LayerEntry::file_with("ko-app/hello", "HELLO", 0555)};  // same size
  const std::string text = diff(ImageSpec{}, changed);
  EXPECT_TRUE(contains(text, "layer 1 of 1")) << text;
  EXPECT_TRUE(contains(text, "tar entry ko-app/hello: content differs")) << text;
  EXPECT_TRUE(contains(text, Digest::of_bytes("hello").str())) << text;
  EXPECT_TRUE(contains(text, Digest::of_bytes("HELLO").str())) << text;
}

TEST_F(ImageDiffTest, DifferentFileSizeIsReportedAsSize) {
  ImageSpec changed;
  changed.entries = {LayerEntry::file_with("ko-app/hello", "hello, world", 0555)};
  const std::string text = diff(ImageSpec{}, changed);
  EXPECT_TRUE(contains(text, "tar entry ko-app/hello: size differs (5 vs 12)")) << text;
}

TEST_F(ImageDiffTest, DifferentModeNamesBothModesInOctal) {
  ImageSpec changed;
  changed.entries = {LayerEntry::file_with("ko-app/hello", "hello", 0755)};
  const std::string text = diff(ImageSpec{}, changed);
  EXPECT_TRUE(contains(text, "layer 1 of 1")) << text;
  EXPECT_TRUE(contains(text, "tar entry ko-app/hello: mode differs (555 vs 755)")) << text;
}

TEST_F(ImageDiffTest, DifferentMtimeIsReported) {
  ImageSpec later;
  later.mtime = 1700000000;
  const std::string text = diff(ImageSpec{}, later);
  EXPECT_TRUE(contains(text, "mtime differs (0 vs 1700000000)")) << text;
}

TEST_F(ImageDiffTest, ExtraFileIsOnlyInOneSide) {
  ImageSpec extra;
  extra.entries = {LayerEntry::file_with("ko-app/hello", "hello", 0555),
                   LayerEntry::file_with("ko-app/zz-extra", "more")};
  EXPECT_TRUE(contains(diff(ImageSpec{}, extra), "tar entry ko-app/zz-extra: only in b"))
      << diff(ImageSpec{}, extra);

  const Descriptor with_extra = put_image(store_a_, extra);
  const Descriptor without = put_image(store_b_, {});
  const std::string reversed = diff(with_extra, without);
  EXPECT_TRUE(contains(reversed, "tar entry ko-app/zz-extra: only in a")) << reversed;
}

TEST_F(ImageDiffTest, SameLayersDifferentEnvNamesTheConfigField) {
  ImageSpec with_env;
  with_env.env = {{"GREETING", "hi"}};
  const std::string text = diff(ImageSpec{}, with_env);
  EXPECT_FALSE(contains(text, "layer")) << text;
  EXPECT_TRUE(contains(text, "config ")) << text;
  EXPECT_TRUE(contains(text, "differs in config.Env")) << text;
  EXPECT_FALSE(contains(text, "config.Entrypoint")) << text;
}

TEST_F(ImageDiffTest, IndexNamesThePlatformWhoseImageDiffers) {
  ImageSpec amd64;
  ImageSpec arm64;
  arm64.platform = "linux/arm64";
  ImageSpec arm64_changed = arm64;
  arm64_changed.entries = {LayerEntry::file_with("ko-app/hello", "HELLO", 0555)};

  const Descriptor index_a =
      put_index(store_a_, {put_image(store_a_, amd64), put_image(store_a_, arm64)});
  const Descriptor index_b =
      put_index(store_b_, {put_image(store_b_, amd64), put_image(store_b_, arm64_changed)});
  const std::string text = diff(index_a, index_b);
  EXPECT_TRUE(contains(text, "image for linux/arm64")) << text;
  EXPECT_FALSE(contains(text, "linux/amd64")) << text;
  EXPECT_TRUE(contains(text, "tar entry ko-app/hello: content differs")) << text;
}

TEST_F(ImageDiffTest, IdenticalIndexesHaveNoDifference) {
  ImageSpec arm64;
  arm64.platform = "linux/arm64";
  const Descriptor index_a =
      put_index(store_a_, {put_image(store_a_, {}), put_image(store_a_, arm64)});
  const Descriptor index_b =
      put_index(store_b_, {put_image(store_b_, {}), put_image(store_b_, arm64)});
  EXPECT_EQ(diff(index_a, index_b), "");
}

TEST_F(ImageDiffTest, IndexAgainstSingleImageIsNamed) {
  const Descriptor image = put_image(store_a_, {});
  const Descriptor index = put_index(store_b_, {put_image(store_b_, {})});
  EXPECT_TRUE(contains(diff(image, index), "one is an image index and the other a single image"))
      << diff(image, index);
}

// Side b lives in a "remote" store; its local store starts empty and is filled only by
// `ensure`, so a read before the matching ensure fails.
TEST_F(ImageDiffTest, EnsureIsCalledForSideBBlobsBeforeTheyAreRead) {
  BlobStore remote(dir_ / "remote");
  ImageSpec changed;
  changed.entries = {LayerEntry::file_with("ko-app/hello", "HELLO", 0555)};
  const Descriptor a = put_image(store_a_, {});
  const Descriptor b = put_image(remote, changed);
  const Digest layer_b = Digest::parse(
      json::parse(remote.read_verified(b.digest))["layers"].as_array()[0].get_string("digest"));

  std::vector<Digest> seen;
  ImageSide side_b{store_b_, b, "b", [&](const Descriptor& d) {
                     seen.push_back(d.digest);
                     store_b_.import_from(remote, d.digest);
                   }};
  const std::string text = explain_difference(ImageSide{store_a_, a, "a", {}}, side_b);

  EXPECT_TRUE(contains(text, "content differs")) << text;
  EXPECT_EQ(seen, (std::vector<Digest>{b.digest, layer_b}));
}

TEST_F(ImageDiffTest, EnsureFetchesTheConfigWhenOnlyTheConfigDiffers) {
  BlobStore remote(dir_ / "remote");
  ImageSpec with_env;
  with_env.env = {{"GREETING", "hi"}};
  const Descriptor a = put_image(store_a_, {});
  const Descriptor b = put_image(remote, with_env);
  const Digest config_b =
      Digest::parse(json::parse(remote.read_verified(b.digest))["config"].get_string("digest"));

  std::vector<Digest> seen;
  ImageSide side_b{store_b_, b, "b", [&](const Descriptor& d) {
                     seen.push_back(d.digest);
                     store_b_.import_from(remote, d.digest);
                   }};
  const std::string text = explain_difference(ImageSide{store_a_, a, "a", {}}, side_b);

  EXPECT_TRUE(contains(text, "differs in config.Env")) << text;
  EXPECT_EQ(seen, (std::vector<Digest>{b.digest, config_b}));
}

}  // namespace
}  // namespace ko
