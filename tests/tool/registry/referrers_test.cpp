#include "registry/referrers.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "json/json.hpp"
#include "oci/media_types.hpp"
#include "oci/platform.hpp"
#include "registry/reference.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::ScopedEnv;
using testing::TempDir;

struct ReceivedRequest {
  std::string method;
  std::string path;   // without the query
  std::string query;  // after '?', or empty
  std::string body;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A minimal registry on 127.0.0.1 (port chosen by the kernel) for one repository, "repo",
// one connection at a time: accepts blob uploads and manifest pushes, and answers the
// referrers API (listing every manifest pushed so far) only when `referrers_api` is set.
// HTTPS attempts are dropped at once, so the client falls back to HTTP without waiting.
// The destructor stops the accept loop and joins the thread, so a failed assertion
// never leaves it running.
class FakeRegistry {
 public:
  struct Options {
    bool referrers_api = false;
    int manifest_put_status = 201;
  };

  explicit FakeRegistry(Options options) : options_(options) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(listener_);
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeRegistry() {
    ::shutdown(listener_, SHUT_RDWR);  // makes the blocking accept() return
    thread_.join();
    ::close(listener_);
  }
  FakeRegistry(const FakeRegistry&) = delete;
  FakeRegistry& operator=(const FakeRegistry&) = delete;

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // Manifest bodies by the identifier (digest or tag) they were pushed under, in order.
  std::vector<std::pair<std::string, std::string>> manifest_puts() const {
    std::lock_guard lock(mutex_);
    return manifest_puts_;
  }
  std::map<std::string, std::string> blobs() const {
    std::lock_guard lock(mutex_);
    return blobs_;
  }

 private:
  static std::string response(int status, const std::string& body = "",
                              const std::vector<std::string>& headers = {}) {
    std::string text = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
    for (const std::string& header : headers) text += header + "\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    return text + body;
  }

  void serve() {
    for (;;) {
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // shut down
      }
      answer(fd);
      ::close(fd);
    }
  }

  void answer(int fd) {
    timeval timeout{.tv_sec = 5, .tv_usec = 0};  // a stuck client cannot hang the server
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    std::string data;
    char buffer[16384];
    size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      data.append(buffer, static_cast<size_t>(n));
      if (data[0] == '\x16') return;  // a TLS ClientHello: not spoken here
    }
    const std::string head = data.substr(0, head_end + 2);
    ReceivedRequest request;
    request.method = head.substr(0, head.find(' '));
    size_t target_start = request.method.size() + 1;
    std::string target = head.substr(target_start, head.find(' ', target_start) - target_start);
    size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = target.substr(question + 1);
    size_t content_length = 0;
    const std::string lower_head = lower(head);
    if (size_t at = lower_head.find("\r\ncontent-length:"); at != std::string::npos)
      content_length = std::stoul(lower_head.substr(at + 17));
    request.body = data.substr(head_end + 4);
    while (request.body.size() < content_length) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request.body.append(buffer, static_cast<size_t>(n));
    }
    const std::string reply = route(request);
    for (size_t sent = 0; sent < reply.size();) {
      // MSG_NOSIGNAL: a client that hangs up early must not SIGPIPE the test process.
      ssize_t n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
  }

  std::string route(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
    received_.push_back(request);
    const std::string& m = request.method;
    const std::string& p = request.path;
    const std::string manifests = "/v2/repo/manifests/";
    const std::string uploads = "/v2/repo/blobs/uploads/";
    if (m == "GET" && p == "/v2/") return response(200, "{}");
    if (m == "HEAD" && p.starts_with("/v2/repo/blobs/")) return response(404);
    if (m == "POST" && p == uploads)
      return response(202, "", {"Location: " + uploads + "u" + std::to_string(uploads_++)});
    if (m == "PUT" && p.starts_with(uploads) && request.query.starts_with("digest=")) {
      blobs_[request.query.substr(7)] = request.body;
      return response(201);
    }
    if (m == "PUT" && p.starts_with(manifests)) {
      if (options_.manifest_put_status >= 300)
        return response(options_.manifest_put_status,
                        R"({"errors":[{"code":"MANIFEST_INVALID","message":"no"}]})");
      manifest_puts_.emplace_back(p.substr(manifests.size()), request.body);
      return response(options_.manifest_put_status);
    }
    if (m == "HEAD" && p.starts_with(manifests)) {
      const std::string identifier = p.substr(manifests.size());
      for (const auto& [pushed_as, body] : manifest_puts_)
        if (pushed_as == identifier)
          return response(200, "",
                          {"Docker-Content-Digest: " + Digest::of_bytes(body).str(),
                           "Content-Type: " + std::string(media_type::kOciManifest)});
      return response(404);
    }
    if (m == "GET" && p.starts_with("/v2/repo/referrers/")) {
      if (!options_.referrers_api) return response(404);
      json::Array listed;
      for (const auto& [pushed_as, body] : manifest_puts_) {
        if (!pushed_as.starts_with("sha256:")) continue;
        listed.push_back(Descriptor{.media_type = std::string(media_type::kOciManifest),
                                    .digest = Digest::parse(pushed_as),
                                    .size = static_cast<int64_t>(body.size())}
                             .to_json());
      }
      json::Value index;
      index["schemaVersion"] = 2;
      index["mediaType"] = std::string(media_type::kOciIndex);
      index["manifests"] = std::move(listed);
      return response(200, json::dump(index),
                      {"Content-Type: " + std::string(media_type::kOciIndex)});
    }
    return response(405);
  }

  Options options_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  int uploads_ = 0;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> received_;
  std::vector<std::pair<std::string, std::string>> manifest_puts_;
  std::map<std::string, std::string> blobs_;
};

