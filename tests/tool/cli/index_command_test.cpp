#include <gtest/gtest.h>

#include <string>

#include "cli/commands.hpp"
#include "oci/documents.hpp"
#include "tiny_images.hpp"
#include "util/error.hpp"

namespace ko::cli {
namespace {

using testing::message_of;

class IndexCommandTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  testing::TempDir dir_;
  BlobStore store_{dir_ / "blobs"};
};

TEST_F(IndexCommandTest, ArgumentErrors) {
  testing::put_tiny_image(store_, "linux/amd64", dir_ / path("a.json"));
  EXPECT_EQ(message_of<UsageError>([&] {
              run_index({"--blobs", path("blobs")});
            }),
            "index: give one image descriptor file per platform");
  EXPECT_EQ(message_of<UsageError>([&] {
              run_index({"--output", path("i.json"), path("a.json")});
            }),
            "index: --blobs is required");
  EXPECT_EQ(message_of<UsageError>([&] {
              run_index({"--platform=linux/amd64", path("a.json")});
            }).find("index: unknown flag --platform"),
            0u);
  EXPECT_EQ(message_of<UsageError>([&] {
              run_index({"--blobs", path("blobs"), "--output", path("i.json"), "--annotation=x",
                         path("a.json")});
            }),
            "--annotation 'x' is not KEY=VALUE");
}

// The output is the index's descriptor: canonical JSON and a newline, no platform.
TEST_F(IndexCommandTest, WritesTheIndexDescriptor) {
  Descriptor amd64 = testing::put_tiny_image(store_, "linux/amd64", dir_ / "amd64.json");
  Descriptor arm = testing::put_tiny_image(store_, "linux/arm/v7", dir_ / "arm.json");
  ASSERT_EQ(run_index({"--blobs", path("blobs"), "--output", path("index.json"),
                       "--annotation=org.opencontainers.image.title=hello", path("amd64.json"),
                       path("arm.json")}),
            0);
  const std::string text = read_file(dir_ / "index.json");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const Descriptor descriptor = read_descriptor_file(dir_ / "index.json");
  EXPECT_EQ(text, json::dump(descriptor.to_json()) + "\n");
  EXPECT_EQ(descriptor.media_type, media_type::kOciIndex);
  EXPECT_TRUE(descriptor.platform.is_null());

  const Index index = read_index(store_, descriptor, "index");
  EXPECT_EQ(static_cast<int64_t>(index.bytes.size()), descriptor.size);
  ASSERT_EQ(index.manifests.size(), 2u);
  EXPECT_EQ(index.manifests[0].digest, amd64.digest);
  EXPECT_EQ(index.manifests[1].digest, arm.digest);
  EXPECT_EQ(json::dump(index.manifests[1].platform),
            R"({"architecture":"arm","os":"linux","variant":"v7"})");
  EXPECT_EQ(index.annotations.at("org.opencontainers.image.title"), "hello");
}

}  // namespace
}  // namespace ko::cli
