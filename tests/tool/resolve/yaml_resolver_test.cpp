// Golden tests for ko:// resolution: testdata/<case>.yaml resolved must equal
// testdata/<case>.golden byte for byte (comments, quoting, anchors, CRLF and all).
#include "resolve/yaml_resolver.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {
namespace {

const std::string kApi = "reg.example/api@sha256:" + std::string(64, '1');
const std::string kWorker = "reg.example/worker@sha256:" + std::string(64, '2');

ImageReferences images() {
  return {{"example.com/app/cmd/api", kApi},
          {"example.com/app/cmd/worker", kWorker},
          {"./cmd/worker", kWorker}};
}

std::string testdata(const std::string& name) {
  return read_file(std::filesystem::path(KO_TESTDATA_DIR) / name);
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesByteForByte) {
  const std::string input = testdata(GetParam() + ".yaml");
  const std::string golden = testdata(GetParam() + ".golden");
  ASSERT_NE(input, golden) << "a golden file must show at least one replacement";
  EXPECT_EQ(resolve_yaml(input, images(), GetParam() + ".yaml"), golden);
}

INSTANTIATE_TEST_SUITE_P(YamlResolver, Golden, ::testing::Values("deployment", "cloudrun-crlf"));

TEST(YamlResolver, LeavesYamlWithoutReferencesUntouched) {
  const std::string text = "a: 1\r\nb: 'x' # ko://nothing\n\n- c\nno-newline-at-end: ko-not-a-ref";
  EXPECT_EQ(resolve_yaml(text, images(), "t.yaml"), text);
}

TEST(YamlResolver, MissingImageNamesFileLineAndPath) {
  const std::string text =
      "kind: Pod\nspec:\n  containers:\n  - image: ko://example.com/app/cmd/missing\n";
  try {
    resolve_yaml(text, images(), "deploy/pod.yaml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "deploy/pod.yaml:4: ko://example.com/app/cmd/missing has no ko_image() (known import "
        "paths: ./cmd/worker, example.com/app/cmd/api, example.com/app/cmd/worker)");
  }
}

TEST(YamlResolver, KeysAndLongerPlainScalarsAreNotValues) {
  const std::string text =
      "ko://example.com/app/cmd/api: key\nmsg: ko://example.com/app/cmd/api and more\n";
  EXPECT_EQ(resolve_yaml(text, images(), "t.yaml"), text);
}

TEST(YamlResolver, BlockScalarEndsAtDedent) {
  const std::string text =
      "script: >-\n  ko://example.com/app/cmd/api\n\n  more\nimage: ko://example.com/app/cmd/api\n";
  EXPECT_EQ(resolve_yaml(text, images(), "t.yaml"),
            "script: >-\n  ko://example.com/app/cmd/api\n\n  more\nimage: " + kApi + "\n");
}

TEST(YamlResolver, FlowMappingsAndSequences) {
  EXPECT_EQ(resolve_yaml("c: {image: ko://./cmd/worker, name: w}\n", images(), "t.yaml"),
            "c: {image: " + kWorker + ", name: w}\n");
  EXPECT_EQ(resolve_yaml("- - ko://./cmd/worker\n", images(), "t.yaml"), "- - " + kWorker + "\n");
}

}  // namespace
}  // namespace ko
