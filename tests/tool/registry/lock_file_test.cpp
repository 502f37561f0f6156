#include "registry/lock_file.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "json/json.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::TempDir;

LockEntry make_entry(const std::string& reference, const std::string& seed) {
  LockEntry entry;
  entry.reference = reference;
  entry.digest = Digest::of_bytes("index " + seed);
  entry.media_type = "application/vnd.oci.image.index.v1+json";
  entry.platforms = {{"linux/amd64", Digest::of_bytes("amd64 " + seed).str()},
                     {"linux/arm64", Digest::of_bytes("arm64 " + seed).str()}};
  return entry;
}

void expect_same(const LockEntry& actual, const LockEntry& expected) {
  EXPECT_EQ(actual.reference, expected.reference);
  EXPECT_EQ(actual.digest, expected.digest);
  EXPECT_EQ(actual.media_type, expected.media_type);
  EXPECT_EQ(actual.platforms, expected.platforms);
}

class LockFileTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::filesystem::path lock_ = dir_ / "ko.lock.json";
};

TEST_F(LockFileTest, MissingFileHasNoEntry) {
  EXPECT_FALSE(read_lock_entry(lock_, "golang").has_value());
  EXPECT_FALSE(std::filesystem::exists(lock_));
}

TEST_F(LockFileTest, WriteThenReadRoundTrips) {
  LockEntry entry = make_entry("cgr.dev/chainguard/static:latest", "a");
  LockEntry written = write_lock_entry(lock_, "cgr.dev/chainguard/static:latest", entry, false);
  expect_same(written, entry);

  auto read = read_lock_entry(lock_, "cgr.dev/chainguard/static:latest");
  ASSERT_TRUE(read.has_value());
  expect_same(*read, entry);
  EXPECT_FALSE(read_lock_entry(lock_, "cgr.dev/chainguard/static").has_value());
}

TEST_F(LockFileTest, SinglePlatformEntryWithoutPlatformsRoundTrips) {
  LockEntry entry = make_entry("docker.io/library/alpine:3", "b");
  entry.media_type = "application/vnd.oci.image.manifest.v1+json";
  entry.platforms.clear();
  write_lock_entry(lock_, "alpine:3", entry, false);
  auto read = read_lock_entry(lock_, "alpine:3");
  ASSERT_TRUE(read.has_value());
  expect_same(*read, entry);
  json::Value doc = json::parse(testing::read_bytes(lock_));
  EXPECT_EQ(doc["bases"]["alpine:3"].get("platforms"), nullptr);
}

TEST_F(LockFileTest, KeysAreTheBaseTextExactlyAsGiven) {
  LockEntry entry = make_entry("docker.io/library/golang:1.22", "c");
  write_lock_entry(lock_, "golang:1.22", entry, false);

  json::Value doc = json::parse(testing::read_bytes(lock_));
  EXPECT_EQ(doc["version"].as_int(), 1);
  const json::Object& bases = doc["bases"].as_object();
  ASSERT_EQ(bases.size(), 1u);
  EXPECT_EQ(bases.begin()->first, "golang:1.22");
  EXPECT_EQ(bases.begin()->second.get_string("reference"), "docker.io/library/golang:1.22");
  EXPECT_EQ(bases.begin()->second.get_string("digest"), entry.digest.str());
  EXPECT_EQ(bases.begin()->second.get_string("mediaType"), entry.media_type);
  // Looking it up by the normalised reference finds nothing: keys are not normalised.
  EXPECT_FALSE(read_lock_entry(lock_, "docker.io/library/golang:1.22").has_value());
}

TEST_F(LockFileTest, KeepExistingReturnsTheFirstWritersEntry) {
  LockEntry first = make_entry("r.io/base:v1", "first");
  LockEntry second = make_entry("r.io/base:v1", "second");
  write_lock_entry(lock_, "r.io/base:v1", first, true);
  const std::string before = testing::read_bytes(lock_);

  LockEntry kept = write_lock_entry(lock_, "r.io/base:v1", second, true);
  expect_same(kept, first);
  EXPECT_EQ(testing::read_bytes(lock_), before);
  auto read = read_lock_entry(lock_, "r.io/base:v1");
  ASSERT_TRUE(read.has_value());
  expect_same(*read, first);
}

