#include "oci/platform.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(Platform, KnownArchitecturesAllParse) {
  std::vector<std::string> names = Platform::known_architectures();
  EXPECT_NE(std::find(names.begin(), names.end(), "riscv64"), names.end());
  for (const std::string& name : names) EXPECT_NO_THROW(Platform::parse("linux/" + name)) << name;
}

}  // namespace
}  // namespace ko
