#include "layer/zstd_compressor.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#include <cstdint>
#include <optional>
#include <string>

#include "decompress.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::read_bytes;
using testing::TempDir;
using testing::unzstd;

// Deterministic, compressible bytes: a text-like stream with a counter in it.
std::string sample_bytes(size_t size) {
  std::string out;
  out.reserve(size + 64);
  for (uint64_t i = 0; out.size() < size; ++i)
    out += "entry " + std::to_string(i * 2654435761u % 1000003) + " of the layer\n";
  out.resize(size);
  return out;
}

class ZstdCompressorTest : public ::testing::Test {
 protected:
  std::string compress(const std::string& input, int threads, int level = 3,
                       std::optional<CompressedStream>* stream = nullptr) {
    const std::filesystem::path path = dir_ / ("out-" + std::to_string(++count_) + ".zst");
    auto zstd = zstd_compressor(path, level, threads);
    for (size_t at = 0; at < input.size(); at += 10240)
      zstd->write(input.data() + at, std::min<size_t>(10240, input.size() - at));
    CompressedStream result = zstd->finish();
    if (stream) *stream = result;
    return read_bytes(path);
  }

  TempDir dir_;
  int count_ = 0;
};

// zstd's multi-threaded mode cuts the input into jobs by size, not by worker count; 24 MB
// makes six jobs of kZstdJobSize.
TEST_F(ZstdCompressorTest, SameBytesForOneTwoAndFourThreads) {
  for (size_t size : {size_t{1}, size_t{100000}, size_t{24} << 20}) {
    SCOPED_TRACE("size " + std::to_string(size));
    const std::string input = sample_bytes(size);
    const std::string one = compress(input, 1);
    EXPECT_EQ(compress(input, 2), one);
    EXPECT_EQ(compress(input, 4), one);
  }
}

TEST_F(ZstdCompressorTest, DecompressesToTheInputWithMatchingHashesAndSizes) {
  const std::string input = sample_bytes(3 << 20);
  std::optional<CompressedStream> result;
  const std::string zstd = compress(input, 2, 3, &result);
  ASSERT_TRUE(result);
  const CompressedStream& stream = *result;
  ASSERT_GE(zstd.size(), 4u);
  EXPECT_EQ(zstd.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4)) << "zstd frame magic";
  EXPECT_EQ(unzstd(zstd), input) << "one frame, no padding after it";
  EXPECT_EQ(stream.diff_id, Digest::of_bytes(input));
  EXPECT_EQ(stream.digest, Digest::of_bytes(zstd));
  EXPECT_EQ(stream.uncompressed_size, static_cast<int64_t>(input.size()));
  EXPECT_EQ(stream.size, static_cast<int64_t>(zstd.size()));
  EXPECT_LT(zstd.size(), input.size() / 3);
}

TEST_F(ZstdCompressorTest, LevelChangesTheBytes) {
  const std::string input = sample_bytes(1 << 20);
  const std::string fast = compress(input, 1, 1);
  const std::string strong = compress(input, 1, 19);
  EXPECT_NE(fast, strong);
  EXPECT_EQ(unzstd(strong), input);
}

TEST_F(ZstdCompressorTest, BadSettingsThrow) {
  EXPECT_THROW(zstd_compressor(dir_ / "a.zst", 0, 1), Error);
  EXPECT_THROW(zstd_compressor(dir_ / "b.zst", 23, 1), Error);
  EXPECT_THROW(zstd_compressor(dir_ / "c.zst", 3, 0), Error);
  EXPECT_THROW(zstd_compressor(dir_ / "missing/dir/d.zst", 3, 1), Error);
}

TEST(ZstdCompressorDescription, NamesLibzstdAndLevel) {
  const std::string text = zstd_description(3);
  EXPECT_EQ(text.rfind("zstd (libzstd ", 0), 0u) << text;
  EXPECT_NE(text.find(ZSTD_versionString()), std::string::npos) << text;
  EXPECT_NE(text.find("level 3, 4 MiB jobs)"), std::string::npos) << text;
}

}  // namespace
}  // namespace ko
