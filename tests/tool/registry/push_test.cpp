#include "registry/push.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "json/json.hpp"
#include "loopback_http_server.hpp"
#include "oci/media_types.hpp"
#include "registry/reference.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::ReceivedRequest;
using testing::TempDir;

// A registry of any number of repositories, as the distribution spec describes it: blob
// HEAD, uploads (POST, then one PUT; cross-repository mounts), manifest HEAD and PUT. A
// manifest whose blobs or child manifests the repository lacks is refused, so pushing in
// the wrong order fails. Uploads to repositories named "denied/…" are refused; in
// "flaky/…" the first PUT of each blob fails with a 503.
class FakeRegistry {
 public:
  FakeRegistry() : server_([this](const ReceivedRequest& request) { return route(request); }) {}

  std::string host() const { return server_.host(); }
  std::vector<ReceivedRequest> received() const { return server_.received(); }
  bool has_blob(const std::string& repository, const Digest& digest) const {
    std::lock_guard lock(mutex_);
    auto it = blobs_.find(repository);
    return it != blobs_.end() && it->second.contains(digest.str());
  }
  // The digest a repository's tag or digest points at, or "".
  std::string manifest(const std::string& repository, const std::string& identifier) const {
    std::lock_guard lock(mutex_);
    auto it = manifests_.find(repository);
    if (it == manifests_.end()) return "";
    auto found = it->second.find(identifier);
    return found == it->second.end() ? "" : Digest::of_bytes(found->second).str();
  }

 private:
  static std::string response(int status, const std::vector<std::string>& headers = {},
                              const std::string& body = "") {
    return testing::http_response(status, "X", body, headers);
  }
  static std::string error(int status, const std::string& code) {
    return response(status, {}, R"({"errors":[{"code":")" + code + R"(","message":"no"}]})");
  }

  std::string route(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
    const std::string& m = request.method;
    const std::string& p = request.path;
    if (m == "GET" && p == "/v2/") return response(200, {}, "{}");
    for (const std::string kind : {"/blobs/uploads/", "/blobs/", "/manifests/"}) {
      size_t at = p.find(kind);
      if (at == std::string::npos || !p.starts_with("/v2/")) continue;
      const std::string repository = p.substr(4, at - 4);
      const std::string rest = p.substr(at + kind.size());
      if (kind == "/blobs/uploads/") return upload(request, repository, rest);
      if (kind == "/blobs/") return response(blobs_[repository].contains(rest) ? 200 : 404);
      return manifest(request, repository, rest);
    }
    return response(405);
  }

  std::string upload(const ReceivedRequest& request, const std::string& repository,
                     const std::string& session) {
    if (repository.starts_with("denied/")) return error(403, "DENIED");
    if (request.method == "POST") {
      // ?mount=<digest>&from=<repository>
      const std::string& q = request.query;
      size_t amp = q.find("&from=");
      if (q.starts_with("mount=") && amp != std::string::npos) {
        const std::string digest = q.substr(6, amp - 6);
        if (blobs_[q.substr(amp + 6)].contains(digest)) {
          blobs_[repository].insert(digest);
          return response(201);
        }
      }
      return response(202, {"Location: /v2/" + repository + "/blobs/uploads/s" +
                            std::to_string(sessions_++) + "?_state=x"});
    }
    if (request.method == "PUT" && !session.empty()) {
      const std::string digest = request.query.substr(request.query.find("digest=") + 7);
      if (repository.starts_with("flaky/") && failed_once_.insert(digest).second)
        return response(503, {"Retry-After: 0"});
      if (Digest::of_bytes(request.body).str() != digest) return error(400, "DIGEST_INVALID");
      blobs_[repository].insert(digest);
      return response(201);
    }
    return response(405);
  }

