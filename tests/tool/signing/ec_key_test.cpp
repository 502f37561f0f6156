#include "signing/ec_key.hpp"

#include <gtest/gtest.h>

#include <string>

#include "digest/encoding.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::TempDir;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string pem(std::string_view label, std::string_view der) {
  return "-----BEGIN " + std::string(label) + "-----\n" + base64_encode(der) + "\n-----END " +
         std::string(label) + "-----\n";
}

// The P-256 key of RFC 6979 appendix A.2.5, as a SEC1 ECPrivateKey without the public
// point (mbedTLS derives it): version 1, the private scalar, the curve prime256v1.
constexpr std::string_view kRfc6979Scalar =
    "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
std::string rfc6979_key_pem() {
  const std::string der =
      from_hex("30310201010420") + from_hex(kRfc6979Scalar) + from_hex("a00a06082a8648ce3d030107");
  return pem("EC PRIVATE KEY", der);
}

TEST(SigningKeyTest, SignsAsRfc6979SaysSoTheSameMessageGivesTheSameBytes) {
  SigningKey key = SigningKey::parse(rfc6979_key_pem(), "test key");
  // RFC 6979 A.2.5, ECDSA P-256 with SHA-256, message "sample": the deterministic k gives
  // exactly this r and s (both with the high bit set, so each INTEGER gets a 0x00 prefix).
  const std::string expected =
      from_hex("3046022100") +
      from_hex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716") +
      from_hex("022100") +
      from_hex("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
  EXPECT_EQ(key.sign("sample"), expected);
  EXPECT_EQ(key.sign("sample"), expected);
  EXPECT_NE(key.sign("test"), expected);
}

TEST(SigningKeyTest, ItsSignaturesVerifyUnderItsPublicKeyOnly) {
  SigningKey key = SigningKey::parse(rfc6979_key_pem(), "test key");
  VerificationKey public_key = VerificationKey::parse(key.public_key_pem(), "test public key");
  const std::string signature = key.sign("payload");
  EXPECT_TRUE(public_key.verify("payload", signature));
  EXPECT_FALSE(public_key.verify("payloaD", signature)) << "a changed message";
  std::string flipped = signature;
  flipped[10] ^= 1;
  EXPECT_FALSE(public_key.verify("payload", flipped)) << "a changed signature";
  EXPECT_FALSE(public_key.verify("payload", "")) << "no signature";

  // Another key (the scalar plus one) does not verify it.
  std::string other_scalar = from_hex(kRfc6979Scalar);
  other_scalar.back() = static_cast<char>(other_scalar.back() + 1);
  SigningKey other =
      SigningKey::parse(pem("EC PRIVATE KEY", from_hex("30310201010420") + other_scalar +
                                                  from_hex("a00a06082a8648ce3d030107")),
                        "other key");
  EXPECT_FALSE(
      VerificationKey::parse(other.public_key_pem(), "other").verify("payload", signature));
}

TEST(SigningKeyTest, LoadsAKeyFile) {
  TempDir dir;
  testing::write_file(dir / "key.pem", rfc6979_key_pem());
  SigningKey key = SigningKey::load(dir / "key.pem");
  EXPECT_EQ(key.sign("sample").size(), 72u);
}

TEST(SigningKeyTest, EachUnusableKeyFileIsOneLineNamingTheFileNeverItsContent) {
  TempDir dir;
  const std::string public_pem = SigningKey::parse(rfc6979_key_pem(), "k").public_key_pem();
  struct Case {
    std::string name, content, expected;
  };
  const std::vector<Case> cases{
      {"public.pem", public_pem, "is a public key; signing needs the private key"},
      {"text.pem", "not a key at all\n", "is not a PEM key"},
      {"cosign.key",
       "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE "
       "PRIVATE KEY-----\n",
       "is a cosign-encrypted key"},
      {"encrypted.pem",
       "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
       "is password-protected"},
      {"garbage.pem", pem("PRIVATE KEY", "\x30\x03\x02\x01\x00"),
       "is not a usable PEM private key"},
  };
  for (const Case& c : cases) {
    testing::write_file(dir / c.name, c.content);
    const std::string error = testing::message_of<Error>([&] { SigningKey::load(dir / c.name); });
    EXPECT_NE(error.find("signing key " + (dir / c.name).string() + " " + c.expected),
              std::string::npos)
        << c.name << ": " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << c.name << ": one line";
    EXPECT_EQ(error.find("AAAA"), std::string::npos) << c.name << ": no key bytes";
  }
  EXPECT_NE(testing::message_of<Error>([&] {
              SigningKey::load(dir / "missing.pem");
            }).find("does not exist"),
            std::string::npos);
  EXPECT_NE(testing::message_of<Error>([&] {
              SigningKey::load(dir.path());
            }).find("is not a regular file"),
            std::string::npos);
}

TEST(VerificationKeyTest, APrivateKeyIsRefusedSoItIsNotPassedAround) {
  const std::string error = testing::message_of<Error>(
      [&] { VerificationKey::parse(rfc6979_key_pem(), "public key k.pem"); });
  EXPECT_NE(error.find("is a private key; verifying needs only the public key"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace ko
