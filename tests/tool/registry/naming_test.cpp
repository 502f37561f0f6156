#include "registry/naming.hpp"

#include <gtest/gtest.h>

#include <string>

#include "util/error.hpp"

namespace ko {
namespace {

// md5("example.com/hello/cmd/hello"), computed independently with md5sum.
constexpr const char* kHelloMd5 = "20224deb52929e35ecb74c0e57f6ee11";

TEST(NamingTest, DefaultIsLastElementDashMd5OfImportPath) {
  EXPECT_EQ(repository_for("ghcr.io/me", "example.com/hello/cmd/hello", Naming::kDefault),
            std::string("ghcr.io/me/hello-") + kHelloMd5);
}

TEST(NamingTest, DefaultLowerCasesTheNameButHashesThePathAsWritten) {
  // md5("github.com/Org/MyTool") = e8ea9b83ba3ff170a57dcf5d495c355e (md5sum).
  EXPECT_EQ(repository_for("r.io/x", "github.com/Org/MyTool", Naming::kDefault),
            "r.io/x/mytool-e8ea9b83ba3ff170a57dcf5d495c355e");
}

TEST(NamingTest, Bare) {
  EXPECT_EQ(repository_for("ghcr.io/me/app", "example.com/hello/cmd/hello", Naming::kBare),
            "ghcr.io/me/app");
}

TEST(NamingTest, Base) {
  EXPECT_EQ(repository_for("ghcr.io/me", "example.com/hello/cmd/Hello", Naming::kBase),
            "ghcr.io/me/hello");
}

TEST(NamingTest, PreserveLowerCasesTheWholeImportPath) {
  EXPECT_EQ(repository_for("ghcr.io/me", "github.com/Org/Cmd/MyTool", Naming::kPreserve),
            "ghcr.io/me/github.com/org/cmd/mytool");
}

TEST(NamingTest, ImportPathWithoutSlashIsItsOwnLastElement) {
  EXPECT_EQ(repository_for("r.io/x", "hello", Naming::kBase), "r.io/x/hello");
}

TEST(NamingTest, TrailingSlashesOfDockerRepoAreTrimmed) {
  EXPECT_EQ(repository_for("ghcr.io/me/", "example.com/hello/cmd/hello", Naming::kDefault),
            std::string("ghcr.io/me/hello-") + kHelloMd5);
  EXPECT_EQ(repository_for("ghcr.io/me//", "example.com/hello/cmd/hello", Naming::kBase),
            "ghcr.io/me/hello");
  EXPECT_EQ(repository_for("ghcr.io/me/app/", "example.com/hello/cmd/hello", Naming::kBare),
            "ghcr.io/me/app");
}

TEST(NamingTest, ParseNamingKnowsTheFourStrategies) {
  EXPECT_EQ(parse_naming("default"), Naming::kDefault);
  EXPECT_EQ(parse_naming("bare"), Naming::kBare);
  EXPECT_EQ(parse_naming("base"), Naming::kBase);
  EXPECT_EQ(parse_naming("preserve"), Naming::kPreserve);
}

TEST(NamingTest, ParseNamingRejectsUnknownNames) {
  EXPECT_THROW(parse_naming(""), Error);
  EXPECT_THROW(parse_naming("Default"), Error);
  try {
    parse_naming("flat");
    FAIL() << "expected ko::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'flat'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ko
