#include "oci/select_platform.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json/json.hpp"
#include "oci/media_types.hpp"

namespace ko {
namespace {

Descriptor entry(const std::string& platform_json, char digest_char) {
  Descriptor d;
  d.media_type = std::string(media_type::kOciManifest);
  d.digest = Digest::from_hex(std::string(64, digest_char));
  d.size = 100;
  if (!platform_json.empty()) d.platform = json::parse(platform_json);
  return d;
}

const Descriptor* select(const std::vector<Descriptor>& entries, const std::string& platform) {
  return select_platform(entries, Platform::parse(platform));
}

// --- tier 1: os, architecture and variant all equal --------------------------------------

TEST(SelectPlatform, PicksMatchingOsAndArchitecture) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"arm64"})", 'a'),
      entry(R"({"os":"linux","architecture":"amd64"})", 'b'),
  };
  EXPECT_EQ(select(entries, "linux/amd64"), &entries[1]);
  EXPECT_EQ(select(entries, "linux/arm64"), &entries[0]);
  EXPECT_EQ(select(entries, "linux/s390x"), nullptr);
}

TEST(SelectPlatform, PrefersExactVariant) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"arm"})", 'a'),
      entry(R"({"os":"linux","architecture":"arm","variant":"v6"})", 'b'),
      entry(R"({"os":"linux","architecture":"arm","variant":"v7"})", 'c'),
  };
  EXPECT_EQ(select(entries, "linux/arm/v7"), &entries[2]);
  EXPECT_EQ(select(entries, "linux/arm/v6"), &entries[1]);
  EXPECT_EQ(select(entries, "linux/arm"), &entries[0]);
}

// An exact entry wins over a compatible one listed before it, whichever side lacks the variant.
TEST(SelectPlatform, ExactWinsOverEarlierCompatibleEntry) {
  std::vector<Descriptor> variant_first = {
      entry(R"({"os":"linux","architecture":"amd64","variant":"v3"})", 'a'),
      entry(R"({"os":"linux","architecture":"amd64"})", 'b'),
  };
  EXPECT_EQ(select(variant_first, "linux/amd64"), &variant_first[1]);
  std::vector<Descriptor> plain_first = {
      entry(R"({"os":"linux","architecture":"arm64"})", 'a'),
      entry(R"({"os":"linux","architecture":"arm64","variant":"v8"})", 'b'),
  };
  EXPECT_EQ(select(plain_first, "linux/arm64/v8"), &plain_first[1]);
}

// Deterministic: of equal entries, the first in index order.
TEST(SelectPlatform, FirstOfEqualEntriesWins) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"amd64"})", 'a'),
      entry(R"({"os":"linux","architecture":"amd64"})", 'b'),
      entry(R"({"os":"linux","architecture":"arm","variant":"v6"})", 'c'),
      entry(R"({"os":"linux","architecture":"arm","variant":"v7"})", 'd'),
  };
  EXPECT_EQ(select(entries, "linux/amd64"), &entries[0]);
  EXPECT_EQ(select(entries, "linux/arm"), &entries[2]);  // tier 2: the first variant
}

// Members other than os/architecture/variant (os.version, features) do not take part.
TEST(SelectPlatform, IgnoresOtherPlatformMembers) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"amd64","os.version":"1","features":["x"]})", 'a'),
  };
  EXPECT_EQ(select(entries, "linux/amd64"), &entries[0]);
}

// --- tier 2: one side without a variant ----------------------------------------------------

TEST(SelectPlatform, RequestWithoutVariantTakesAnyVariant) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"amd64"})", 'a'),
      entry(R"({"os":"linux","architecture":"arm64","variant":"v8"})", 'b'),
  };
  EXPECT_EQ(select(entries, "linux/arm64"), &entries[1]);
}

TEST(SelectPlatform, FallsBackToEntryWithoutVariant) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"arm","variant":"v6"})", 'a'),
      entry(R"({"os":"linux","architecture":"arm"})", 'b'),
  };
  EXPECT_EQ(select(entries, "linux/arm/v7"), &entries[1]);
  std::vector<Descriptor> only_other_variant = {entries[0]};
  EXPECT_EQ(select(only_other_variant, "linux/arm/v7"), nullptr);
}

TEST(SelectPlatform, Arm64V8IsServedByPlainArm64) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"linux","architecture":"amd64"})", 'a'),
      entry(R"({"os":"linux","architecture":"arm64"})", 'b'),
  };
  EXPECT_EQ(select(entries, "linux/arm64/v8"), &entries[1]);
}

// The built-in static base lists every architecture without a variant: each variant of
// each architecture finds its entry.
TEST(SelectPlatform, EveryVariantFindsAPlainEntry) {
  std::vector<Descriptor> entries;
  for (const std::string& architecture : Platform::known_architectures())
    entries.push_back(entry(R"({"os":"linux","architecture":")" + architecture + "\"}", 'a'));
  for (const std::string platform :
       {"linux/amd64/v3", "linux/arm/v5", "linux/arm/v7", "linux/arm64/v8", "linux/riscv64"}) {
    const Descriptor* chosen = select(entries, platform);
    ASSERT_NE(chosen, nullptr) << platform;
    EXPECT_EQ(Platform::from_json(chosen->platform).architecture,
              Platform::parse(platform).architecture);
  }
}

// --- never matched ---------------------------------------------------------------------------

TEST(SelectPlatform, SkipsUnknownAttestationEntries) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"unknown","architecture":"unknown"})", 'a'),
      entry("", 'b'),  // no platform at all
      entry(R"({"os":"linux","architecture":"amd64"})", 'c'),
  };
  EXPECT_EQ(select(entries, "linux/amd64"), &entries[2]);
  EXPECT_EQ(select_platform(entries, Platform{"unknown", "unknown", ""}), nullptr);
}

TEST(SelectPlatform, OtherOsOrArchitectureNeverMatches) {
  std::vector<Descriptor> entries = {
      entry(R"({"os":"windows","architecture":"amd64"})", 'a'),
      entry(R"({"os":"linux","architecture":"arm64"})", 'b'),
  };
  EXPECT_EQ(select(entries, "linux/amd64"), nullptr);
  EXPECT_EQ(select_platform({}, Platform::parse("linux/amd64")), nullptr);
}

}  // namespace
}  // namespace ko
