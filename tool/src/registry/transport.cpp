#include "registry/transport.hpp"

#include <memory>

#include "util/error.hpp"

namespace ko {

namespace {

// Drives one chain: hands its requests to the HTTP client with authorization, and keeps
// the responses that are not final (retried, or answered by a refresh) from it.
class ChainDriver : public HttpJob {
 public:
  explicit ChainDriver(const ChainRun& run) : run_(run) {}

  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return begin(run_.chain->next(nullptr));
    if (refreshing_) return refreshed(*previous);
    if (previous->status == 401 && run_.authorizer && !refreshed_) {
      refreshed_ = true;
      // Another request of the run may have refreshed it since this one went out.
      if (run_.authorizer->generation() != sent_generation_) return send(last_);
      std::optional<HttpRequest> refresh;
      try {
        refresh = run_.authorizer->refresh_request();
      } catch (const Error& e) {
        return give_up(e.what());
      }
      if (refresh) {
        refreshing_ = true;
        refresh_ = std::move(*refresh);
        refresh_attempts_ = 1;
        return refresh_;
      }
    }
    if (run_.policy.should_retry(*previous, attempts_)) {
      HttpRequest again = run_.chain->again(last_);
      again.delay = retry_delay(*previous, attempts_);
      ++attempts_;
      return send(std::move(again));
    }
    HttpResponse final_response = *previous;
    final_response.attempts = attempts_;
    return begin(run_.chain->next(&final_response));
  }

 private:
  std::optional<HttpRequest> begin(std::optional<HttpRequest> request) {
    attempts_ = 1;
    refreshed_ = false;
    if (!request) return std::nullopt;
    return send(std::move(*request));
  }

  HttpRequest send(HttpRequest request) {
    last_ = std::move(request);
    HttpRequest out = last_;
    if (run_.authorizer) {
      sent_generation_ = run_.authorizer->generation();
      run_.authorizer->add_authorization(out);
    }
    return out;
  }

  std::optional<HttpRequest> refreshed(const HttpResponse& response) {
    if (run_.policy.should_retry(response, refresh_attempts_)) {
      HttpRequest again = refresh_;
      again.delay = retry_delay(response, refresh_attempts_++);
      return again;
    }
    refreshing_ = false;
    HttpResponse final_response = response;
    final_response.attempts = refresh_attempts_;
    try {
      run_.authorizer->accept_refresh(final_response);
    } catch (const Error& e) {
      return give_up(e.what());
    }
    return send(last_);  // the same attempt, with the new authorization
  }

  // The chain's request cannot be authorized: the chain sees a failure saying why.
  std::optional<HttpRequest> give_up(const std::string& why) {
    refreshing_ = false;
    HttpResponse failed{.status = 0, .transport_error = why, .url = last_.url};
    return begin(run_.chain->next(&failed));
  }

  ChainRun run_;
  HttpRequest last_;  // as the chain gave it, without authorization
  int attempts_ = 1;
  bool refreshed_ = false;
  int sent_generation_ = 0;
  bool refreshing_ = false;
  HttpRequest refresh_;
  int refresh_attempts_ = 0;
};

}  // namespace

RequestSequence::RequestSequence(std::vector<HttpRequest> requests,
                                 std::function<bool(const HttpResponse&)> stop)
    : requests_(std::move(requests)), stop_(std::move(stop)) {}

std::optional<HttpRequest> RequestSequence::next(const HttpResponse* previous) {
  if (previous) {
    responses_.push_back(*previous);
    if (stop_ && stop_(*previous)) return std::nullopt;
  }
  if (responses_.size() == requests_.size()) return std::nullopt;
  return requests_[responses_.size()];
}

void run_chains(HttpClient& http, const std::vector<ChainRun>& chains, int parallelism) {
  if (chains.empty()) return;
  std::vector<std::unique_ptr<ChainDriver>> drivers;
  std::vector<HttpJob*> jobs;
  for (const ChainRun& run : chains) {
    drivers.push_back(std::make_unique<ChainDriver>(run));
    jobs.push_back(drivers.back().get());
  }
  http.run(jobs, parallelism);
}

HttpResponse send_request(HttpClient& http, HttpRequest request, Authorizer* authorizer,
                          RetryPolicy policy) {
  RequestSequence chain({std::move(request)});
  run_chains(http, {ChainRun{.chain = &chain, .authorizer = authorizer, .policy = policy}}, 1);
  return chain.responses().front();
}

}  // namespace ko
