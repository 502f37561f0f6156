#include "layer/parallel_gzip.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "decompress.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::gunzip;
using testing::read_bytes;
using testing::TempDir;

constexpr size_t kBlock = kGzipChunkSize;

// Deterministic bytes that compress like a program: tokens from a small vocabulary (so
// deflate finds matches, also across block boundaries) with stretches of noise.
std::string program_like_bytes(size_t size, uint64_t seed = 1) {
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 300; ++i) {
    std::string token(4 + next() % 12, '\0');
    for (char& c : token) c = static_cast<char>(next());
    vocabulary.push_back(token);
  }
  std::string out;
  out.reserve(size + 64);
  while (out.size() < size) {
    if (next() % 16 == 0) {
      for (int i = 0; i < 64; ++i) out.push_back(static_cast<char>(next()));
    } else {
      out += vocabulary[next() % vocabulary.size()];
    }
  }
  out.resize(size);
  return out;
}

struct Result {
  CompressedStream stream;
  std::string bytes;
};

class ParallelGzipTest : public ::testing::Test {
 protected:
  // Compresses `input`, handed over in pieces of `chunk` bytes.
  Result compress(const std::string& input, int threads, int level = 1, size_t chunk = 10240) {
    const std::filesystem::path path = dir_ / ("out-" + std::to_string(++count_) + ".gz");
    auto gzip = parallel_gzip(path, level, threads);
    for (size_t at = 0; at < input.size(); at += chunk)
      gzip->write(input.data() + at, std::min(chunk, input.size() - at));
    CompressedStream stream = gzip->finish();
    return {stream, read_bytes(path)};
  }

  TempDir dir_;
  int count_ = 0;
};

// The determinism contract: the same bytes for every thread count, at every size around
// the block boundaries.
TEST_F(ParallelGzipTest, SameBytesForAnyThreadCount) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, kBlock - 1, kBlock, kBlock + 1,
                      2 * kBlock, 3 * kBlock + 7, 9 * kBlock + 12345}) {
    SCOPED_TRACE("size " + std::to_string(size));
    const std::string input = program_like_bytes(size);
    const Result one = compress(input, 1);
    for (int threads : {2, 3, 8}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      const Result many = compress(input, threads);
      EXPECT_EQ(many.bytes, one.bytes);
      EXPECT_EQ(many.stream.digest, one.stream.digest);
    }
  }
}

TEST_F(ParallelGzipTest, HowTheInputArrivesDoesNotMatter) {
  const std::string input = program_like_bytes(3 * kBlock + 100);
  const Result reference = compress(input, 2, 1, input.size());
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{512}, kBlock, kBlock + 1}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    EXPECT_EQ(compress(input, 2, 1, chunk).bytes, reference.bytes);
  }
}

TEST_F(ParallelGzipTest, DecompressesToTheInputWithMatchingHashesAndSizes) {
  for (size_t size : {size_t{0}, size_t{1}, kBlock, kBlock + 1, 5 * kBlock + 3}) {
    for (int threads : {1, 2}) {
      SCOPED_TRACE("size " + std::to_string(size) + ", threads " + std::to_string(threads));
      const std::string input = program_like_bytes(size, 7);
      const Result result = compress(input, threads);
      size_t members = 0;
      EXPECT_EQ(gunzip(result.bytes, &members), input);
      EXPECT_EQ(members, std::max<size_t>(1, (size + kBlock - 1) / kBlock)) << "one per chunk";
      EXPECT_EQ(result.stream.diff_id, Digest::of_bytes(input));
      EXPECT_EQ(result.stream.digest, Digest::of_bytes(result.bytes));
      EXPECT_EQ(result.stream.uncompressed_size, static_cast<int64_t>(size));
      EXPECT_EQ(result.stream.size, static_cast<int64_t>(result.bytes.size()));
    }
  }
}

TEST_F(ParallelGzipTest, EveryLevelDecompresses) {
  const std::string input = program_like_bytes(2 * kBlock + 99, 3);
  std::string level_1, level_9;
  for (int level = 0; level <= kGzipMaxLevel; ++level) {
    SCOPED_TRACE("level " + std::to_string(level));
    const Result result = compress(input, 2, level);
    EXPECT_EQ(gunzip(result.bytes), input);
    EXPECT_EQ(compress(input, 1, level).bytes, result.bytes);
    if (level == 1) level_1 = result.bytes;
    if (level == 9) level_9 = result.bytes;
  }
  EXPECT_LT(level_9.size(), level_1.size());
}

