// The transport against servers in this process: retries (Retry-After, backoff, the
// attempt limit), chains that start over, and Bearer tokens refreshed in the middle of a
// chain.
#include "registry/transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "loopback_http_server.hpp"
#include "registry/registry_error.hpp"
#include "registry/registry_session.hpp"
#include "test_support.hpp"

namespace ko {
namespace {

using namespace std::chrono_literals;
using testing::CannedServer;
using testing::http_response;
using testing::ReceivedRequest;
using Clock = std::chrono::steady_clock;

TEST(SendRequestTest, RetriesA503AndSaysHowOftenItTried) {
  CannedServer server({http_response(503, "Service Unavailable", "busy", {"Retry-After: 0"}),
                       http_response(200, "OK", "second")});
  HttpClient http;
  HttpResponse response = send_request(http, HttpRequest{.url = server.url("/v2/")});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "second");
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(server.requests(), 2);
}

TEST(SendRequestTest, GivesUpAfterTheAttemptLimit) {
  CannedServer server({http_response(503, "Service Unavailable", "busy", {"Retry-After: 0"})});
  HttpClient http;
  HttpResponse response = send_request(http, HttpRequest{.url = server.url("/v2/")}, nullptr,
                                       RetryPolicy{.max_attempts = 3});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "busy");
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(describe_error(response), "HTTP 503 (after 3 attempts)");
}

TEST(SendRequestTest, DoesNotRetryWhatCannotSucceed) {
  CannedServer server(
      {http_response(404, "Not Found", R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"x"}]})"),
       http_response(200, "OK")});
  HttpClient http;
  HttpResponse response = send_request(http, HttpRequest{.url = server.url("/v2/x/manifests/v1")});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(describe_error(response), "HTTP 404 MANIFEST_UNKNOWN: x");
  EXPECT_EQ(server.requests(), 1);
}

TEST(SendRequestTest, WaitsAsLongAsRetryAfterSays) {
  CannedServer server(
      {http_response(429, "Too Many Requests", "", {"Retry-After: 1"}), http_response(200, "OK")});
  HttpClient http;
  const auto start = Clock::now();
  EXPECT_EQ(send_request(http, HttpRequest{.url = server.url("/v2/")}).status, 200);
  EXPECT_GE(Clock::now() - start, 950ms);
}

TEST(SendRequestTest, BacksOffWithoutRetryAfter) {
  CannedServer server({http_response(502, "Bad Gateway"), http_response(200, "OK")});
  HttpClient http;
  const auto start = Clock::now();
  EXPECT_EQ(send_request(http, HttpRequest{.url = server.url("/v2/")}).status, 200);
  EXPECT_GE(Clock::now() - start, 950ms);  // the first backoff is 1 s + jitter
}

// A chain that must start over (a new upload session) rather than repeat a failed request.
class RestartingChain : public RequestChain {
 public:
  explicit RestartingChain(const CannedServer& server) : server_(server) {}
  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return HttpRequest{.url = server_.url("/first")};
    statuses.push_back(previous->status);
    if (previous->url.ends_with("/first")) return HttpRequest{.url = server_.url("/second")};
    return std::nullopt;
  }
  HttpRequest again(const HttpRequest&) override {
    statuses.push_back(-1);  // marks the restart
    return HttpRequest{.url = server_.url("/first")};
  }
  std::vector<long> statuses;

 private:
  const CannedServer& server_;
};