  std::string manifest(const ReceivedRequest& request, const std::string& repository,
                       const std::string& identifier) {
    auto& stored = manifests_[repository];
    if (request.method == "HEAD") {
      auto it = stored.find(identifier);
      if (it == stored.end()) return error(404, "MANIFEST_UNKNOWN");
      return response(200, {"Docker-Content-Digest: " + Digest::of_bytes(it->second).str()});
    }
    if (request.method != "PUT") return response(405);
    json::Value doc = json::parse(request.body, "manifest");
    std::vector<std::string> needed_blobs, needed_manifests;
    if (const json::Value* children = doc.get("manifests")) {
      for (const json::Value& child : children->as_array()) {
        needed_manifests.push_back(child.get_string("digest"));
      }
    } else {
      needed_blobs.push_back(doc["config"].get_string("digest"));
      for (const json::Value& layer : doc["layers"].as_array())
        needed_blobs.push_back(layer.get_string("digest"));
    }
    for (const std::string& digest : needed_blobs)
      if (!blobs_[repository].contains(digest)) return error(400, "BLOB_UNKNOWN");
    for (const std::string& digest : needed_manifests)
      if (!stored.contains(digest)) return error(400, "MANIFEST_BLOB_UNKNOWN");
    stored[identifier] = request.body;
    stored[Digest::of_bytes(request.body).str()] = request.body;  // a tag's manifest by digest too
    return response(201);
  }

  mutable std::mutex mutex_;
  int sessions_ = 0;
  std::set<std::string> failed_once_;
  std::map<std::string, std::set<std::string>> blobs_;                   // repo → digests
  std::map<std::string, std::map<std::string, std::string>> manifests_;  // repo → id → body
  testing::LoopbackHttpServer server_;  // last: it stops before the members it uses go
};

// Tiny images in a blob store, built in code.
class Images {
 public:
  explicit Images(const std::filesystem::path& dir) : store_(dir) {}
  const BlobStore& store() const { return store_; }

  Descriptor blob(std::string_view media_type, const std::string& bytes) {
    return Descriptor{.media_type = std::string(media_type),
                      .digest = store_.put(bytes),
                      .size = static_cast<int64_t>(bytes.size())};
  }
  // A manifest with a config and the layers `base` + one of its own.
  Descriptor image(const std::string& name, const Descriptor& base, const std::string& arch) {
    json::Value config;
    config["architecture"] = arch;
    config["os"] = "linux";
    config["name"] = name;
    Descriptor layer = blob(media_type::kOciLayerGzip, "layer of " + name + " " + arch);
    json::Value manifest;
    manifest["schemaVersion"] = 2;
    manifest["mediaType"] = std::string(media_type::kOciManifest);
    manifest["config"] = blob(media_type::kOciConfig, json::dump(config)).to_json();
    manifest["layers"] = json::Array{base.to_json(), layer.to_json()};
    return blob(media_type::kOciManifest, json::dump(manifest));
  }
  // An index of one manifest per architecture.
  Descriptor index(const std::string& name, const Descriptor& base) {
    json::Array children;
    for (const std::string arch : {"amd64", "arm64"}) {
      Descriptor child = image(name, base, arch);
      child.platform = json::parse(R"({"architecture":")" + arch + R"(","os":"linux"})", "p");
      children.push_back(child.to_json());
    }
    json::Value index;
    index["schemaVersion"] = 2;
    index["mediaType"] = std::string(media_type::kOciIndex);
    index["manifests"] = std::move(children);
    return blob(media_type::kOciIndex, json::dump(index));
  }

 private:
  BlobStore store_;
};

int count(const std::vector<ReceivedRequest>& requests, const std::string& method,
          const std::string& path_part = "") {
  return static_cast<int>(std::count_if(requests.begin(), requests.end(), [&](const auto& r) {
    return r.method == method && r.target.find(path_part) != std::string::npos;
  }));
}

class PushTest : public ::testing::Test {
 protected:
  // One client per image, as `ko-image publish` makes them, all over http_.
  ImagePush push_of(const std::string& repository, const Descriptor& top,
                    std::vector<std::string> tags = {"latest"}) {
    clients_.push_back(std::make_unique<RegistrySession>(
        http_, Reference::parse(registry_.host() + "/" + repository)));
    return ImagePush{.client = clients_.back().get(),
                     .store = &images_.store(),
                     .top = top,
                     .options = PushOptions{.tags = std::move(tags)}};
  }

  TempDir dir_;
  FakeRegistry registry_;
  Images images_{dir_ / "blobs"};
  HttpClient http_;
  std::vector<std::unique_ptr<RegistrySession>> clients_;
};

