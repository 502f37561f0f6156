#include "oci/base_image.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/error.hpp"

namespace ko {
namespace {

const std::string kHex(64, 'a');

TEST(BaseReference, Scratch) {
  BaseReference ref = BaseReference::parse("scratch");
  EXPECT_EQ(ref.kind, BaseReference::Kind::kScratch);
  EXPECT_TRUE(ref.layout_dir.empty());
  EXPECT_TRUE(ref.tag.empty());
  EXPECT_FALSE(ref.digest);
}

TEST(BaseReference, LayoutDirectoryOnly) {
  BaseReference ref = BaseReference::parse("oci-layout:/srv/images/base");
  EXPECT_EQ(ref.kind, BaseReference::Kind::kOciLayout);
  EXPECT_EQ(ref.layout_dir, "/srv/images/base");
  EXPECT_TRUE(ref.tag.empty());
  EXPECT_FALSE(ref.digest);
}

TEST(BaseReference, LayoutWithTag) {
  BaseReference ref = BaseReference::parse("oci-layout:build/base:v1.2");
  EXPECT_EQ(ref.layout_dir, "build/base");
  EXPECT_EQ(ref.tag, "v1.2");
  EXPECT_FALSE(ref.digest);
}

TEST(BaseReference, LayoutWithDigest) {
  BaseReference ref = BaseReference::parse("oci-layout:./base@sha256:" + kHex);
  EXPECT_EQ(ref.layout_dir, "./base");
  EXPECT_TRUE(ref.tag.empty());
  ASSERT_TRUE(ref.digest);
  EXPECT_EQ(ref.digest->hex(), kHex);
}

TEST(BaseReference, LayoutWithTagAndDigest) {
  BaseReference ref = BaseReference::parse("oci-layout:base:latest@sha256:" + kHex);
  EXPECT_EQ(ref.layout_dir, "base");
  EXPECT_EQ(ref.tag, "latest");
  ASSERT_TRUE(ref.digest);
  EXPECT_EQ(ref.digest->hex(), kHex);
}

TEST(BaseReference, ColonInADirectoryNameIsNotATag) {
  BaseReference ref = BaseReference::parse("oci-layout:/mnt/c:/images/base");
  EXPECT_EQ(ref.layout_dir, "/mnt/c:/images/base");
  EXPECT_TRUE(ref.tag.empty());
}

TEST(BaseReference, LeavesRegistryReferencesToTheRegistryModule) {
  for (const std::string& text : std::vector<std::string>{"alpine", "docker.io/library/alpine:3.19",
                                                          "127.0.0.1:5000/base@sha256:" + kHex}) {
    SCOPED_TRACE(text);
    BaseReference ref = BaseReference::parse(text);
    EXPECT_EQ(ref.kind, BaseReference::Kind::kRegistry);
    EXPECT_EQ(ref.text, text);
  }
}

TEST(BaseReference, RejectsMalformedLayoutReferences) {
  for (const std::string& text :
       std::vector<std::string>{"oci-layout:", "oci-layout::tag", "oci-layout:@sha256:" + kHex,
                                "oci-layout:dir@sha256:abc", "oci-layout:dir@" + kHex, ""}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(BaseReference::parse(text), Error);
  }
}

}  // namespace
}  // namespace ko