const std::string kSbom = R"({"spdxVersion":"SPDX-2.3"})";

// The image the SBOM is about; the annotation and platform must not reach `subject`.
Descriptor subject_image() {
  Descriptor d{.media_type = std::string(media_type::kOciManifest),
               .digest = Digest::of_bytes("the image manifest"),
               .size = 1234};
  d.platform = Platform::parse("linux/arm64").to_json();
  d.annotations["org.opencontainers.image.ref.name"] = "latest";
  return d;
}

class ReferrersTest : public ::testing::Test {
 protected:
  // Attaches kSbom to subject_image() on `registry`, as `ko-image publish` does.
  AttachResult attach(FakeRegistry& registry) {
    RegistryClient client(http_, Reference::parse(registry.host() + "/repo"));
    client.authorize({push_scope("repo")});
    return attach_artifact(client, subject_image(), "application/spdx+json", kSbom, "sbom");
  }

  TempDir dir_;
  // No credentials from this machine: the fake registry asks for none.
  ScopedEnv docker_config_{"DOCKER_CONFIG", (dir_ / "docker").string()};
  ScopedEnv home_{"HOME", (dir_ / "home").string()};
  ScopedEnv registry_auth_file_{"REGISTRY_AUTH_FILE", std::nullopt};
  ScopedEnv xdg_runtime_dir_{"XDG_RUNTIME_DIR", (dir_ / "xdg").string()};
  ScopedEnv insecure_{"KO_INSECURE_REGISTRIES", std::nullopt};
  HttpClient http_;
};

