#include "registry/reference.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/error.hpp"

namespace ko {
namespace {

const std::string kHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(ReferenceTest, OneWordNameIsADockerHubLibraryImageAtLatest) {
  Reference ref = Reference::parse("golang");
  EXPECT_EQ(ref.registry, "docker.io");
  EXPECT_EQ(ref.repository, "library/golang");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_FALSE(ref.digest.has_value());
  EXPECT_EQ(ref.api_host(), "registry-1.docker.io");
  EXPECT_EQ(ref.str(), "docker.io/library/golang:latest");
}

TEST(ReferenceTest, TwoPartHubNameKeepsItsOrganisation) {
  Reference ref = Reference::parse("myorg/app:1.2");
  EXPECT_EQ(ref.registry, "docker.io");
  EXPECT_EQ(ref.repository, "myorg/app");
  EXPECT_EQ(ref.tag, "1.2");
}

TEST(ReferenceTest, DockerHubAliasesNormaliseToDockerIo) {
  Reference index = Reference::parse("index.docker.io/x/y");
  EXPECT_EQ(index.registry, "docker.io");
  EXPECT_EQ(index.repository, "x/y");
  EXPECT_EQ(index.api_host(), "registry-1.docker.io");

  Reference api = Reference::parse("registry-1.docker.io/x/y:t");
  EXPECT_EQ(api.registry, "docker.io");
  EXPECT_EQ(api.str(), "docker.io/x/y:t");
}

TEST(ReferenceTest, OtherRegistriesAreTheirOwnApiHost) {
  Reference ref = Reference::parse("cgr.dev/chainguard/static");
  EXPECT_EQ(ref.registry, "cgr.dev");
  EXPECT_EQ(ref.repository, "chainguard/static");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(ref.api_host(), "cgr.dev");
}

TEST(ReferenceTest, RegistryWithPortAndTag) {
  Reference ref = Reference::parse("127.0.0.1:5000/a/b:v1");
  EXPECT_EQ(ref.registry, "127.0.0.1:5000");
  EXPECT_EQ(ref.repository, "a/b");
  EXPECT_EQ(ref.tag, "v1");
  EXPECT_EQ(ref.api_host(), "127.0.0.1:5000");
  EXPECT_EQ(ref.name(), "127.0.0.1:5000/a/b");
}

TEST(ReferenceTest, LocalhostWithoutPortIsARegistry) {
  Reference ref = Reference::parse("localhost/x");
  EXPECT_EQ(ref.registry, "localhost");
  EXPECT_EQ(ref.repository, "x");
  EXPECT_EQ(ref.tag, "latest");
}

TEST(ReferenceTest, DigestOnlyHasNoTag) {
  Reference ref = Reference::parse("r.io/x@sha256:" + kHex);
  EXPECT_EQ(ref.registry, "r.io");
  EXPECT_EQ(ref.repository, "x");
  EXPECT_EQ(ref.tag, "");
  ASSERT_TRUE(ref.digest.has_value());
  EXPECT_EQ(ref.digest->hex(), kHex);
  EXPECT_EQ(ref.identifier(), "sha256:" + kHex);
  EXPECT_EQ(ref.str(), "r.io/x@sha256:" + kHex);
}

TEST(ReferenceTest, TagAndDigestAreBothKept) {
  Reference ref = Reference::parse("r.io:443/x/y:v2@sha256:" + kHex);
  EXPECT_EQ(ref.registry, "r.io:443");
  EXPECT_EQ(ref.repository, "x/y");
  EXPECT_EQ(ref.tag, "v2");
  ASSERT_TRUE(ref.digest.has_value());
  EXPECT_EQ(ref.digest->str(), "sha256:" + kHex);
  // The digest, not the tag, names the manifest to fetch.
  EXPECT_EQ(ref.identifier(), "sha256:" + kHex);
}

TEST(ReferenceTest, StrRoundTripsThroughParse) {
  for (const std::string& text :
       std::vector<std::string>{"docker.io/library/golang:1.22", "ghcr.io/org/team/app:v1.0.0-rc.1",
                                "127.0.0.1:5000/a/b:v1", "localhost:5000/x@sha256:" + kHex,
                                "[::1]:5000/x/y:t@sha256:" + kHex}) {
    SCOPED_TRACE(text);
    Reference ref = Reference::parse(text);
    EXPECT_EQ(ref.str(), text);
    Reference again = Reference::parse(ref.str());
    EXPECT_EQ(again.registry, ref.registry);
    EXPECT_EQ(again.repository, ref.repository);
    EXPECT_EQ(again.tag, ref.tag);
    EXPECT_EQ(again.digest, ref.digest);
  }
}

TEST(ReferenceTest, RepositorySeparatorsAreAccepted) {
  Reference ref = Reference::parse("r.io/a.b/c_d/e__f/g-h/i--j");
  EXPECT_EQ(ref.repository, "a.b/c_d/e__f/g-h/i--j");
}

TEST(ReferenceTest, RepositoryPartsHaveOneSeparatorBetweenLettersOrDigits) {
  for (const char* good : {"a.b", "a_b", "a__b", "a-b", "a---b", "a1.b2_c3__d4-e5", "0"})
    EXPECT_NO_THROW(Reference::parse(std::string("r.io/") + good)) << good;
  for (const char* bad :
       {"a._b", "a___b", "a-_b", "a..b", "-a", "a-", ".a", "a.", "_a", "a_", "a b", "a+b", "a:b/c"})
    EXPECT_THROW(Reference::parse_repository(std::string("r.io/") + bad), Error) << bad;
}

TEST(ReferenceTest, RegistriesAreHostnamesOrBracketedAddressesWithAnOptionalPort) {
  for (const char* good : {"r.io", "my-registry.example.com:443", "localhost:5000",
                           "127.0.0.1:5000", "[::1]", "[::1]:5000", "[fe80::1]:5000"})
    EXPECT_EQ(Reference::parse(std::string(good) + "/x").registry, good) << good;
  for (const char* bad : {"r..io", ".r.io", "r.io.", "r.io:", "r.io:5x", "r_io.com", "[]:5000",
                          "[::1", "[::g]", "[::1]5000", "r.io:5000:6000"})
    EXPECT_THROW(Reference::parse(std::string(bad) + "/x"), Error) << bad;
}

// A reference is matched in one pass, without recursion: a 1 MB one (a hostile YAML value, a
// corrupt lock file) is an error message, not a stack overflow (std::regex crashed at 100 KB).
TEST(ReferenceTest, VeryLongReferencesAreMatchedWithoutRecursion) {
  std::string long_part(1 << 20, 'a');
  long_part[long_part.size() / 2] = '-';
  EXPECT_EQ(Reference::parse("r.io/" + long_part).repository.size(), long_part.size());
  EXPECT_THROW(Reference::parse("r.io/" + long_part + "_"), Error);
  EXPECT_THROW(Reference::parse(long_part + ".io:" + std::string(1 << 20, '1') + "x/a"), Error);
  EXPECT_THROW(Reference::parse("r.io/a:" + long_part), Error);
}

TEST(ReferenceTest, RejectsUppercaseRepositoryParts) {
  EXPECT_THROW(Reference::parse("r.io/Org/app"), Error);
  EXPECT_THROW(Reference::parse("Golang"), Error);
  try {
    Reference::parse("r.io/org/App:v1");
    FAIL() << "expected ko::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("r.io/org/App:v1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'App'"), std::string::npos) << e.what();
  }
}

TEST(ReferenceTest, RejectsBadTags) {
  EXPECT_THROW(Reference::parse("r.io/x:"), Error);
  EXPECT_THROW(Reference::parse("r.io/x:-leading-dash"), Error);
  EXPECT_THROW(Reference::parse("r.io/x:.dot"), Error);
  EXPECT_THROW(Reference::parse("r.io/x:a+b"), Error);
  EXPECT_THROW(Reference::parse("r.io/x:" + std::string(129, 'a')), Error);
  EXPECT_NO_THROW(Reference::parse("r.io/x:" + std::string(128, 'a')));
}

TEST(ReferenceTest, RejectsEmptyRepository) {
  EXPECT_THROW(Reference::parse("r.io/"), Error);
  EXPECT_THROW(Reference::parse("r.io/:v1"), Error);
  EXPECT_THROW(Reference::parse(""), Error);
  EXPECT_THROW(Reference::parse("r.io/a//b"), Error);
  EXPECT_THROW(Reference::parse("r.io/a/"), Error);
}

TEST(ReferenceTest, RejectsBadDigests) {
  EXPECT_THROW(Reference::parse("r.io/x@sha256:abc"), Error);
  EXPECT_THROW(Reference::parse("r.io/x@sha512:" + kHex), Error);
  std::string upper = kHex;
  upper[0] = 'A';
  upper[10] = 'F';
  EXPECT_THROW(Reference::parse("r.io/x@sha256:" + upper), Error);
  EXPECT_THROW(Reference::parse("r.io/x@"), Error);
}

TEST(ReferenceTest, ParseRepositoryTakesNameOnly) {
  Reference ref = Reference::parse_repository("127.0.0.1:5000/apps");
  EXPECT_EQ(ref.registry, "127.0.0.1:5000");
  EXPECT_EQ(ref.repository, "apps");
  EXPECT_EQ(ref.tag, "");
  EXPECT_FALSE(ref.digest.has_value());

  Reference hub = Reference::parse_repository("myuser");
  EXPECT_EQ(hub.registry, "docker.io");
  EXPECT_EQ(hub.repository, "library/myuser");
}

TEST(ReferenceTest, ParseRepositoryRejectsTagOrDigest) {
  EXPECT_THROW(Reference::parse_repository("r.io/x:v1"), Error);
  EXPECT_THROW(Reference::parse_repository("r.io/x@sha256:" + kHex), Error);
  EXPECT_THROW(Reference::parse_repository("r.io/X"), Error);
}

TEST(ReferenceTest, IsLoopback) {
  EXPECT_TRUE(Reference::parse("localhost/x").is_loopback());
  EXPECT_TRUE(Reference::parse("localhost:5000/x").is_loopback());
  EXPECT_TRUE(Reference::parse("127.0.0.1:5000/x").is_loopback());
  EXPECT_TRUE(Reference::parse("127.1.2.3/x").is_loopback());
  EXPECT_TRUE(Reference::parse("[::1]:5000/x").is_loopback());
  EXPECT_TRUE(Reference::parse("[::1]/x").is_loopback());

  EXPECT_FALSE(Reference::parse("10.0.0.1:5000/x").is_loopback());
  EXPECT_FALSE(Reference::parse("example.com/x").is_loopback());
  EXPECT_FALSE(Reference::parse("golang").is_loopback());
  EXPECT_FALSE(Reference::parse("[::2]:5000/x").is_loopback());
}

}  // namespace
}  // namespace ko