TEST_F(PushTest, PushesSeveralImagesAndIndexesTogether) {
  Descriptor base = images_.blob(media_type::kOciLayerGzip, "the shared base layer");
  std::vector<ImagePush> pushes{push_of("team/a", images_.index("a", base)),
                                push_of("team/b", images_.image("b", base, "amd64"), {"v1", "v2"}),
                                push_of("team/c", images_.index("c", base))};
  push_images(pushes, 4);

  for (const ImagePush& push : pushes) {
    const std::string repository = push.client->reference().repository;
    EXPECT_EQ(push.error, "") << repository;
    EXPECT_FALSE(push.report.already_present);
    EXPECT_EQ(registry_.manifest(repository, push.top.digest.str()), push.top.digest.str());
    for (const std::string& tag : push.options.tags)
      EXPECT_EQ(registry_.manifest(repository, tag), push.top.digest.str()) << repository << tag;
    EXPECT_TRUE(registry_.has_blob(repository, base.digest)) << repository;
  }
  EXPECT_EQ(pushes[0].report.manifests_pushed, 3);  // two children and the index
  EXPECT_EQ(pushes[1].report.manifests_pushed, 1);
  EXPECT_EQ(pushes[0].report.blobs_uploaded, 5);  // base, 2 configs, 2 layers
  EXPECT_EQ(pushes[0].report.blobs_mounted, 0);
  // The shared base layer goes up once, to the first repository, and is mounted from there.
  for (size_t i : {1, 2}) EXPECT_EQ(pushes[i].report.blobs_mounted, 1) << i;
  EXPECT_EQ(pushes[1].report.blobs_uploaded, 2);
  auto received = registry_.received();
  EXPECT_EQ(count(received, "PUT", "digest=" + base.digest.str()), 1);
  EXPECT_EQ(count(received, "POST", "mount=" + base.digest.str() + "&from=team/a"), 2);
  // One ping for the registry, not one per image.
  EXPECT_EQ(count(received, "GET", "/v2/"), 1);
}

TEST_F(PushTest, UnchangedImagesSendOnlyHeadRequests) {
  Descriptor base = images_.blob(media_type::kOciLayerGzip, "base");
  Descriptor a = images_.index("a", base), b = images_.image("b", base, "arm64");
  std::vector<ImagePush> first{push_of("a", a), push_of("b", b, {"v1"})};
  push_images(first, 4);
  const size_t before = registry_.received().size();

  std::vector<ImagePush> again{push_of("a", a), push_of("b", b, {"v1"})};
  push_images(again, 4);
  for (const ImagePush& push : again) {
    EXPECT_EQ(push.error, "");
    EXPECT_TRUE(push.report.already_present);
  }
  auto received = registry_.received();
  for (size_t i = before; i < received.size(); ++i)
    EXPECT_TRUE(received[i].method == "HEAD" || received[i].method == "GET")
        << received[i].method << " " << received[i].target;
}

TEST_F(PushTest, AMissingTagAloneIsPushed) {
  Descriptor top = images_.image("a", images_.blob(media_type::kOciLayerGzip, "base"), "amd64");
  std::vector<ImagePush> first{push_of("a", top, {"v1"})};
  push_images(first, 4);
  const size_t before = registry_.received().size();

  std::vector<ImagePush> more{push_of("a", top, {"v1", "v2"})};
  push_images(more, 4);
  EXPECT_EQ(more[0].error, "");
  EXPECT_FALSE(more[0].report.already_present);
  EXPECT_EQ(more[0].report.manifests_pushed, 0);
  EXPECT_EQ(registry_.manifest("a", "v2"), top.digest.str());
  auto received = registry_.received();
  std::vector<ReceivedRequest> after(received.begin() + static_cast<long>(before), received.end());
  EXPECT_EQ(count(after, "PUT"), 1);
  EXPECT_EQ(count(after, "PUT", "/manifests/v2"), 1);
}