TEST_F(ReferrersTest, ArtifactManifestDescribesTheContentAndItsSubject) {
  FakeRegistry registry({.referrers_api = true});
  AttachResult result = attach(registry);

  auto puts = registry.manifest_puts();
  ASSERT_FALSE(puts.empty());
  const std::string& bytes = puts[0].second;
  EXPECT_EQ(puts[0].first, result.manifest.str());
  EXPECT_EQ(Digest::of_bytes(bytes), result.manifest);

  json::Value manifest = json::parse(bytes, "artifact manifest");
  EXPECT_EQ(manifest["schemaVersion"].as_int(), 2);
  EXPECT_EQ(manifest.get_string("mediaType"), media_type::kOciManifest);
  EXPECT_EQ(manifest.get_string("artifactType"), "application/spdx+json");

  json::Value config = manifest["config"];
  EXPECT_EQ(config.get_string("mediaType"), "application/vnd.oci.empty.v1+json");
  EXPECT_EQ(config.get_string("digest"), Digest::of_bytes("{}").str());
  EXPECT_EQ(config["size"].as_int(), 2);

  const json::Array& layers = manifest["layers"].as_array();
  ASSERT_EQ(layers.size(), 1u);
  json::Value layer = layers[0];
  EXPECT_EQ(layer.get_string("mediaType"), "application/spdx+json");
  EXPECT_EQ(layer.get_string("digest"), Digest::of_bytes(kSbom).str());
  EXPECT_EQ(layer["size"].as_int(), static_cast<int64_t>(kSbom.size()));

  const Descriptor subject = subject_image();
  json::Object expected_subject{{"mediaType", json::Value(subject.media_type)},
                                {"digest", json::Value(subject.digest.str())},
                                {"size", json::Value(subject.size)}};
  EXPECT_EQ(json::dump(manifest["subject"]), json::dump(json::Value(expected_subject)));
}

TEST_F(ReferrersTest, UploadsTheEmptyConfigAndTheContentAsBlobs) {
  FakeRegistry registry({.referrers_api = true});
  attach(registry);
  auto blobs = registry.blobs();
  EXPECT_EQ(blobs[Digest::of_bytes("{}").str()], "{}");
  EXPECT_EQ(blobs[Digest::of_bytes(kSbom).str()], kSbom);
  EXPECT_EQ(blobs.size(), 2u);
}

TEST_F(ReferrersTest, WithoutReferrersApiTagsTheArtifact) {
  FakeRegistry registry({.referrers_api = false});
  AttachResult result = attach(registry);

  const std::string tag = "sha256-" + subject_image().digest.hex() + ".sbom";
  EXPECT_FALSE(result.via_referrers_api);
  EXPECT_FALSE(result.already_present);
  EXPECT_EQ(result.fallback_tag, tag);
  auto puts = registry.manifest_puts();
  ASSERT_EQ(puts.size(), 2u);
  EXPECT_EQ(puts[0].first, result.manifest.str());
  EXPECT_EQ(puts[1].first, tag);
  EXPECT_EQ(puts[1].second, puts[0].second);
}

TEST_F(ReferrersTest, WithReferrersApiDoesNotTag) {
  FakeRegistry registry({.referrers_api = true});
  AttachResult result = attach(registry);

  EXPECT_TRUE(result.via_referrers_api);
  EXPECT_FALSE(result.already_present);
  auto puts = registry.manifest_puts();
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].first, result.manifest.str());
  for (const ReceivedRequest& r : registry.received())
    EXPECT_FALSE(r.method == "PUT" && r.path.ends_with(".sbom")) << r.path;
}

TEST_F(ReferrersTest, AttachingAgainSendsNothing) {
  for (bool referrers_api : {false, true}) {
    SCOPED_TRACE(referrers_api ? "referrers API" : "fallback tag");
    FakeRegistry registry({.referrers_api = referrers_api});
    AttachResult first = attach(registry);
    const size_t puts_before = registry.manifest_puts().size();
    AttachResult second = attach(registry);

    EXPECT_FALSE(first.already_present);
    EXPECT_TRUE(second.already_present);
    EXPECT_EQ(second.manifest, first.manifest);
    EXPECT_EQ(second.via_referrers_api, referrers_api);
    EXPECT_EQ(registry.manifest_puts().size(), puts_before);
  }
}

TEST_F(ReferrersTest, RejectedManifestThrows) {
  FakeRegistry registry({.referrers_api = false, .manifest_put_status = 400});
  try {
    attach(registry);
    ADD_FAILURE() << "attach_artifact did not throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("MANIFEST_INVALID"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(registry.manifest_puts().empty());
}

}  // namespace
}  // namespace ko
