// The one retry policy of every registry request: which failures are worth another try,
// how many tries a request gets, and how long to wait before each. transport.cpp applies
// it to every request of every chain; nothing else decides to retry.
#pragma once

#include <chrono>

#include "registry/http_client.hpp"

namespace ko {

struct RetryPolicy {
  int max_attempts = 5;

  // Whether a request that got `response` on its `attempts_made`-th try goes again.
  bool should_retry(const HttpResponse& response, int attempts_made) const;
};

// Whether a response may succeed when sent again: connection errors, 408, 429, 499 and the
// 5xx statuses of overloaded servers and gateways. Not: an untrusted certificate, a body
// over the size limit, a URL libcurl refuses, a request the deadline ended, or any answer
// the registry meant (4xx, 501).
bool is_retryable(const HttpResponse& response);

// How long to wait before attempt `attempt` + 1 (`attempt` ≥ 1 tries made): the server's
// Retry-After (seconds or an HTTP date; at most a minute), else 1 s, 3 s, 9 s … + ≤ 25 %
// jitter, so that many clients retrying at once spread out.
std::chrono::milliseconds retry_delay(const HttpResponse& response, int attempt);

}  // namespace ko
