#include <gtest/gtest.h>

#include <string>

#include "cli/commands.hpp"
#include "oci/layout.hpp"
#include "tiny_images.hpp"
#include "util/error.hpp"

namespace ko::cli {
namespace {

using testing::message_of;

class LayoutCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    amd64_ = testing::put_tiny_image(store_, "linux/amd64", dir_ / "amd64.json");
    arm64_ = testing::put_tiny_image(store_, "linux/arm64", dir_ / "arm64.json");
    ASSERT_EQ(run_index({"--blobs", path("blobs"), "--output", path("index.json"),
                         path("amd64.json"), path("arm64.json")}),
              0);
    index_ = read_descriptor_file(dir_ / "index.json");
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  Argv layout_args(const std::string& descriptor) const {
    return {"--blobs",     path("blobs"),   "--descriptor",   path(descriptor), "--layout",
            path("x.oci"), "--digest-file", path("x.digest"), "--name",         "hello_image"};
  }

  testing::TempDir dir_;
  BlobStore store_{dir_ / "blobs"};
  Descriptor amd64_, arm64_, index_;
};

TEST_F(LayoutCommandTest, ArgumentErrors) {
  EXPECT_EQ(message_of<UsageError>([&] {
              run_layout({"--blobs", path("blobs")});
            }),
            "layout: --descriptor is required");
  Argv args = layout_args("index.json");
  args.push_back("--expect-platform-digest=linux/amd64");
  EXPECT_EQ(message_of<UsageError>([&] { run_layout(args); }),
            "--expect-platform-digest 'linux/amd64' is not KEY=VALUE");
}

// The digest file holds the top digest and a newline; index.json tags it with every --tag.
TEST_F(LayoutCommandTest, WritesLayoutAndDigestFile) {
  Argv args = layout_args("index.json");
  args.insert(args.end(), {"--tag", "v1", "--tag", "latest"});
  ASSERT_EQ(run_layout(args), 0);
  EXPECT_EQ(read_file(dir_ / "x.digest"), index_.digest.str() + "\n");
  std::vector<Descriptor> entries = Layout(dir_ / "x.oci").manifests();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].annotations.at("org.opencontainers.image.ref.name"), "v1");
  EXPECT_EQ(entries[1].annotations.at("org.opencontainers.image.ref.name"), "latest");
  EXPECT_EQ(entries[0].digest, index_.digest);
}

TEST_F(LayoutCommandTest, ExpectedDigestsPass) {
  Argv args = layout_args("index.json");
  args.push_back("--expect-digest=" + index_.digest.str());
  args.push_back("--expect-platform-digest=linux/arm64=" + arm64_.digest.str());
  EXPECT_EQ(run_layout(args), 0);
  Argv single = layout_args("amd64.json");
  single.push_back("--expect-platform-digest=linux/amd64=" + amd64_.digest.str());
  EXPECT_EQ(run_layout(single), 0);
}

// A wrong EXPECT_DIGEST fails the step before any output is written.
TEST_F(LayoutCommandTest, ExpectedDigestMismatches) {
  const std::string zeros = "sha256:" + std::string(64, '0');
  Argv args = layout_args("index.json");
  args.push_back("--expect-digest=" + zeros);
  EXPECT_EQ(message_of<Error>([&] { run_layout(args); }),
            "hello_image: digest " + index_.digest.str() + " differs from EXPECT_DIGEST " + zeros +
                "; find what changed with ko-image diff against the release's layout, or update "
                "EXPECT_DIGEST");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.digest"));

  Argv platform = layout_args("index.json");
  platform.push_back("--expect-platform-digest=linux/arm64=" + amd64_.digest.str());
  EXPECT_EQ(message_of<Error>([&] {
              run_layout(platform);
            }).find("hello_image: linux/arm64 image digest " + arm64_.digest.str()),
            0u);

  Argv not_built = layout_args("index.json");
  not_built.push_back("--expect-platform-digest=linux/s390x=" + zeros);
  EXPECT_EQ(message_of<Error>([&] { run_layout(not_built); }),
            "hello_image: EXPECT_DIGEST names linux/s390x, which this image does not build");
  Argv other_single = layout_args("amd64.json");
  other_single.push_back("--expect-platform-digest=linux/arm64=" + zeros);
  EXPECT_EQ(message_of<Error>([&] { run_layout(other_single); }),
            "hello_image: EXPECT_DIGEST names linux/arm64, which this image does not build");
}

}  // namespace
}  // namespace ko::cli
