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
  const std::string text =
      "a: 1\r\nb: 'x' # ko://nothing\n\nc: [d]\nno-newline-at-end: ko-not-a-ref";
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

TEST(YamlResolver, QuotedValuesKeepTheirQuotes) {
  EXPECT_EQ(resolve_yaml("a: 'ko://./cmd/worker'\nb: \"ko://./cmd/worker\"\n", images(), "t.yaml"),
            "a: '" + kWorker + "'\nb: \"" + kWorker + "\"\n");
}

TEST(YamlResolver, NonAsciiTextBeforeAReferenceKeepsOffsets) {
  EXPECT_EQ(
      resolve_yaml("name: Grüße — 日本\nimage: ko://./cmd/worker # café\n", images(), "t.yaml"),
      "name: Grüße — 日本\nimage: " + kWorker + " # café\n");
}

TEST(YamlResolver, ByteOrderMarkIsKept) {
  EXPECT_EQ(resolve_yaml("\xEF\xBB\xBFimage: ko://./cmd/worker\n", images(), "t.yaml"),
            "\xEF\xBB\xBFimage: " + kWorker + "\n");
}

TEST(YamlResolver, AliasesAndAnchorsAndSeveralDocuments) {
  EXPECT_EQ(resolve_yaml("a: &img ko://./cmd/worker\nb: *img\n---\n- !!str ko://./cmd/worker\n",
                         images(), "t.yaml"),
            "a: &img " + kWorker + "\nb: *img\n---\n- !!str " + kWorker + "\n");
}

// Not YAML: refused with file, line and column, never copied through.
TEST(YamlResolver, RefusesTextThatIsNotYaml) {
  for (const std::string text : {
           "image: \"ko://./cmd/worker\n",  // an unterminated quote
           "a: 1\n- b\n",                   // a sequence inside a mapping
           "a: [1, 2\n",                    // an unclosed flow sequence
           "a:\n\tb: 1\n",                  // a tab as indentation
       }) {
    try {
      resolve_yaml(text, images(), "bad.yaml");
      FAIL() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("bad.yaml:")) << e.what();
      EXPECT_NE(std::string(e.what()).find(": not valid YAML: "), std::string::npos) << e.what();
    }
  }
}

TEST(YamlResolver, UnterminatedQuoteNamesItsLine) {
  try {
    resolve_yaml("kind: Pod\nspec:\n  image: 'ko://./cmd/worker\n", images(), "pod.yaml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("pod.yaml:3:")) << e.what();
  }
}

TEST(YamlResolver, CheckFindsUnknownPathsWithoutReplacing) {
  EXPECT_NO_THROW(check_yaml("image: ko://./cmd/worker\n", images(), "t.yaml"));
  EXPECT_THROW(check_yaml("image: ko://./cmd/other\n", images(), "t.yaml"), Error);
  EXPECT_THROW(check_yaml("image: [\n", images(), "t.yaml"), Error);
}

}  // namespace
}  // namespace ko
