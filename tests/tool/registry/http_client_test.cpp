#include "registry/http_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "digest/digest.hpp"
#include "loopback_http_server.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

// ---- Pure functions ----------------------------------------------------------------------

TEST(ResolveUrlTest, AbsoluteLocationIsKept) {
  EXPECT_EQ(resolve_url("http://h:5000/v2/x/blobs/uploads/",
                        "https://storage.example.com/upload?sig=abc"),
            "https://storage.example.com/upload?sig=abc");
}

TEST(ResolveUrlTest, AbsolutePathKeepsSchemeHostPortAndQuery) {
  EXPECT_EQ(resolve_url("http://h:5000/v2/x/blobs/uploads/", "/v2/x/blobs/uploads/uuid?_state=a"),
            "http://h:5000/v2/x/blobs/uploads/uuid?_state=a");
  EXPECT_EQ(resolve_url("https://r.io/v2/x/blobs/uploads/old?_state=b", "/v2/y"),
            "https://r.io/v2/y");
}

TEST(ResolveUrlTest, RelativePathResolvesAgainstTheBaseDirectory) {
  EXPECT_EQ(resolve_url("http://h:5000/v2/x/blobs/uploads/", "uuid?_state=a"),
            "http://h:5000/v2/x/blobs/uploads/uuid?_state=a");
  // The base's own query (which may contain slashes) is not part of its directory.
  EXPECT_EQ(resolve_url("http://h/v2/x/blobs/uploads/u1?_state=a/b", "u2"),
            "http://h/v2/x/blobs/uploads/u2");
}

// ---- End to end, against a server in this process -----------------------------------------

using testing::http_response;
using testing::lower;
using testing::ReceivedRequest;

using testing::CannedServer;

bool has_header(const ReceivedRequest& request, const std::string& lower_line) {
  return lower(request.head).find("\r\n" + lower_line + "\r\n") != std::string::npos;
}

TEST(HttpClientTest, SendReturnsStatusLowerCasedHeadersAndBody) {
  const std::string digest = Digest::of_bytes("{}").str();
  CannedServer server({http_response(
      200, "OK", R"({"ok":true})",
      {"Content-Type: application/json", "Docker-Content-Digest: " + digest, "X-Mixed-CASE: v"})});
  HttpClient http;
  HttpRequest request{.url = server.url("/v2/hello")};
  request.headers.push_back("X-Ko-Test: yes");
  HttpResponse response = http.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.ok());
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("docker-content-digest"), digest);
  EXPECT_EQ(response.header("x-mixed-case"), "v");
  EXPECT_EQ(response.headers.count("Content-Type"), 0u);
  EXPECT_EQ(response.header("content-length"), "11");
  EXPECT_EQ(response.url, server.url("/v2/hello"));
  EXPECT_EQ(response.transport_error, "");

  EXPECT_EQ(server.requests(), 1);
  auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method, "GET");
  EXPECT_EQ(received[0].target, "/v2/hello");
  EXPECT_TRUE(has_header(received[0], "x-ko-test: yes")) << received[0].head;
  EXPECT_EQ(http.counters().requests, 1);
}

TEST(HttpClientTest, SendSendsOnce) {
  CannedServer server(
      {http_response(404, "Not Found", R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"x"}]})"),
       http_response(200, "OK")});
  HttpClient http;
  HttpResponse response = http.send(HttpRequest{.url = server.url("/v2/x/manifests/v1")});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(server.requests(), 1);
}

TEST(HttpClientTest, ResponseFileStreamsAndHashesTheBody) {
  std::string blob;
  for (int i = 0; blob.size() < 300000; ++i) blob += "line " + std::to_string(i) + "\n";
  CannedServer server({http_response(200, "OK", blob)});
  TempDir dir;
  HttpClient http;
  // The in-memory limit does not apply to a body streamed to a file; its own does.
  HttpRequest request{.url = server.url("/v2/x/blobs/sha256:abc"),
                      .response_file = dir / "blob",
                      .response_file_limit = static_cast<int64_t>(blob.size()),
                      .max_response_bytes = 1024};
  HttpResponse response = http.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.response_bytes, static_cast<int64_t>(blob.size()));
  EXPECT_EQ(response.response_sha256_hex, Digest::of_bytes(blob).hex());
  EXPECT_EQ(testing::read_bytes(dir / "blob"), blob);
}