TEST_F(PushTest, EachManifestIsPutOnce) {
  Descriptor base = images_.blob(media_type::kOciLayerGzip, "base");
  Descriptor index = images_.index("i", base), image = images_.image("s", base, "amd64");
  std::vector<ImagePush> pushes{push_of("tagged", image, {"v1", "v2"}),
                                push_of("untagged", image, {}), push_of("index", index, {"v1"})};
  push_images(pushes, 4);
  auto received = registry_.received();
  // The tagged image: once per tag, none by digest; without tags: once, by digest.
  EXPECT_EQ(count(received, "PUT", "/v2/tagged/manifests/"), 2);
  EXPECT_EQ(count(received, "PUT", "/v2/tagged/manifests/sha256:"), 0);
  EXPECT_EQ(count(received, "PUT", "/v2/untagged/manifests/" + image.digest.str()), 1);
  EXPECT_EQ(count(received, "PUT", "/v2/untagged/manifests/"), 1);
  // An index: its two children by digest, itself by its tag.
  EXPECT_EQ(count(received, "PUT", "/v2/index/manifests/sha256:"), 2);
  EXPECT_EQ(count(received, "PUT", "/v2/index/manifests/v1"), 1);
  for (const ImagePush& push : pushes) {
    EXPECT_EQ(push.error, "");
    EXPECT_EQ(registry_.manifest(push.client->reference().repository, push.top.digest.str()),
              push.top.digest.str());
  }
  EXPECT_EQ(pushes[0].report.manifests_pushed, 1);
  EXPECT_EQ(pushes[1].report.manifests_pushed, 1);
  EXPECT_EQ(pushes[2].report.manifests_pushed, 3);
}

TEST_F(PushTest, ABlobTwoImagesNeedInOneRepositoryGoesUpOnce) {
  Descriptor base = images_.blob(media_type::kOciLayerGzip, "base");
  std::vector<ImagePush> pushes{push_of("same", images_.image("x", base, "amd64"), {"x"}),
                                push_of("same", images_.image("y", base, "amd64"), {"y"})};
  push_images(pushes, 4);
  EXPECT_EQ(pushes[0].error, "");
  EXPECT_EQ(pushes[1].error, "");
  EXPECT_EQ(count(registry_.received(), "PUT", "digest=" + base.digest.str()), 1);
  EXPECT_EQ(pushes[0].report.blobs_uploaded + pushes[1].report.blobs_uploaded, 5);
  EXPECT_EQ(registry_.manifest("same", "x"), pushes[0].top.digest.str());
  EXPECT_EQ(registry_.manifest("same", "y"), pushes[1].top.digest.str());
}

TEST_F(PushTest, AFailingImageDoesNotStopTheOthers) {
  Descriptor base = images_.blob(media_type::kOciLayerGzip, "base");
  std::vector<ImagePush> pushes{push_of("denied/a", images_.image("a", base, "amd64")),
                                push_of("fine/b", images_.index("b", base))};
  push_images(pushes, 4);
  EXPECT_NE(pushes[0].error.find("pushing to " + registry_.host() + "/denied/a"), std::string::npos)
      << pushes[0].error;
  EXPECT_NE(pushes[0].error.find("DENIED"), std::string::npos) << pushes[0].error;
  EXPECT_EQ(pushes[1].error, "");
  EXPECT_EQ(registry_.manifest("fine/b", "latest"), pushes[1].top.digest.str());
  EXPECT_EQ(registry_.manifest("denied/a", "latest"), "");
  // The blob the failed image was the first to need is uploaded for the other one instead.
  EXPECT_TRUE(registry_.has_blob("fine/b", base.digest));
}

TEST_F(PushTest, AnUploadThatFailsTransientlyStartsOverWithANewSession) {
  Descriptor top = images_.image("a", images_.blob(media_type::kOciLayerGzip, "base"), "amd64");
  std::vector<ImagePush> pushes{push_of("flaky/a", top)};
  push_images(pushes, 1);
  EXPECT_EQ(pushes[0].error, "");
  EXPECT_EQ(pushes[0].report.blobs_uploaded, 3);
  EXPECT_EQ(registry_.manifest("flaky/a", "latest"), top.digest.str());
  auto received = registry_.received();
  // Each blob: HEAD, POST, PUT (503), then again HEAD, POST (a new session), PUT.
  EXPECT_EQ(count(received, "POST", "/v2/flaky/a/blobs/uploads/"), 6);
  EXPECT_EQ(count(received, "PUT", "digest="), 6);
}

}  // namespace
}  // namespace ko
