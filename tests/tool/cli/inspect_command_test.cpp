#include <gtest/gtest.h>

#include <string>

#include "cli/commands.hpp"
#include "oci/documents.hpp"
#include "oci/layout.hpp"
#include "tiny_images.hpp"
#include "util/error.hpp"

namespace ko::cli {
namespace {

using testing::message_of;
using testing::stdout_of;

class InspectCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    image_ = testing::put_tiny_image(store_, "linux/arm/v7", dir_ / "arm.json");
    ASSERT_EQ(run_layout({"--blobs", (dir_ / "blobs").string(), "--descriptor",
                          (dir_ / "arm.json").string(), "--layout", layout(), "--digest-file",
                          (dir_ / "x.digest").string()}),
              0);
  }
  std::string layout() const { return (dir_ / "x.oci").string(); }

  testing::TempDir dir_;
  BlobStore store_{dir_ / "blobs"};
  Descriptor image_;
};

TEST_F(InspectCommandTest, ArgumentErrors) {
  EXPECT_EQ(message_of<UsageError>([] { run_inspect({}); }),
            "inspect: give an OCI layout directory or an image reference");
  EXPECT_EQ(message_of<UsageError>([&] {
              run_inspect({layout(), layout()});
            }),
            "inspect: give an OCI layout directory or an image reference");
  EXPECT_EQ(message_of<UsageError>([] { run_digest({}); }),
            "digest: give one OCI layout directory or file");
  EXPECT_EQ(message_of<UsageError>([] {
              run_digest({"--x", "a"});
            }).find("digest: unknown flag"),
            0u);
}

// One line per index.json entry, each file's digest otherwise.
TEST_F(InspectCommandTest, DigestOutput) {
  EXPECT_EQ(stdout_of([&] { run_digest({layout()}); }), image_.digest.str() + "\n");
  EXPECT_EQ(stdout_of([&] { run_digest({(dir_ / "arm.json").string()}); }),
            Digest::of_file(dir_ / "arm.json").str() + "\n");
}

// The whole report of a single image: what people read, and what scripts grep.
TEST_F(InspectCommandTest, InspectOutput) {
  const Manifest manifest = read_manifest(store_, image_, "manifest");
  const std::string expected = image_.digest.str() +
                               " application/vnd.oci.image.manifest.v1+json (latest)\n" +
                               "  platform:   linux/arm/v7\n" +                                   //
                               "  config:     " + manifest.config.digest.str() + "\n" +           //
                               "  created:    1970-01-01T00:00:00Z\n" +                           //
                               "  entrypoint: /ko-app/hello\n" +                                  //
                               "  cmd:        --port 8080\n" +                                    //
                               "  env:        PATH=" + std::string(kDefaultPath) + ":/ko-app " +  //
                               "KO_DATA_PATH=/var/run/ko\n" +                                     //
                               "  user:       65532\n" +                                          //
                               "  workdir:    \n" +                                               //
                               "  label:      team=core\n" +                                      //
                               "  layer:      " + manifest.layers[0].digest.str() + " " +
                               std::to_string(manifest.layers[0].size) + " bytes\n";
  EXPECT_EQ(stdout_of([&] { run_inspect({layout()}); }), expected);
}

// An index: each child's digest, then its image indented further.
TEST_F(InspectCommandTest, InspectIndexOutput) {
  testing::put_tiny_image(store_, "linux/amd64", dir_ / "amd64.json");
  ASSERT_EQ(
      run_index({"--blobs", (dir_ / "blobs").string(), "--output", (dir_ / "index.json").string(),
                 (dir_ / "amd64.json").string(), (dir_ / "arm.json").string()}),
      0);
  const std::string index_layout = (dir_ / "index.oci").string();
  ASSERT_EQ(run_layout({"--blobs", (dir_ / "blobs").string(), "--descriptor",
                        (dir_ / "index.json").string(), "--layout", index_layout, "--digest-file",
                        (dir_ / "i.digest").string(), "--tag", "v1"}),
            0);
  const std::string out = stdout_of([&] { run_inspect({index_layout}); });
  const Descriptor index = read_descriptor_file(dir_ / "index.json");
  EXPECT_EQ(
      out.find(index.digest.str() + " application/vnd.oci.image.index.v1+json (v1)\n  sha256:"), 0u)
      << out;
  EXPECT_NE(out.find("\n  " + image_.digest.str() + "\n    platform:   linux/arm/v7\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\n    platform:   linux/amd64\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace ko::cli
