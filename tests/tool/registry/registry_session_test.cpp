// The registry session: parsing challenges, naming scopes, and what it does with a
// challenge it cannot follow (against a server in this process).
#include "registry/registry_session.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "loopback_http_server.hpp"

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

// ---- Challenges that cannot succeed: one error, no retry -----------------------------------

// Answers /v2/ with a Bearer challenge naming `realm` ("{host}" in it becomes the server's
// host:port), and /token with `token_body`.
class ChallengingRegistry {
 public:
  explicit ChallengingRegistry(std::string realm, std::string token_body = R"({"token":"t"})")
      : realm_(std::move(realm)),
        token_body_(std::move(token_body)),
        server_([this](const testing::ReceivedRequest& request) {
          if (request.path == "/token") return testing::http_response(200, "OK", token_body_);
          const std::vector<std::string> headers{"WWW-Authenticate: Bearer realm=\"" +
                                                 this->realm() + "\",service=\"s\""};
          return testing::http_response(401, "Unauthorized", "", headers);
        }) {}
  std::string host() const { return server_.host(); }
  std::string realm() const {
    std::string text = realm_;
    if (size_t at = text.find("{host}"); at != std::string::npos) text.replace(at, 6, host());
    return text;
  }
  size_t requests() const { return server_.received().size(); }

 private:
  std::string realm_;
  std::string token_body_;
  testing::LoopbackHttpServer server_;  // last: it stops before the members it uses go
};

std::string authorize_error(ChallengingRegistry& registry) {
  HttpClient http;
  RegistrySession session(http, Reference::parse(registry.host() + "/repo"));
  try {
    session.authorize({pull_scope("repo")});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RegistrySessionTest, ARealmThatIsNotAnHttpUrlIsOneErrorWithoutATokenRequest) {
  for (const std::string realm : {"file:///etc/passwd", "http://[::1", "ftp://127.0.0.1/token"}) {
    ChallengingRegistry registry(realm);
    const auto start = std::chrono::steady_clock::now();
    const std::string error = authorize_error(registry);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1)) << realm;
    EXPECT_NE(error.find("registry " + registry.host()), std::string::npos) << error;
    EXPECT_NE(error.find("names a token realm that is not an http(s) URL: '" + realm + "'"),
              std::string::npos)
        << error;
    EXPECT_EQ(registry.requests(), 1u) << realm;  // the ping only (its HTTPS probe is not one)
  }
}

TEST(RegistrySessionTest, AnInvalidTokenResponseNamesTheRegistryAndTheRealm) {
  ChallengingRegistry registry("http://{host}/token", "not json");
  const std::string error = authorize_error(registry);
  EXPECT_NE(error.find("invalid JSON in the token response from " + registry.realm() +
                       " for registry " + registry.host()),
            std::string::npos)
      << error;
}

TEST(RegistrySessionTest, AValidRealmGetsATokenRequest) {
  ChallengingRegistry registry("http://{host}/token");
  EXPECT_EQ(authorize_error(registry), "");
  EXPECT_EQ(registry.requests(), 2u);  // the ping and the token request
}

}  // namespace
}  // namespace ko
