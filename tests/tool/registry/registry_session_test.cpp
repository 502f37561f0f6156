// Only the pure parts of the registry session: parsing challenges and naming scopes.
// Nothing here opens a connection.
#include "registry/registry_session.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace ko {
namespace {

using Parameters = std::map<std::string, std::string>;

TEST(RegistrySessionTest, ParsesDockerHubBearerChallenge) {
  Challenge c =
      parse_challenge(R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",)"
                      R"(scope="repository:library/golang:pull")");
  EXPECT_EQ(c.scheme, "bearer");
  EXPECT_EQ(c.parameters, (Parameters{{"realm", "https://auth.docker.io/token"},
                                      {"service", "registry.docker.io"},
                                      {"scope", "repository:library/golang:pull"}}));
}

TEST(RegistrySessionTest, ParsesBasicChallengeAndLowerCasesTheScheme) {
  Challenge c = parse_challenge(R"(Basic realm="x")");
  EXPECT_EQ(c.scheme, "basic");
  EXPECT_EQ(c.parameters, (Parameters{{"realm", "x"}}));

  EXPECT_EQ(parse_challenge(R"(BEARER realm="r")").scheme, "bearer");
}

TEST(RegistrySessionTest, CommasInsideQuotesBelongToTheValue) {
  Challenge c = parse_challenge(
      R"(Bearer realm="https://ghcr.io/token",scope="repository:org/app:push,pull",service="ghcr.io")");
  EXPECT_EQ(c.parameters["scope"], "repository:org/app:push,pull");
  EXPECT_EQ(c.parameters["service"], "ghcr.io");
  EXPECT_EQ(c.parameters.size(), 3u);
}

TEST(RegistrySessionTest, AcceptsSpacesAfterCommasUnquotedValuesAndEscapes) {
  Challenge c = parse_challenge(R"(Bearer Realm="a\"b", service=plain, error="x")");
  EXPECT_EQ(c.parameters, (Parameters{{"realm", R"(a"b)"}, {"service", "plain"}, {"error", "x"}}));
}

TEST(RegistrySessionTest, SchemeWithoutParameters) {
  Challenge c = parse_challenge("Basic");
  EXPECT_EQ(c.scheme, "basic");
  EXPECT_TRUE(c.parameters.empty());

  EXPECT_EQ(parse_challenge("").scheme, "");
}

TEST(RegistrySessionTest, Scopes) {
  EXPECT_EQ(pull_scope("library/golang"), "repository:library/golang:pull");
  EXPECT_EQ(push_scope("org/app"), "repository:org/app:push,pull");
}

}  // namespace
}  // namespace ko
