// The one way registry requests go out. Every request of every chain is
//   - authorized as it is sent (so a refreshed token reaches the requests after it),
//   - retried by the one RetryPolicy after a transient failure (a chain may start over
//     instead of repeating the request, as a blob upload must),
//   - re-authorized once when a 401 says the token expired, then sent again — in the
//     middle of a chain too, so a token that expires during a long push behaves like one
//     that expires between two requests.
// As go-containerregistry's remote/transport wraps every round trip, and for the same
// reason: the protocol code above (push, pull, referrers, signatures) says only what to
// send next.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "registry/http_client.hpp"
#include "registry/retry_policy.hpp"

namespace ko {

// What authorizes the requests to one registry (RegistrySession).
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // Adds the Authorization header when the request goes to the registry itself (never to
  // a blob redirect's host or a token realm).
  virtual void add_authorization(HttpRequest& request) const = 0;
  // Changes whenever the authorization does: a 401 for a request sent before the last
  // change is answered by sending it again, not by another refresh.
  virtual int generation() const = 0;
  // The request that gets a fresh authorization after a 401 (a token request), or nullopt
  // when there is nothing to refresh (Basic, anonymous). Throws ko::Error when the
  // registry's challenge cannot be followed.
  virtual std::optional<HttpRequest> refresh_request() = 0;
  // Takes the refresh request's response; throws ko::Error naming the problem when it
  // brings no authorization.
  virtual void accept_refresh(const HttpResponse& response) = 0;
};

// A chain of registry requests: after each final response (one neither retried nor
// re-authorized), the next request, or nullopt when the chain is done.
class RequestChain {
 public:
  virtual ~RequestChain() = default;
  virtual std::optional<HttpRequest> next(const HttpResponse* previous) = 0;
  // What to send when `failed` failed transiently: by default `failed` again.
  virtual HttpRequest again(const HttpRequest& failed) { return failed; }
};

// Requests one after the other, every final response kept; `stop`, when given, ends the
// chain early after a response it accepts.
class RequestSequence : public RequestChain {
 public:
  explicit RequestSequence(std::vector<HttpRequest> requests,
                           std::function<bool(const HttpResponse&)> stop = {});
  std::optional<HttpRequest> next(const HttpResponse* previous) override;
  const std::vector<HttpResponse>& responses() const { return responses_; }

 private:
  std::vector<HttpRequest> requests_;
  std::function<bool(const HttpResponse&)> stop_;
  std::vector<HttpResponse> responses_;
};

struct ChainRun {
  RequestChain* chain = nullptr;
  Authorizer* authorizer = nullptr;  // nullptr: requests go as they are
  RetryPolicy policy;
};

// Runs the chains over `http`, at most `parallelism` at once; returns when all are done.
void run_chains(HttpClient& http, const std::vector<ChainRun>& chains, int parallelism);

// One request, authorized, retried and re-authorized like every other.
HttpResponse send_request(HttpClient& http, HttpRequest request, Authorizer* authorizer = nullptr,
                          RetryPolicy policy = {});

}  // namespace ko
