#include "registry/referrers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "json/json.hpp"
#include "loopback_http_server.hpp"
#include "oci/media_types.hpp"
#include "oci/platform.hpp"
#include "registry/reference.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

using testing::TempDir;

using testing::ReceivedRequest;

// A minimal registry for one repository, "repo": accepts blob uploads and manifest pushes,
// and answers the referrers API (listing every manifest pushed so far) only when
// `referrers_api` is set.
class FakeRegistry {
 public:
  struct Options {
    bool referrers_api = false;
    int manifest_put_status = 201;
  };

  explicit FakeRegistry(Options options)
      : options_(options),
        server_([this](const ReceivedRequest& request) { return route(request); }) {}

  std::string host() const { return server_.host(); }
  std::vector<ReceivedRequest> received() const { return server_.received(); }
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
    return testing::http_response(status, "X", body, headers);
  }

  std::string route(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
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
    if ((m == "HEAD" || m == "GET") && p.starts_with(manifests)) {
      const std::string identifier = p.substr(manifests.size());
      // A manifest PUT by tag is found by its digest too, as in a registry.
      for (auto put = manifest_puts_.rbegin(); put != manifest_puts_.rend(); ++put)
        if (put->first == identifier || Digest::of_bytes(put->second).str() == identifier)
          return response(200, m == "GET" ? put->second : "",
                          {"Docker-Content-Digest: " + Digest::of_bytes(put->second).str(),
                           "Content-Type: " + json::parse(put->second).get_string("mediaType")});
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
  int uploads_ = 0;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> manifest_puts_;
  std::map<std::string, std::string> blobs_;
  testing::LoopbackHttpServer server_;  // last: it stops before the members it uses go
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

// Attaches one artifact; throws its error.
AttachResult attach_one(RegistrySession& session, const Descriptor& subject,
                        const std::string& artifact_type, const std::string& content,
                        const std::string& tag_suffix) {
  std::vector<Attachment> one{Attachment{.client = &session,
                                         .subject = subject,
                                         .artifact_type = artifact_type,
                                         .content = content,
                                         .tag_suffix = tag_suffix}};
  attach_artifacts(one, 1);
  if (!one.front().error.empty()) throw Error(one.front().error);
  return one.front().result;
}

class ReferrersTest : public ::testing::Test {
 protected:
  // Attaches kSbom to subject_image() on `registry`, as `ko-image publish` does.
  AttachResult attach(FakeRegistry& registry) {
    RegistrySession client(http_, Reference::parse(registry.host() + "/repo"));
    client.authorize({push_scope("repo")});
    return attach_one(client, subject_image(), "application/spdx+json", kSbom, "sbom");
  }

  TempDir dir_;
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
  // The artifact, PUT once, by its tag (which stores it under its digest too).
  EXPECT_EQ(puts[0].first, tag);
  EXPECT_EQ(Digest::of_bytes(puts[0].second), result.manifest);
  // The spec's referrers tag schema: an index tagged sha256-<hex> lists the artifact.
  EXPECT_EQ(puts[1].first, "sha256-" + subject_image().digest.hex());
  json::Value index = json::parse(puts[1].second);
  EXPECT_EQ(index.get_string("mediaType"), media_type::kOciIndex);
  const json::Array& listed = index["manifests"].as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].get_string("digest"), result.manifest.str());
  EXPECT_EQ(listed[0].get_string("mediaType"), media_type::kOciManifest);
  EXPECT_EQ(listed[0].get_string("artifactType"), "application/spdx+json");
  EXPECT_EQ(listed[0].get("size")->as_int(), static_cast<int64_t>(puts[0].second.size()));
}

TEST_F(ReferrersTest, TheReferrersIndexKeepsWhatOthersListed) {
  FakeRegistry registry({.referrers_api = false});
  // Another client's referrer of the same image, listed before ours.
  RegistrySession client(http_, Reference::parse(registry.host() + "/repo"));
  client.authorize({push_scope("repo")});
  attach_one(client, subject_image(), "application/vnd.dev.sigstore.bundle+json", "sig", "sig");
  AttachResult ours = attach(registry);

  std::string index;
  for (const auto& [identifier, body] : registry.manifest_puts())
    if (identifier == "sha256-" + subject_image().digest.hex()) index = body;
  json::Value parsed = json::parse(index);
  const json::Array& listed = parsed["manifests"].as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].get_string("artifactType"), "application/vnd.dev.sigstore.bundle+json");
  EXPECT_EQ(listed[1].get_string("digest"), ours.manifest.str());
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

TEST_F(ReferrersTest, SeveralArtifactsAreAttachedTogether) {
  FakeRegistry registry({.referrers_api = false});
  RegistrySession client(http_, Reference::parse(registry.host() + "/repo"));
  client.authorize({push_scope("repo")});
  std::vector<Attachment> attachments;
  for (const std::string subject : {"image one", "image two", "image three"})
    attachments.push_back(
        Attachment{.client = &client,
                   .subject = Descriptor{.media_type = std::string(media_type::kOciManifest),
                                         .digest = Digest::of_bytes(subject),
                                         .size = 10},
                   .artifact_type = "application/spdx+json",
                   .content = "sbom of " + subject,
                   .tag_suffix = "sbom"});
  attach_artifacts(attachments, 4);

  std::map<std::string, std::string> puts;
  for (const auto& [identifier, body] : registry.manifest_puts()) puts[identifier] = body;
  for (const Attachment& a : attachments) {
    EXPECT_EQ(a.error, "");
    EXPECT_FALSE(a.result.already_present);
    EXPECT_EQ(Digest::of_bytes(puts[a.result.fallback_tag]), a.result.manifest);
    EXPECT_EQ(registry.blobs()[Digest::of_bytes(a.content).str()], a.content);
  }
}

TEST_F(ReferrersTest, RejectedManifestThrows) {
  FakeRegistry registry({.referrers_api = false, .manifest_put_status = 400});
  try {
    attach(registry);
    ADD_FAILURE() << "attaching did not throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("MANIFEST_INVALID"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(registry.manifest_puts().empty());
}

}  // namespace
}  // namespace ko
