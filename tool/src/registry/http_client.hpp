// HTTP over libcurl, for the registry protocol: the request scheduler, nothing above it
// (retries and authorization: transport.hpp; error bodies: registry_error.hpp).
//
// Everything runs through one curl multi handle, so connections are reused across all
// requests of a run and independent request chains (one per blob upload) run in parallel.
// A chain is an HttpJob: it hands out its next request after seeing the previous response.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "digest/sha256.hpp"

namespace ko {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"

  // Body: `body`, or `body_length` bytes of `body_file` from `body_offset` (streamed).
  std::string body;
  std::filesystem::path body_file;
  int64_t body_offset = 0;
  int64_t body_length = 0;

  // Response body: kept in memory up to `max_response_bytes` (larger is an error), or
  // streamed to `response_file` (and hashed) when that is set.
  std::filesystem::path response_file;
  size_t max_response_bytes = 8 << 20;
  bool follow_redirects = false;  // Authorization is never sent to another host
  // Time before the request may start (backoff between retries).
  std::chrono::milliseconds delay{0};
  // Called, on the thread running the client, with the bytes of the body sent so far, as
  // the upload goes (about once a second at least, even while stalled); empty: not called.
  std::function<void(int64_t sent)> on_upload_progress;
};

struct HttpResponse {
  long status = 0;                             // 0 when no HTTP response arrived
  std::string transport_error;                 // curl's message when status == 0
  bool tls_untrusted = false;                  // the server's certificate failed verification
  bool too_large = false;                      // the body exceeded max_response_bytes
  std::map<std::string, std::string> headers;  // lower-case names, last value wins
  std::string body;
  std::string response_sha256_hex;  // when streamed to a file
  int64_t response_bytes = 0;
  std::string url;   // the request URL (for resolving Location)
  int attempts = 1;  // tries it took (transport.cpp retries; describe_error says so)

  std::string header(const std::string& lower_name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpJob {
 public:
  virtual ~HttpJob() = default;
  // The first request (previous == nullptr) or the one after `previous`; nullopt when done.
  virtual std::optional<HttpRequest> next(const HttpResponse* previous) = 0;
};

struct TransportCounters {
  int requests = 0;
  int64_t bytes_sent = 0;
  int connections_opened = 0;  // new TCP connections; the others reused a cached one
};

struct HttpClientOptions {
  // A PEM bundle trusted besides the system's CAs (SSL_CERT_FILE); empty for none.
  std::filesystem::path extra_ca_file;
};

class HttpClient {
 public:
  explicit HttpClient(const HttpClientOptions& options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Runs the jobs, at most `parallelism` at once; returns when all are done.
  void run(const std::vector<HttpJob*>& jobs, int parallelism = 4);
  // One request, blocking, sent once (retries are transport.hpp's).
  HttpResponse send(HttpRequest request);

  // Whether `host`'s TLS certificate is verified (default: yes).
  void set_verify_tls(const std::string& host, bool verify);
  const TransportCounters& counters() const { return counters_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  TransportCounters counters_;
};

// Resolves a Location header against the URL of the request that returned it.
std::string resolve_url(const std::string& base, const std::string& location);

}  // namespace ko