// Every member: a fixed header (no name, mtime 0, OS 255), then its chunk's CRC-32 and size.
TEST_F(ParallelGzipTest, MembersHaveFixedHeadersAndDescribeTheirChunk) {
  const std::string input = program_like_bytes(2 * kBlock + 5);
  const std::string gzip = compress(input, 2).bytes;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(gzip.at(i)); };
  const auto le32 = [&](size_t at) {
    return static_cast<uint32_t>(byte(at)) | static_cast<uint32_t>(byte(at + 1)) << 8 |
           static_cast<uint32_t>(byte(at + 2)) << 16 | static_cast<uint32_t>(byte(at + 3)) << 24;
  };
  // Walk the members with zlib: each one's end is where inflate stops.
  size_t at = 0, chunk = 0;
  while (at < gzip.size()) {
    SCOPED_TRACE("member " + std::to_string(chunk));
    EXPECT_EQ(byte(at + 0), 0x1f);
    EXPECT_EQ(byte(at + 1), 0x8b);
    EXPECT_EQ(byte(at + 2), 8) << "deflate";
    EXPECT_EQ(byte(at + 3), 0) << "no flags: no name, comment, extra field or header CRC";
    for (size_t i = 4; i < 8; ++i) EXPECT_EQ(byte(at + i), 0) << "mtime byte " << i;
    EXPECT_EQ(byte(at + 8), 4) << "XFL for the fastest level";
    EXPECT_EQ(byte(at + 9), 255) << "OS unknown";
    z_stream z{};
    ASSERT_EQ(inflateInit2(&z, 16 + 15), Z_OK);
    std::string out(kBlock + 1, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data() + at));
    z.avail_in = static_cast<uInt>(gzip.size() - at);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    ASSERT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    const size_t member_end = gzip.size() - z.avail_in;
    inflateEnd(&z);
    const std::string expected = input.substr(chunk * kBlock, kBlock);
    const uLong crc = crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(expected.data()),
                            expected.size());
    EXPECT_EQ(le32(member_end - 8), static_cast<uint32_t>(crc));
    EXPECT_EQ(le32(member_end - 4), static_cast<uint32_t>(expected.size()));
    at = member_end;
    ++chunk;
  }
  EXPECT_EQ(chunk, 3u);
}

// Independent 1 MiB members cost little against one zlib level-1 stream of the whole input
// (the bench checks the real target, ≤ 3% above `gzip -1`, on Go binaries).
TEST_F(ParallelGzipTest, MembersCostLittleAgainstOneZlibStream) {
  const std::string input = program_like_bytes(12 * kBlock, 5);
  uLong one_stream_size = compressBound(input.size());
  std::string one_stream(one_stream_size, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(one_stream.data()), &one_stream_size,
                      reinterpret_cast<const Bytef*>(input.data()), input.size(), 1),
            Z_OK);
  const size_t members_size = compress(input, 2).bytes.size();
  EXPECT_LT(static_cast<double>(members_size), 1.03 * static_cast<double>(one_stream_size))
      << members_size << " vs " << one_stream_size;
}

TEST_F(ParallelGzipTest, WriteErrorOfTheWriterThreadReachesTheCaller) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::string input = program_like_bytes(6 * kBlock);
  for (int threads : {1, 2}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    try {
      auto gzip = parallel_gzip("/dev/full", 1, threads);
      for (size_t at = 0; at < input.size(); at += 10240)
        gzip->write(input.data() + at, std::min<size_t>(10240, input.size() - at));
      gzip->finish();
      ADD_FAILURE() << "no error writing to /dev/full";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("disk full"), std::string::npos) << e.what();
    }
  }
}

TEST_F(ParallelGzipTest, DestroyedWithoutFinishStopsCleanly) {
  const std::string input = program_like_bytes(12 * kBlock);
  auto gzip = parallel_gzip(dir_ / "abandoned.gz", 1, 3);
  gzip->write(input.data(), input.size());
  // Destruction joins the workers and the writer with blocks still in flight.
}

TEST_F(ParallelGzipTest, BadSettingsThrow) {
  EXPECT_THROW(parallel_gzip(dir_ / "a.gz", 13, 1), Error);
  EXPECT_THROW(parallel_gzip(dir_ / "b.gz", -1, 1), Error);
  EXPECT_THROW(parallel_gzip(dir_ / "c.gz", 1, 0), Error);
  EXPECT_THROW(parallel_gzip(dir_ / "missing/dir/d.gz", 1, 1), Error);
}

TEST(ParallelGzipDescription, NamesLibdeflateLevelAndChunkSize) {
  EXPECT_EQ(parallel_gzip_description(1),
            "gzip (libdeflate " LIBDEFLATE_VERSION_STRING ", level 1, 1 MiB members)");
}

}  // namespace
}  // namespace ko