TEST(HttpClientTest, ErrorResponseWithResponseFileStaysInMemory) {
  CannedServer server({http_response(404, "Not Found", "no such blob")});
  TempDir dir;
  HttpClient http;
  HttpResponse response = http.send(HttpRequest{
      .url = server.url("/v2/x/blobs/b"), .response_file = dir / "blob", .response_file_limit = 4});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "no such blob");
  EXPECT_EQ(response.response_sha256_hex, "");
  EXPECT_FALSE(std::filesystem::exists(dir / "blob"));
}

TEST(HttpClientTest, BodyAboveTheLimitIsATransportError) {
  CannedServer server({http_response(200, "OK", std::string(4096, 'x'))});
  HttpClient http;
  HttpResponse response =
      http.send(HttpRequest{.url = server.url("/v2/x/manifests/v1"), .max_response_bytes = 1024});
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error.find("1024"), std::string::npos) << response.transport_error;
  EXPECT_TRUE(response.too_large);
  EXPECT_EQ(server.requests(), 1);
}

TEST(HttpClientTest, PutSendsTheBodyWithContentLength) {
  CannedServer server({http_response(201, "Created")});
  HttpClient http;
  HttpRequest request{.method = "PUT", .url = server.url("/v2/x/manifests/v1")};
  request.headers.push_back("Content-Type: application/vnd.oci.image.manifest.v1+json");
  request.body = R"({"schemaVersion":2})";
  HttpResponse response = http.send(request);

  EXPECT_EQ(response.status, 201);
  auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method, "PUT");
  EXPECT_EQ(received[0].body, R"({"schemaVersion":2})");
  EXPECT_TRUE(has_header(received[0], "content-length: 19")) << received[0].head;
  EXPECT_TRUE(has_header(received[0], "content-type: application/vnd.oci.image.manifest.v1+json"))
      << received[0].head;
  EXPECT_EQ(http.counters().bytes_sent, 19);
}

TEST(HttpClientTest, BodyFileSendsOnlyTheGivenSlice) {
  TempDir dir;
  testing::write_file(dir / "layer", "0123456789");
  CannedServer server({http_response(202, "Accepted")});
  HttpClient http;
  HttpResponse response = http.send(HttpRequest{.method = "PATCH",
                                                .url = server.url("/v2/x/blobs/uploads/u"),
                                                .body_file = dir / "layer",
                                                .body_offset = 3,
                                                .body_length = 4});
  EXPECT_EQ(response.status, 202);
  auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method, "PATCH");
  EXPECT_EQ(received[0].body, "3456");
  EXPECT_TRUE(has_header(received[0], "content-length: 4")) << received[0].head;
}

// A two-step chain like a monolithic blob upload: POST, then PUT to the Location it gave.
class UploadChain : public HttpJob {
 public:
  explicit UploadChain(std::string start_url) : start_url_(std::move(start_url)) {}
  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return HttpRequest{.method = "POST", .url = start_url_};
    statuses.push_back(previous->status);
    if (statuses.size() == 1 && previous->status == 202) {
      HttpRequest put{.method = "PUT",
                      .url = resolve_url(previous->url, previous->header("location")) +
                             "&digest=" + Digest::of_bytes("hello").str()};
      put.body = "hello";
      return put;
    }
    return std::nullopt;
  }
  std::vector<long> statuses;

 private:
  std::string start_url_;
};