TEST_F(LockFileTest, WithoutKeepExistingTheEntryIsReplaced) {
  write_lock_entry(lock_, "r.io/base:v1", make_entry("r.io/base:v1", "old"), false);
  LockEntry fresh = make_entry("r.io/base:v1", "new");
  expect_same(write_lock_entry(lock_, "r.io/base:v1", fresh, false), fresh);
  auto read = read_lock_entry(lock_, "r.io/base:v1");
  ASSERT_TRUE(read.has_value());
  expect_same(*read, fresh);
}

TEST_F(LockFileTest, UnrelatedEntriesArePreserved) {
  LockEntry a = make_entry("r.io/a:v1", "a");
  LockEntry b = make_entry("r.io/b:v1", "b");
  write_lock_entry(lock_, "r.io/a:v1", a, false);
  write_lock_entry(lock_, "r.io/b:v1", b, false);
  write_lock_entry(lock_, "r.io/b:v1", make_entry("r.io/b:v1", "b2"), false);

  auto read_a = read_lock_entry(lock_, "r.io/a:v1");
  ASSERT_TRUE(read_a.has_value());
  expect_same(*read_a, a);
  auto read_b = read_lock_entry(lock_, "r.io/b:v1");
  ASSERT_TRUE(read_b.has_value());
  EXPECT_EQ(read_b->digest, Digest::of_bytes("index b2"));
}

TEST_F(LockFileTest, UnknownTopLevelMembersSurviveAWrite) {
  testing::write_file(lock_, R"({"version":1,"comment":"pinned by hand","bases":{}})");
  write_lock_entry(lock_, "r.io/a:v1", make_entry("r.io/a:v1", "a"), false);
  json::Value doc = json::parse(testing::read_bytes(lock_));
  EXPECT_EQ(doc.get_string("comment"), "pinned by hand");
}

TEST_F(LockFileTest, FileIsPrettyPrintedForPeople) {
  write_lock_entry(lock_, "r.io/a:v1", make_entry("r.io/a:v1", "a"), false);
  const std::string text = testing::read_bytes(lock_);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.substr(0, 2), "{\n");
  EXPECT_NE(text.find("\n  \"bases\": {\n    \"r.io/a:v1\": {\n      \"digest\": "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  \"version\": 1\n}\n"), std::string::npos) << text;
  // Pretty printing is only layout: the document is the same as its canonical form.
  EXPECT_GT(text.size(), json::dump(json::parse(text)).size() + 1);
}

TEST_F(LockFileTest, RewritingTheSameEntryLeavesTheFileUntouched) {
  LockEntry entry = make_entry("r.io/a:v1", "a");
  write_lock_entry(lock_, "r.io/a:v1", entry, false);
  const auto mtime = std::filesystem::last_write_time(lock_);
  std::filesystem::last_write_time(lock_, mtime - std::chrono::hours(1));
  write_lock_entry(lock_, "r.io/a:v1", entry, false);
  EXPECT_EQ(std::filesystem::last_write_time(lock_), mtime - std::chrono::hours(1));
}

TEST_F(LockFileTest, RejectsUnknownVersion) {
  testing::write_file(lock_, R"({"version": 2, "bases": {}})");
  EXPECT_THROW(read_lock_entry(lock_, "r.io/a:v1"), Error);
  EXPECT_THROW(write_lock_entry(lock_, "r.io/a:v1", make_entry("r.io/a:v1", "a"), false), Error);
  EXPECT_EQ(testing::read_bytes(lock_), R"({"version": 2, "bases": {}})");
}

TEST_F(LockFileTest, RejectsMissingVersion) {
  testing::write_file(lock_, R"({"bases": {}})");
  EXPECT_THROW(read_lock_entry(lock_, "r.io/a:v1"), Error);
}

TEST_F(LockFileTest, ParallelWritersForDifferentBasesAllLand) {
  constexpr int kWriters = 8;
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([this, i, &errors] {
      const std::string base = "r.io/base" + std::to_string(i) + ":v1";
      try {
        write_lock_entry(lock_, base, make_entry(base, std::to_string(i)), false);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kWriters; ++i) EXPECT_EQ(errors[i], "") << "writer " << i;

  json::Value doc = json::parse(testing::read_bytes(lock_));
  EXPECT_EQ(doc["bases"].as_object().size(), static_cast<size_t>(kWriters));
  for (int i = 0; i < kWriters; ++i) {
    const std::string base = "r.io/base" + std::to_string(i) + ":v1";
    auto read = read_lock_entry(lock_, base);
    ASSERT_TRUE(read.has_value()) << base;
    expect_same(*read, make_entry(base, std::to_string(i)));
  }
}

}  // namespace
}  // namespace ko
