#include "digest/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "util/error.hpp"

namespace ko {
namespace {

// RFC 4648 section 10 test vectors.
TEST(EncodingTest, Base64EncodeKnownVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(EncodingTest, Base64DecodeKnownVectors) {
  EXPECT_EQ(base64_decode("", "test"), "");
  EXPECT_EQ(base64_decode("Zg==", "test"), "f");
  EXPECT_EQ(base64_decode("Zm8=", "test"), "fo");
  EXPECT_EQ(base64_decode("Zm9vYmFy", "test"), "foobar");
}

TEST(EncodingTest, Base64RoundTripsBinaryBytes) {
  const std::string bytes("\x00\xff\xfe:user", 8);
  EXPECT_EQ(base64_encode(std::string("\x00\xff\xfe", 3)), "AP/+");
  EXPECT_EQ(base64_decode(base64_encode(bytes), "test"), bytes);
}

TEST(EncodingTest, Base64DecodeRejectsNonBase64NamingWhat) {
  try {
    base64_decode("@@@", "the 'auth' field");
    FAIL() << "expected ko::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "the 'auth' field is not base64");
  }
  EXPECT_THROW(base64_decode("Zm9v!", "x"), Error);
}

// RFC 1321 appendix A.5 vectors, plus the import path ko's default naming hashes.
TEST(EncodingTest, Md5HexKnownVectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("example.com/hello/cmd/hello"), "20224deb52929e35ecb74c0e57f6ee11");
}

}  // namespace
}  // namespace ko
