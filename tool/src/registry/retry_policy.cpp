#include "registry/retry_policy.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <random>

namespace ko {

namespace {

constexpr std::chrono::seconds kMaxRetryAfter{60};  // honour the server, but not forever

// Retry-After as delay-seconds or an IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT");
// nullopt when it is neither.
std::optional<std::chrono::milliseconds> retry_after(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), ::isdigit)) {
    long seconds = value.size() > 6 ? kMaxRetryAfter.count() : std::atol(value.c_str());
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), kMaxRetryAfter);
  }
  std::tm date{};
  const char* end = ::strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date);
  if (!end || *end != '\0') return std::nullopt;
  const auto due = std::chrono::system_clock::from_time_t(::timegm(&date));
  const auto wait =
      std::chrono::duration_cast<std::chrono::milliseconds>(due - std::chrono::system_clock::now());
  return std::clamp<std::chrono::milliseconds>(wait, std::chrono::milliseconds(0), kMaxRetryAfter);
}

}  // namespace

bool RetryPolicy::should_retry(const HttpResponse& response, int attempts_made) const {
  return attempts_made < max_attempts && is_retryable(response);
}

bool is_retryable(const HttpResponse& response) {
  // Retrying can neither make a certificate trusted, a response smaller, a URL valid nor
  // the deadline later.
  if (response.tls_untrusted || response.too_large || response.request_invalid ||
      response.deadline_passed)
    return false;
  switch (response.status) {
    case 0:  // connection refused/reset, timeouts, TLS handshake failures on a flaky link
    case 408:
    case 429:
    case 499:
    case 500:
    case 502:
    case 503:
    case 504:
    case 522:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds retry_delay(const HttpResponse& response, int attempt) {
  if (auto after = retry_after(response.header("retry-after"))) return *after;
  static thread_local std::mt19937 random{std::random_device{}()};
  int base_ms = 1000;
  for (int i = 1; i < attempt; ++i) base_ms *= 3;
  std::uniform_int_distribution<int> jitter(0, base_ms / 4);
  return std::chrono::milliseconds(base_ms + jitter(random));
}

}  // namespace ko
