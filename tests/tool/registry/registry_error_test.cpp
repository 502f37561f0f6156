#include "registry/registry_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ko {
namespace {

TEST(DescribeErrorTest, FormatsDistributionErrors) {
  HttpResponse response{.status = 400};
  response.body = R"({"errors":[{"code":"MANIFEST_INVALID","message":"bad"}]})";
  EXPECT_EQ(describe_error(response), "HTTP 400 MANIFEST_INVALID: bad");
}

TEST(DescribeErrorTest, JoinsSeveralErrors) {
  HttpResponse response{.status = 401};
  response.body =
      R"({"errors":[{"code":"UNAUTHORIZED","message":"no"},{"code":"DENIED","message":"never"}]})";
  EXPECT_EQ(describe_error(response), "HTTP 401 UNAUTHORIZED: no; DENIED: never");
}

// Found by fuzz.registry_error: the registry's message must not break our one-line error.
TEST(DescribeErrorTest, RegistryTextStaysOneBoundedLine) {
  HttpResponse response{.status = 403};
  response.body = R"({"errors":[{"code":"DENIED","message":"line one\nline two\r\u0007"}]})";
  EXPECT_EQ(describe_error(response), "HTTP 403 DENIED: line one line two  ");
  response.body = R"({"errors":[{"code":"DENIED","message":")" + std::string(5000, 'x') + R"("}]})";
  EXPECT_LT(describe_error(response).size(), 600u);
}

TEST(DescribeErrorTest, NonJsonBodyGivesTheStatusOnly) {
  HttpResponse response{.status = 502};
  response.body = "<html>Bad Gateway</html>";
  EXPECT_EQ(describe_error(response), "HTTP 502");
}

TEST(DescribeErrorTest, TransportErrorIsItsMessage) {
  HttpResponse response{.status = 0, .transport_error = "Failed to connect to r.io port 443"};
  EXPECT_EQ(describe_error(response), "Failed to connect to r.io port 443");
}

TEST(DescribeErrorTest, SaysHowOftenARequestWasTried) {
  HttpResponse response{.status = 503, .attempts = 5};
  EXPECT_EQ(describe_error(response), "HTTP 503 (after 5 attempts)");
  HttpResponse refused{.status = 0, .transport_error = "Connection refused", .attempts = 2};
  EXPECT_EQ(describe_error(refused), "Connection refused (after 2 attempts)");
}

TEST(RegistryErrorTest, KeepsTheStatusAndTheRegistrysErrors) {
  HttpResponse response{.status = 404};
  response.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"no such tag"}]})";
  RegistryError error("r.io", response, "fetching r.io/app:v1");
  EXPECT_STREQ(error.what(), "fetching r.io/app:v1: HTTP 404 MANIFEST_UNKNOWN: no such tag");
  EXPECT_EQ(error.status(), 404);
  ASSERT_EQ(error.errors().size(), 1u);
  EXPECT_EQ(error.errors()[0].code, "MANIFEST_UNKNOWN");
  EXPECT_EQ(error.errors()[0].message, "no such tag");
}

TEST(RegistryErrorTest, A401SaysTheRegistryRefusedTheCredentials) {
  HttpResponse response{.status = 401};
  response.body = R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})";
  RegistryError error("r.io", response, "pushing");
  EXPECT_STREQ(error.what(),
               "registry r.io refused the credentials (HTTP 401 UNAUTHORIZED: authentication "
               "required)");
}

TEST(RegistryErrorTest, ABodyThatIsNoErrorListGivesNoEntries) {
  EXPECT_TRUE(parse_error_body("<html>").empty());
  EXPECT_TRUE(parse_error_body(R"({"errors":"no"})").empty());
  EXPECT_TRUE(parse_error_body("").empty());
}

}  // namespace
}  // namespace ko
