#include "oci/annotations.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "test_support.hpp"

namespace ko {
namespace {

// Puts a manifest with `annotations` (and a config blob it names) into `store`.
Descriptor put_image(BlobStore& store, const std::map<std::string, std::string>& annotations) {
  const std::string config = R"({"architecture":"amd64","os":"linux"})";
  Descriptor config_descriptor{.media_type = std::string(media_type::kOciConfig),
                               .digest = store.put(config),
                               .size = static_cast<int64_t>(config.size())};
  const std::string bytes =
      json::dump(make_manifest(media_type::Family::kOci, json::Array{}, config_descriptor,
                               std::vector<Descriptor>{}, annotations));
  return Descriptor{.media_type = std::string(media_type::kOciManifest),
                    .digest = store.put(bytes),
                    .size = static_cast<int64_t>(bytes.size()),
                    .platform = Platform::parse("linux/amd64").to_json()};
}

TEST(BaseNameOf, ReadsTheImagesAnnotation) {
  testing::TempDir dir;
  BlobStore store(dir.path());
  Descriptor image = put_image(store, {{std::string(annotation::kBaseName), "cgr.dev/x/static"},
                                       {std::string(annotation::kBaseDigest), "sha256:…"}});
  EXPECT_EQ(annotation::base_name_of(store, image), "cgr.dev/x/static");
}

TEST(BaseNameOf, AnIndexAsksItsFirstImage) {
  testing::TempDir dir;
  BlobStore store(dir.path());
  Descriptor first = put_image(store, {{std::string(annotation::kBaseName), "first/base"}});
  Descriptor second = put_image(store, {{std::string(annotation::kBaseName), "second/base"}});
  const std::string bytes = json::dump(make_index({first, second}, {}));
  Descriptor index{.media_type = std::string(media_type::kOciIndex),
                   .digest = store.put(bytes),
                   .size = static_cast<int64_t>(bytes.size())};
  EXPECT_EQ(annotation::base_name_of(store, index), "first/base");
  const std::string empty = json::dump(make_index({}, {}));
  Descriptor empty_index{.media_type = std::string(media_type::kOciIndex),
                         .digest = store.put(empty),
                         .size = static_cast<int64_t>(empty.size())};
  EXPECT_EQ(annotation::base_name_of(store, empty_index), std::nullopt);
}

TEST(BaseNameOf, NoneWithoutTheAnnotation) {
  testing::TempDir dir;
  BlobStore store(dir.path());
  EXPECT_EQ(annotation::base_name_of(store, put_image(store, {})), std::nullopt);
  EXPECT_EQ(annotation::base_name_of(store, put_image(store, {{"other", "x"}})), std::nullopt);
}

}  // namespace
}  // namespace ko
