#include "digest/digest.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Digest, ParseAcceptsLowercaseSha256) {
  const std::string text = std::string("sha256:") + kAbcSha256;
  Digest digest = Digest::parse(text);
  EXPECT_EQ(digest.hex(), kAbcSha256);
  EXPECT_EQ(digest.str(), text);
  EXPECT_TRUE(Digest::is_valid(text));
}

TEST(Digest, ParseRejectsMalformedText) {
  const std::string hex = kAbcSha256;
  std::string upper = hex;
  upper[0] = 'B';  // "ba78…" -> "Ba78…"
  for (const std::string& text : {
           "sha256:" + upper,                    // uppercase hex
           "sha256:" + hex.substr(1),            // 63 digits
           "sha256:" + hex + "0",                // 65 digits
           hex,                                  // no algorithm prefix
           "sha512:" + hex,                      // another algorithm
           "SHA256:" + hex,                      // prefix is case-sensitive
           "sha256:" + hex.substr(0, 63) + "g",  // not hex
           std::string("sha256:"),
           std::string(),
       }) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(Digest::is_valid(text));
    EXPECT_THROW(Digest::parse(text), Error);
  }
}

TEST(Digest, ParseErrorNamesTheText) {
  try {
    Digest::parse("sha256:nope");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sha256:nope"), std::string::npos) << e.what();
  }
}

TEST(Digest, FromHexValidates) {
  EXPECT_EQ(Digest::from_hex(kEmptySha256).str(), std::string("sha256:") + kEmptySha256);
  EXPECT_THROW(Digest::from_hex(std::string("sha256:") + kEmptySha256), Error);
  EXPECT_THROW(Digest::from_hex("abc"), Error);
}

TEST(Digest, OfBytesMatchesKnownVectors) {
  EXPECT_EQ(Digest::of_bytes("").hex(), kEmptySha256);
  EXPECT_EQ(Digest::of_bytes("abc").hex(), kAbcSha256);
  EXPECT_NE(Digest::of_bytes("abc"), Digest::of_bytes("abd"));
}

TEST(Digest, OfFileMatchesOfBytes) {
  testing::TempDir dir;
  // Larger than the 64 KiB read buffer, so several reads are hashed together.
  std::string content(3 * 65536 + 17, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i % 253);
  testing::write_file(dir / "blob", content);
  testing::write_file(dir / "empty", "");
  EXPECT_EQ(Digest::of_file(dir / "blob"), Digest::of_bytes(content));
  EXPECT_EQ(Digest::of_file(dir / "empty").hex(), kEmptySha256);
}

TEST(Digest, OfMissingFileThrows) {
  testing::TempDir dir;
  EXPECT_THROW(Digest::of_file(dir / "missing"), Error);
}

TEST(Digest, OrdersAndComparesByHex) {
  Digest a = Digest::from_hex(std::string(64, 'a'));
  Digest b = Digest::from_hex(std::string(64, 'b'));
  EXPECT_LT(a, b);
  EXPECT_EQ(a, Digest::parse("sha256:" + std::string(64, 'a')));
}

}  // namespace
}  // namespace ko
