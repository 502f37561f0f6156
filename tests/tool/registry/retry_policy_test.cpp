#include "registry/retry_policy.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

namespace ko {
namespace {

using namespace std::chrono_literals;

TEST(IsRetryableTest, TransientStatusesAreRetried) {
  for (long status : {0L, 408L, 429L, 500L, 502L, 503L, 504L}) {
    EXPECT_TRUE(is_retryable(HttpResponse{.status = status})) << status;
  }
}

TEST(IsRetryableTest, ClientErrorsAndSuccessAreNotRetried) {
  for (long status : {200L, 201L, 400L, 401L, 403L, 404L, 405L, 501L}) {
    EXPECT_FALSE(is_retryable(HttpResponse{.status = status})) << status;
  }
}

TEST(IsRetryableTest, UntrustedCertificateIsNotRetried) {
  EXPECT_FALSE(is_retryable(HttpResponse{.status = 0, .tls_untrusted = true}));
}

TEST(IsRetryableTest, ResponseAboveTheSizeLimitIsNotRetried) {
  EXPECT_FALSE(is_retryable(HttpResponse{.status = 0, .too_large = true}));
}

HttpResponse with_retry_after(const std::string& value) {
  HttpResponse response{.status = 503};
  response.headers["retry-after"] = value;
  return response;
}

TEST(RetryDelayTest, HonoursNumericRetryAfter) {
  EXPECT_EQ(retry_delay(with_retry_after("2"), 1), 2000ms);
  EXPECT_EQ(retry_delay(with_retry_after("2"), 4), 2000ms);
  EXPECT_EQ(retry_delay(with_retry_after("0"), 1), 0ms);
}

TEST(RetryDelayTest, CapsRetryAfterAtOneMinute) {
  EXPECT_EQ(retry_delay(with_retry_after("60"), 1), 60000ms);
  EXPECT_EQ(retry_delay(with_retry_after("3600"), 1), 60000ms);
}

// Between base and base + 25 % jitter, for many draws.
void expect_backoff_within(const HttpResponse& response, int attempt, std::chrono::milliseconds low,
                           std::chrono::milliseconds high) {
  for (int i = 0; i < 200; ++i) {
    auto delay = retry_delay(response, attempt);
    ASSERT_GE(delay, low) << "attempt " << attempt;
    ASSERT_LE(delay, high) << "attempt " << attempt;
  }
}

TEST(RetryDelayTest, WithoutRetryAfterBacksOffPerAttempt) {
  HttpResponse response{.status = 503};
  expect_backoff_within(response, 1, 1000ms, 1250ms);
  expect_backoff_within(response, 2, 3000ms, 3750ms);
  expect_backoff_within(response, 3, 9000ms, 11250ms);
}

TEST(RetryDelayTest, AnUnreadableRetryAfterFallsBackToBackoff) {
  expect_backoff_within(with_retry_after("soon"), 1, 1000ms, 1250ms);
  expect_backoff_within(with_retry_after("-5"), 2, 3000ms, 3750ms);
  expect_backoff_within(with_retry_after("Wed, 21 Oct 2015 07:28:00"), 1, 1000ms, 1250ms);
}

TEST(RetryDelayTest, HonoursAnHttpDateRetryAfter) {
  const std::time_t in_ten_seconds = std::time(nullptr) + 10;
  char date[64];
  std::tm utc{};
  ::gmtime_r(&in_ten_seconds, &utc);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  auto delay = retry_delay(with_retry_after(date), 1);
  EXPECT_GE(delay, 8000ms) << date;
  EXPECT_LE(delay, 10000ms) << date;
  // A date in the past means now.
  EXPECT_EQ(retry_delay(with_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), 3), 0ms);
}

TEST(RetryPolicyTest, RetriesTransientFailuresUpToTheAttemptLimit) {
  RetryPolicy policy{.max_attempts = 3};
  HttpResponse busy{.status = 503};
  EXPECT_TRUE(policy.should_retry(busy, 1));
  EXPECT_TRUE(policy.should_retry(busy, 2));
  EXPECT_FALSE(policy.should_retry(busy, 3));
  EXPECT_FALSE(policy.should_retry(HttpResponse{.status = 404}, 1));
  EXPECT_FALSE(RetryPolicy{.max_attempts = 1}.should_retry(busy, 1));
}

}  // namespace
}  // namespace ko