TEST(HttpClientTest, RunDrivesAJobThroughItsRequests) {
  CannedServer server(
      {http_response(202, "Accepted", "", {"Location: /v2/x/blobs/uploads/uuid?_state=a"}),
       http_response(201, "Created")});
  HttpClient http;
  UploadChain job(server.url("/v2/x/blobs/uploads/"));
  http.run({&job});

  EXPECT_EQ(job.statuses, (std::vector<long>{202, 201}));
  auto received = server.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/v2/x/blobs/uploads/");
  EXPECT_TRUE(has_header(received[0], "content-length: 0")) << received[0].head;
  EXPECT_EQ(received[1].method, "PUT");
  EXPECT_EQ(received[1].target,
            "/v2/x/blobs/uploads/uuid?_state=a&digest=" + Digest::of_bytes("hello").str());
  EXPECT_EQ(received[1].body, "hello");
}

TEST(HttpClientTest, RequestsOneAfterTheOtherReuseOneConnection) {
  testing::LoopbackHttpServer server(
      [](const ReceivedRequest& r) {
        return http_response(r.method == "POST" ? 202 : 200, "X", "",
                             {"Location: /v2/x/blobs/uploads/u?_state=b"}, /*close=*/false);
      },
      /*keep_alive=*/true);
  {
    HttpClient http;  // closes its connections before the server goes
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(http.send(HttpRequest{.url = server.url("/v2/")}).status, 200);
    UploadChain job(server.url("/v2/x/blobs/uploads/"));  // a chain of two requests
    http.run({&job});
    EXPECT_EQ(job.statuses, (std::vector<long>{202, 200}));
    EXPECT_EQ(http.counters().requests, 5);
    EXPECT_EQ(http.counters().connections_opened, 1);
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.received().size(), 5u);
}

TEST(HttpClientTest, ConnectionsClosedByTheServerAreCountedAsOpenedAgain) {
  CannedServer server({http_response(200, "OK")});  // Connection: close
  HttpClient http;
  for (int i = 0; i < 3; ++i) http.send(HttpRequest{.url = server.url("/v2/")});
  EXPECT_EQ(http.counters().requests, 3);
  EXPECT_EQ(http.counters().connections_opened, 3);
}

TEST(HttpClientTest, ConnectionRefusedIsAStatusZeroTransportError) {
  // A port that was just free: bind, read the port, close.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  ::close(fd);

  HttpClient http;
  HttpResponse response = http.send(HttpRequest{
      .url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/v2/",
  });
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.transport_error.empty());
  EXPECT_FALSE(response.tls_untrusted);
}

// ---- Limits: what a hostile or broken server cannot make the client do ----------------------

// The one response `reply` streamed to `dir`/blob with at most `limit` bytes.
HttpResponse download(const std::string& reply, const TempDir& dir, int64_t limit) {
  CannedServer server({reply});
  HttpClient http;
  return http.send(HttpRequest{.url = server.url("/v2/x/blobs/b"),
                               .response_file = dir / "blob",
                               .response_file_limit = limit});
}

TEST(HttpClientTest, AStreamedBodyAnnouncedLargerThanItsLimitIsRefusedBeforeItIsWritten) {
  TempDir dir;
  HttpResponse response = download(http_response(200, "OK", std::string(4096, 'x')), dir, 369);
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.too_large);
  EXPECT_EQ(response.header("content-length"), "4096");
  EXPECT_NE(response.transport_error.find("369"), std::string::npos) << response.transport_error;
  EXPECT_FALSE(std::filesystem::exists(dir / "blob"));
}

TEST(HttpClientTest, AStreamedBodyWithoutLengthStopsAtItsLimit) {
  // No Content-Length: the body goes on until the server closes, here 1 MiB.
  TempDir dir;
  HttpResponse response = download(
      "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(1 << 20, 'x'), dir, 1000);
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.too_large);
  // When the first piece is over the limit already, nothing is written at all.
  if (std::filesystem::exists(dir / "blob")) {
    EXPECT_LE(std::filesystem::file_size(dir / "blob"), 1000u);
  }
}

TEST(HttpClientTest, ADownloadWithoutALimitIsAnInternalError) {
  TempDir dir;
  HttpClient http;
  EXPECT_THROW(http.send(HttpRequest{.url = "http://127.0.0.1:1/", .response_file = dir / "b"}),
               Error);
}

// Headers, two bytes of a promised thousand, then nothing (until the client hangs up).
std::string stalled_response(const ReceivedRequest&) {
  return "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nab";
}

