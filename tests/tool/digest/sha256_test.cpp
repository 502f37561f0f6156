// Known-answer tests of Sha256, compiled once per backend (tests/tool/CMakeLists.txt):
// every backend must give the same digests on the same vectors.
#include "digest/sha256.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ko {
namespace {

std::string sha256_of(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.finish_hex();
}

// The 64-byte message NIST repeats for its long-message vectors.
constexpr std::string_view kPattern =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno";

// `repeats` copies of kPattern, streamed in 1 MiB updates of a repeated buffer.
std::string sha256_of_repeated_pattern(uint64_t repeats) {
  std::string buffer;
  for (size_t i = 0; i < (1 << 20) / kPattern.size(); ++i) buffer += kPattern;
  const uint64_t per_buffer = buffer.size() / kPattern.size();
  Sha256 sha;
  uint64_t left = repeats;
  for (; left >= per_buffer; left -= per_buffer) sha.update(buffer);
  for (; left > 0; --left) sha.update(kPattern);
  return sha.finish_hex();
}

TEST(Sha256, IsTheConfiguredBackend) {
  EXPECT_EQ(Sha256::backend().rfind(KO_EXPECTED_SHA256_BACKEND, 0), 0u) << Sha256::backend();
}

// FIPS 180-2 / NIST CAVP short messages.
TEST(Sha256, NistVectors) {
  EXPECT_EQ(sha256_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),  // 448 bits
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklm"
                      "nopqklmnopqrlmnopqrsmnopqrstnopqrstu"),  // 896 bits
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(sha256_of(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, OneByteUpdatesMatchOneUpdate) {
  const std::string message(1000000, 'a');
  Sha256 sha;
  for (char c : message) sha.update(&c, 1);
  EXPECT_EQ(sha.finish_hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Updates of every size around the 64-byte block, from every alignment of the source.
TEST(Sha256, UnalignedUpdatesOfMixedSizes) {
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  for (size_t offset = 1; offset < 16; offset += 3) {
    SCOPED_TRACE("offset " + std::to_string(offset));
    const std::string storage(offset + 1000000, 'a');
    const char* data = storage.data() + offset;
    const std::vector<size_t> sizes = {1, 3, 55, 56, 63, 64, 65, 119, 128, 4095, 4097, 65537};
    Sha256 sha;
    size_t at = 0;
    for (size_t i = 0; at < 1000000; ++i) {
      const size_t n = std::min(sizes[i % sizes.size()], size_t{1000000} - at);
      sha.update(data + at, n);
      at += n;
    }
    EXPECT_EQ(sha.finish_hex(), expected);
  }
}

TEST(Sha256, EmptyUpdatesChangeNothing) {
  Sha256 sha;
  sha.update("", 0);
  sha.update("ab");
  sha.update(nullptr, 0);
  sha.update("c");
  EXPECT_EQ(sha.finish_hex(), sha256_of("abc"));
}

// NIST's 1 GiB long message (2^24 copies of kPattern): the bit count passes 2^32.
TEST(Sha256, OneGibibyteNistVector) {
  EXPECT_EQ(sha256_of_repeated_pattern(uint64_t{1} << 24),
            "50e72a0e26442fe2552dc3938ac58658228c0cbfb1d2ca872ae435266fcd055e");
}

// Past 4 GiB (2^26 + 1 copies): the byte count passes 2^32. Reference from `openssl dgst`.
TEST(Sha256, MultiGibibyteStream) {
  EXPECT_EQ(sha256_of_repeated_pattern((uint64_t{1} << 26) + 1),
            "6b88ba21375ce3e6d496df4301aed9c46e0a158eaa88ded95625793ca7a598fb");
}

TEST(Sha256, FinishTwiceOrUpdateAfterFinishThrows) {
  Sha256 sha;
  sha.finish_hex();
  EXPECT_ANY_THROW(sha.finish_hex());
  EXPECT_ANY_THROW(sha.update("x"));
}

}  // namespace
}  // namespace ko
