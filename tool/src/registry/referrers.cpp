#include "registry/referrers.hpp"

#include "json/json.hpp"
#include "oci/media_types.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kEmptyType = "application/vnd.oci.empty.v1+json";

void put_blob(RegistryClient& client, const std::string& bytes) {
  const std::string repository = client.reference().repository;
  Digest digest = Digest::of_bytes(bytes);
  HttpResponse head = client.send(
      HttpRequest{.method = "HEAD", .url = client.url(repository + "/blobs/" + digest.str())});
  if (head.status == 200) return;
  HttpResponse start =
      client.send(HttpRequest{.method = "POST", .url = client.url(repository + "/blobs/uploads/")});
  if (start.status != 202) throw Error("starting an upload: " + describe_error(start));
  std::string location = resolve_url(start.url, start.header("location"));
  HttpRequest put{.method = "PUT",
                  .url = location + (location.find('?') == std::string::npos ? "?" : "&") +
                         "digest=" + digest.str()};
  put.headers.push_back("Content-Type: application/octet-stream");
  put.body = bytes;
  HttpResponse done = client.send(put);
  if (done.status != 201)
    throw Error("uploading blob " + digest.str() + ": " + describe_error(done));
}

void put_manifest(RegistryClient& client, const std::string& bytes, const std::string& identifier) {
  HttpRequest put{.method = "PUT",
                  .url = client.url(client.reference().repository + "/manifests/" + identifier)};
  put.headers.push_back("Content-Type: " + std::string(media_type::kOciManifest));
  put.body = bytes;
  HttpResponse response = client.send(put);
  if (!response.ok())
    throw Error("the registry rejected the artifact manifest: " + describe_error(response));
}

}  // namespace

AttachResult attach_artifact(RegistryClient& client, const Descriptor& subject,
                             const std::string& artifact_type, const std::string& content,
                             const std::string& tag_suffix) {
  const std::string empty = "{}";
  json::Value manifest;
  manifest["schemaVersion"] = 2;
  manifest["mediaType"] = std::string(media_type::kOciManifest);
  manifest["artifactType"] = artifact_type;
  manifest["config"] =
      Descriptor{
          .media_type = std::string(kEmptyType), .digest = Digest::of_bytes(empty), .size = 2}
          .to_json();
  manifest["layers"] = json::Array{Descriptor{.media_type = artifact_type,
                                              .digest = Digest::of_bytes(content),
                                              .size = static_cast<int64_t>(content.size())}
                                       .to_json()};
  manifest["subject"] =
      Descriptor{.media_type = subject.media_type, .digest = subject.digest, .size = subject.size}
          .to_json();
  const std::string bytes = json::dump(manifest);
  AttachResult result{.manifest = Digest::of_bytes(bytes)};
  result.fallback_tag = "sha256-" + subject.digest.hex() + "." + tag_suffix;
  auto listed_by_referrers = [&] {
    HttpResponse listed = client.send(HttpRequest{
        .url = client.url(client.reference().repository + "/referrers/" + subject.digest.str())});
    return listed.ok() && listed.body.find(result.manifest.str()) != std::string::npos;
  };
  auto tagged = [&] {
    HttpRequest head{
        .method = "HEAD",
        .url = client.url(client.reference().repository + "/manifests/" + result.fallback_tag)};
    head.headers.push_back("Accept: " + std::string(media_type::kOciManifest));
    HttpResponse response = client.send(head);
    return response.ok() && response.header("docker-content-digest") == result.manifest.str();
  };
  // Already attached (an unchanged image published again): only look, send nothing.
  if ((result.via_referrers_api = listed_by_referrers()) || tagged()) {
    result.already_present = true;
    return result;
  }

  put_blob(client, empty);
  put_blob(client, content);
  put_manifest(client, bytes, result.manifest.str());
  // A registry with the referrers API lists the artifact now; otherwise tag it.
  if ((result.via_referrers_api = listed_by_referrers())) return result;
  put_manifest(client, bytes, result.fallback_tag);
  return result;
}

}  // namespace ko
