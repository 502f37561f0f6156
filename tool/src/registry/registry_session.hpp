// A session with one registry: which scheme it speaks, and the Authorization header for
// the scopes a run needs.
//
// Transport: HTTPS with verified TLS. Plain HTTP only as a fallback, for loopback
// registries (localhost, 127.0.0.0/8, [::1]) and the options' insecure registries (whose
// TLS certificates are also not verified), after HTTPS failed — as go-containerregistry's
// ping does.
// Auth: the ping's WWW-Authenticate challenge decides. Basic sends the credentials on
// every request; Bearer gets a token from the realm (GET with Basic credentials or
// anonymously, or POST with an identity token) for all scopes at once, cached per scope set.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry/credentials.hpp"
#include "registry/http_client.hpp"
#include "registry/reference.hpp"
#include "registry/registry_options.hpp"
#include "registry/transport.hpp"
#include "util/error.hpp"

namespace ko {

struct Challenge {
  std::string scheme;  // "basic" or "bearer" (lower case); empty when none was given
  std::map<std::string, std::string> parameters;  // realm, service, scope
};

// Parses a WWW-Authenticate header value.
Challenge parse_challenge(const std::string& header);

// Repository scopes, as the token protocol spells them.
std::string pull_scope(const std::string& repository);
std::string push_scope(const std::string& repository);

class RegistrySession : public Authorizer {
 public:
  RegistrySession(HttpClient& http, const Reference& reference,
                  const RegistryOptions& options = {});

  // Pings the registry and obtains authorization for `scopes`, unless the authorization
  // it has covers them.
  void authorize(const std::vector<std::string>& scopes);
  // Takes over what `other`, a session with the same registry, learned from its ping
  // (scheme, auth challenge, credentials), so another repository there needs no second
  // ping. Does nothing when `other` has not pinged yet or is for another registry.
  void adopt_ping(const RegistrySession& other);

  // "https://host/v2/<path>" (or http:// after a fallback).
  std::string url(const std::string& path) const { return base_url_ + "/v2/" + path; }
  // Sends through the transport (authorized, retried, re-authorized on an expired token);
  // a 401 that remains throws RegistryError.
  HttpResponse send(HttpRequest request);
  // The chain's requests go through the transport with this session's authorization.
  ChainRun chain(RequestChain& chain) { return ChainRun{.chain = &chain, .authorizer = this}; }

  HttpClient& http() { return http_; }
  const Reference& reference() const { return reference_; }

  // Authorizer
  void add_authorization(HttpRequest& request) const override;
  int generation() const override { return generation_; }
  std::optional<HttpRequest> refresh_request() override;
  void accept_refresh(const HttpResponse& response) override;

 private:
  void ping();
  std::string checked_realm() const;
  HttpRequest token_request(const std::vector<std::string>& scopes) const;
  std::string token_from(const HttpResponse& response) const;
  void set_authorization(std::string header);

  HttpClient& http_;
  Reference reference_;
  CredentialSources credential_sources_;
  bool insecure_ = false;
  std::string base_url_;
  bool pinged_ = false;
  Challenge challenge_;
  std::string realm_;  // the Bearer challenge's realm, checked once at the ping
  std::optional<Credentials> credentials_;
  bool credentials_loaded_ = false;
  std::vector<std::string> scopes_;
  std::string authorization_;  // "Authorization: …" header line, or empty
  int generation_ = 0;
};

// Runs `sequence_of(job)`, a RequestSequence, for every job in one parallel run, each through
// its job's session (`job.client`; all share one HttpClient), after clearing `job.error`.
// Returns the sequences, in the jobs' order, with the responses they saw.
template <class Job, class SequenceOf>
std::vector<RequestSequence> run_sequences(std::vector<Job>& jobs, SequenceOf sequence_of,
                                           int parallelism) {
  if (jobs.empty()) return {};
  HttpClient& http = jobs.front().client->http();
  std::vector<RequestSequence> sequences;
  sequences.reserve(jobs.size());  // the runs point into it
  std::vector<ChainRun> runs;
  for (Job& job : jobs) {
    if (&job.client->http() != &http)
      throw Error("internal: the registry sessions of one run must share one HttpClient");
    job.error.clear();
    sequences.push_back(sequence_of(job));
    runs.push_back(job.client->chain(sequences.back()));
  }
  run_chains(http, runs, parallelism);
  return sequences;
}

}  // namespace ko
