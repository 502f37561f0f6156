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

  // Response body: kept in memory up to `max_response_bytes` (larger is an error), or, when
  // `response_file` is set, a 2xx body streamed to it (and hashed) up to
  // `response_file_limit` bytes (required: a blob's size; larger is an error, found from
  // Content-Length before anything is written when the server sends one).
  std::filesystem::path response_file;
  int64_t response_file_limit = -1;
  size_t max_response_bytes = 8 << 20;
  bool follow_redirects = false;  // Authorization is never sent to another host
  // Time before the request may start (backoff between retries).
  std::chrono::milliseconds delay{0};
  // Called, on the thread running the client, with the bytes of the body sent so far, as
  // the upload goes (about once a second at least, even while stalled); empty: not called.
  std::function<void(int64_t sent)> on_upload_progress;
};

struct HttpResponse {
  long status = 0;               // 0 when no HTTP response arrived
  std::string transport_error;   // curl's message when status == 0
  bool tls_untrusted = false;    // the server's certificate failed verification
  bool too_large = false;        // the body exceeded its limit
  bool deadline_passed = false;  // the client's deadline ended it (or came before it started)
  bool request_invalid = false;  // libcurl refused the URL (malformed, not http or https)
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
  // How long everything the client sends may take, counted from its construction: a
  // request still running then fails, and none starts (nor is retried) after it. 0: none.
  std::chrono::milliseconds timeout{0};
  // A transfer that moves fewer bytes than this a second for `low_speed_window` fails (and
  // may be retried): a server that sends its headers and then nothing, or trickles.
  long low_speed_bytes_per_second = 1024;
  std::chrono::seconds low_speed_window{30};
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

struct HttpUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
};
// `text` read by libcurl's URL parser, the one that would send the request: nullopt unless
// it is an absolute http or https URL with a host.
std::optional<HttpUrl> parse_http_url(const std::string& text);

}  // namespace ko