TEST(HttpClientTest, TheDeadlineEndsAStalledRequestAndNoneStartsAfterIt) {
  testing::LoopbackHttpServer server(stalled_response, /*keep_alive=*/true);
  HttpClient http(HttpClientOptions{.timeout = 700ms});
  const auto start = std::chrono::steady_clock::now();
  HttpResponse response = http.send(HttpRequest{.url = server.url("/v2/x/manifests/v1")});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.deadline_passed);
  EXPECT_GE(elapsed, 600ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_NE(response.transport_error.find("no complete answer from " + server.host() +
                                          " within the deadline of 0.7 s"),
            std::string::npos)
      << response.transport_error;

  // After the deadline, a request fails at once without being sent.
  response = http.send(HttpRequest{.url = server.url("/v2/x/manifests/v2")});
  EXPECT_TRUE(response.deadline_passed);
  EXPECT_EQ(server.received().size(), 1u);
}

TEST(HttpClientTest, TheLowSpeedLimitEndsAStalledTransferWithoutADeadline) {
  testing::LoopbackHttpServer server(stalled_response, /*keep_alive=*/true);
  HttpClient http(HttpClientOptions{.low_speed_window = 1s});
  const auto start = std::chrono::steady_clock::now();
  HttpResponse response = http.send(HttpRequest{.url = server.url("/v2/x/manifests/v1")});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.deadline_passed);  // transient: it may be retried
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 4s);
}

TEST(HttpClientTest, OnlyHttpAndHttpsAreSpoken) {
  TempDir dir;
  testing::write_file(dir / "secret", "local file");
  HttpClient http;
  HttpResponse response = http.send(HttpRequest{.url = "file://" + (dir / "secret").string()});
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.request_invalid);
  EXPECT_EQ(response.body, "");
  response = http.send(HttpRequest{.url = "http://[::1"});
  EXPECT_TRUE(response.request_invalid);
}

TEST(ParseHttpUrlTest, AcceptsAbsoluteHttpAndHttpsUrlsOnly) {
  auto parsed = parse_http_url("https://auth.docker.io/token?x=1");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->scheme, "https");
  EXPECT_EQ(parsed->host, "auth.docker.io");
  EXPECT_EQ(parse_http_url("HTTP://127.0.0.1:5000/token")->scheme, "http");
  for (const char* bad : {"file:///etc/passwd", "ftp://h/x", "gopher://h", "http://[::1", "http://",
                          "/token", "token", "", "https://exa mple.com/"})
    EXPECT_FALSE(parse_http_url(bad)) << bad;
}

TEST(HttpClientTest, ARedirectToAnotherHostCarriesNoAuthorization) {
  // Blob storage behind a redirect (S3, GCS) must never see the registry's credentials.
  testing::LoopbackHttpServer storage(
      [](const ReceivedRequest&) { return http_response(200, "OK", "blob"); });
  const std::string elsewhere = "http://localhost:" + storage.host().substr(10) + "/bucket/blob";
  testing::LoopbackHttpServer registry([&](const ReceivedRequest&) {
    return http_response(307, "Temporary Redirect", "", {"Location: " + elsewhere});
  });
  TempDir dir;
  HttpClient http;
  HttpRequest request{.url = registry.url("/v2/x/blobs/sha256:abc"),
                      .response_file = dir / "blob",
                      .response_file_limit = 4,
                      .follow_redirects = true};
  request.headers.push_back("Authorization: Basic c2VjcmV0OnNlY3JldA==");
  HttpResponse response = http.send(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(testing::read_bytes(dir / "blob"), "blob");
  ASSERT_EQ(registry.received().size(), 1u);
  EXPECT_TRUE(
      has_header(registry.received()[0], lower("Authorization: Basic c2VjcmV0OnNlY3JldA==")));
  ASSERT_EQ(storage.received().size(), 1u);
  EXPECT_EQ(lower(storage.received()[0].head).find("authorization"), std::string::npos)
      << storage.received()[0].head;
}

}  // namespace
}  // namespace ko