TEST(RunChainsTest, AChainMayStartOverAfterATransientFailure) {
  CannedServer server({http_response(200, "OK"),
                       http_response(503, "Service Unavailable", "", {"Retry-After: 0"}),
                       http_response(200, "OK"), http_response(200, "OK")});
  HttpClient http;
  RestartingChain chain(server);
  run_chains(http, {ChainRun{.chain = &chain}}, 1);
  // first → 200, second → 503, restarted: first → 200, second → 200.
  EXPECT_EQ(chain.statuses, (std::vector<long>{200, -1, 200, 200}));
  std::vector<std::string> paths;
  for (const ReceivedRequest& r : server.received()) paths.push_back(r.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/first", "/second", "/first", "/second"}));
}

// A registry with Bearer auth whose tokens expire: token N is accepted for
// `requests_per_token` requests, then answered with 401 until a new token is fetched.
class ExpiringTokenRegistry {
 public:
  // After `good_tokens` tokens, the token endpoint answers 500.
  explicit ExpiringTokenRegistry(int requests_per_token, int good_tokens = 1000)
      : requests_per_token_(requests_per_token),
        good_tokens_(good_tokens),
        server_([this](const ReceivedRequest& r) { return route(r); }) {}

  std::string host() const { return server_.host(); }
  int tokens_issued() const { return tokens_.load(); }
  int tokens_refused() const {
    std::lock_guard lock(mutex_);
    return refused_tokens_;
  }
  // "<path> <token>" of every request to /v2/ paths after the ping.
  std::vector<std::string> log() const {
    std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  std::string route(const ReceivedRequest& r) {
    if (r.path == "/token") {
      std::lock_guard lock(mutex_);
      if (tokens_.load() >= good_tokens_) {
        ++refused_tokens_;
        return http_response(500, "Internal Server Error", "", {"Retry-After: 0"});
      }
      used_ = 0;
      return http_response(200, "OK", R"({"token":"t)" + std::to_string(++tokens_) + R"("})");
    }
    const std::string challenge =
        "WWW-Authenticate: Bearer realm=\"http://" + server_.host() + "/token\",service=\"test\"";
    std::string token;
    if (size_t at = testing::lower(r.head).find("authorization: bearer "); at != std::string::npos)
      token = r.head.substr(at + 22, r.head.find("\r\n", at) - at - 22);
    if (r.path == "/v2/") return http_response(401, "Unauthorized", "", {challenge});
    std::lock_guard lock(mutex_);
    log_.push_back(r.path + " " + token);
    const bool current = token == "t" + std::to_string(tokens_.load());
    if (!current || ++used_ > requests_per_token_)
      return http_response(401, "Unauthorized",
                           R"({"errors":[{"code":"UNAUTHORIZED","message":"token expired"}]})",
                           {challenge});
    return http_response(200, "OK", r.path);
  }

  const int requests_per_token_;
  const int good_tokens_;
  std::atomic<int> tokens_{0};
  int refused_tokens_ = 0;
  mutable std::mutex mutex_;
  int used_ = 0;
  std::vector<std::string> log_;
  testing::LoopbackHttpServer server_;  // last: it stops before the members it uses go
};

TEST(RunChainsTest, ATokenThatExpiresInTheMiddleOfAChainIsRefreshedOnce) {
  ExpiringTokenRegistry registry(/*requests_per_token=*/2);
  HttpClient http;
  RegistrySession session(http, Reference::parse(registry.host() + "/repo"));
  session.authorize({pull_scope("repo")});
  EXPECT_EQ(registry.tokens_issued(), 1);

  RequestSequence chain({HttpRequest{.url = session.url("repo/blobs/a")},
                         HttpRequest{.url = session.url("repo/blobs/b")},
                         HttpRequest{.url = session.url("repo/blobs/c")},
                         HttpRequest{.url = session.url("repo/blobs/d")}});
  run_chains(http, {session.chain(chain)}, 1);

  std::vector<long> statuses;
  for (const HttpResponse& r : chain.responses()) statuses.push_back(r.status);
  EXPECT_EQ(statuses, (std::vector<long>{200, 200, 200, 200}));
  EXPECT_EQ(registry.tokens_issued(), 2);
  EXPECT_EQ(registry.log(), (std::vector<std::string>{"/v2/repo/blobs/a t1", "/v2/repo/blobs/b t1",
                                                      "/v2/repo/blobs/c t1", "/v2/repo/blobs/c t2",
                                                      "/v2/repo/blobs/d t2"}));
}

TEST(RunChainsTest, ARefusedTokenEndsTheRequestAfterOneRefresh) {
  ExpiringTokenRegistry registry(/*requests_per_token=*/0);  // no token is ever good
  HttpClient http;
  RegistrySession session(http, Reference::parse(registry.host() + "/repo"));
  session.authorize({pull_scope("repo")});
  try {
    session.send(HttpRequest{.url = session.url("repo/manifests/v1")});
    ADD_FAILURE() << "send did not throw";
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_NE(std::string(e.what()).find("refused the credentials"), std::string::npos) << e.what();
  }
  EXPECT_EQ(registry.tokens_issued(), 2);  // the first, and one refresh
}

TEST(RunChainsTest, AFailedRefreshFailsTheChainWithTheTokenError) {
  ExpiringTokenRegistry registry(/*requests_per_token=*/1, /*good_tokens=*/1);
  HttpClient http;
  RegistrySession session(http, Reference::parse(registry.host() + "/repo"));
  session.authorize({pull_scope("repo")});

  RequestSequence chain({HttpRequest{.url = session.url("repo/blobs/a")},
                         HttpRequest{.url = session.url("repo/blobs/b")}});
  run_chains(http, {session.chain(chain)}, 1);
  ASSERT_EQ(chain.responses().size(), 2u);
  EXPECT_EQ(chain.responses()[0].status, 200);
  const HttpResponse& failed = chain.responses()[1];
  EXPECT_EQ(failed.status, 0);
  EXPECT_NE(describe_error(failed).find("token request to http://" + registry.host() +
                                        "/token for registry " + registry.host() +
                                        " failed: HTTP 500 (after 5 attempts)"),
            std::string::npos)
      << describe_error(failed);
  EXPECT_EQ(registry.tokens_refused(), 5);  // the token request is retried like any other
}

}  // namespace
}  // namespace ko
