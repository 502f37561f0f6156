#include "oci/platform.hpp"

#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "util/error.hpp"

namespace ko {
namespace {

TEST(Platform, ParsesOsArchitectureAndVariant) {
  EXPECT_EQ(Platform::parse("linux/amd64"), (Platform{"linux", "amd64", ""}));
  EXPECT_EQ(Platform::parse("linux/arm/v7"), (Platform{"linux", "arm", "v7"}));
  EXPECT_EQ(Platform::parse("linux/arm64/v8"), (Platform{"linux", "arm64", "v8"}));
  EXPECT_EQ(Platform::parse("linux/amd64/v3"), (Platform{"linux", "amd64", "v3"}));
  EXPECT_EQ(Platform::parse("linux/s390x"), (Platform{"linux", "s390x", ""}));
}

TEST(Platform, RejectsMalformedOrUnsupported) {
  for (const char* text : {"linux", "linux/", "/amd64", "linux//v7", "", "windows/amd64",
                           "darwin/arm64", "linux/sparc", "linux/AMD64", "linux/arm/v9",
                           "linux/arm/v8", "linux/386/v1", "linux/amd64/v1/x", "linux/arm64/"}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(Platform::parse(text), Error);
  }
}

TEST(Platform, ErrorNamesTheTextAndWhatIsAccepted) {
  try {
    Platform::parse("linux/sparc");
    FAIL() << "no exception";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'linux/sparc'"), std::string::npos) << message;
    EXPECT_NE(message.find("arm64"), std::string::npos) << message;
  }
  try {
    Platform::parse("linux/arm/v9");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("v7"), std::string::npos) << e.what();
  }
}

TEST(Platform, StrAndSlug) {
  EXPECT_EQ(Platform::parse("linux/arm/v7").str(), "linux/arm/v7");
  EXPECT_EQ(Platform::parse("linux/arm/v7").slug(), "linux-arm-v7");
  EXPECT_EQ(Platform::parse("linux/amd64").slug(), "linux-amd64");
  EXPECT_EQ(Platform::parse("linux/amd64").str(), "linux/amd64");
}

TEST(Platform, JsonRoundTrip) {
  Platform p = Platform::parse("linux/arm/v6");
  EXPECT_EQ(json::dump(p.to_json()), R"({"architecture":"arm","os":"linux","variant":"v6"})");
  EXPECT_EQ(Platform::from_json(p.to_json()), p);
  EXPECT_EQ(json::dump(Platform::parse("linux/amd64").to_json()),
            R"({"architecture":"amd64","os":"linux"})");
}

TEST(Platform, GoEnvironmentFromVariant) {
  using Env = std::map<std::string, std::string>;
  EXPECT_EQ(Platform::parse("linux/arm/v7").go_environment(),
            (Env{{"GOOS", "linux"}, {"GOARCH", "arm"}, {"GOARM", "7"}}));
  EXPECT_EQ(Platform::parse("linux/amd64/v3").go_environment(),
            (Env{{"GOOS", "linux"}, {"GOARCH", "amd64"}, {"GOAMD64", "v3"}}));
  EXPECT_EQ(Platform::parse("linux/amd64").go_environment(),
            (Env{{"GOOS", "linux"}, {"GOARCH", "amd64"}}));
  EXPECT_EQ(Platform::parse("linux/arm64/v8").go_environment(),
            (Env{{"GOOS", "linux"}, {"GOARCH", "arm64"}}));
}

TEST(Platform, SatisfiedBy) {
  const Platform arm64 = Platform::parse("linux/arm64");
  const Platform arm64_v8 = Platform::parse("linux/arm64/v8");
  const Platform arm_v7 = Platform::parse("linux/arm/v7");
  const Platform arm_v6 = Platform::parse("linux/arm/v6");
  const Platform arm = Platform::parse("linux/arm");
  // v8 is arm64's default, so an entry without a variant serves it.
  EXPECT_TRUE(arm64_v8.satisfied_by(arm64));
  EXPECT_TRUE(arm64.satisfied_by(arm64_v8));
  EXPECT_TRUE(arm_v7.satisfied_by(arm_v7));
  EXPECT_FALSE(arm_v7.satisfied_by(arm_v6));
  EXPECT_FALSE(arm_v7.satisfied_by(arm));
  EXPECT_TRUE(arm.satisfied_by(arm_v6));
  EXPECT_FALSE(arm64.satisfied_by(Platform::parse("linux/amd64")));
  EXPECT_FALSE(arm64.satisfied_by(Platform{"windows", "arm64", ""}));
}

TEST(Platform, ElfIdentity) {
  EXPECT_EQ(Platform::parse("linux/amd64").elf_identity().machine, EM_X86_64);
  EXPECT_FALSE(Platform::parse("linux/amd64").elf_identity().big_endian);
  EXPECT_EQ(Platform::parse("linux/arm64").elf_identity().machine, EM_AARCH64);
  EXPECT_TRUE(Platform::parse("linux/s390x").elf_identity().big_endian);
  EXPECT_EQ(Platform::parse("linux/ppc64").elf_identity().machine,
            Platform::parse("linux/ppc64le").elf_identity().machine);
  EXPECT_NE(Platform::parse("linux/ppc64").elf_identity().big_endian,
            Platform::parse("linux/ppc64le").elf_identity().big_endian);
  EXPECT_THROW((Platform{"linux", "sparc", ""}.elf_identity()), Error);
}

TEST(Platform, KnownArchitecturesAllParse) {
  std::vector<std::string> names = Platform::known_architectures();
  EXPECT_NE(std::find(names.begin(), names.end(), "riscv64"), names.end());
  for (const std::string& name : names) EXPECT_NO_THROW(Platform::parse("linux/" + name)) << name;
}

}  // namespace
}  // namespace ko
