#include "registry/pull.hpp"

#include "json/json.hpp"
#include "oci/media_types.hpp"
#include "registry/registry_error.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace fs = std::filesystem;

std::string manifest_accept_header() {
  return "Accept: " + std::string(media_type::kOciIndex) + ", " +
         std::string(media_type::kOciManifest) + ", " +
         std::string(media_type::kDockerManifestList) + ", " +
         std::string(media_type::kDockerManifest);
}

BlobStore open_shared_cache(const RegistryOptions& options) {
  BlobStore cache(cache_dir(options));
  remove_stale_temp_files(cache.directory());
  return cache;
}

void Puller::authorize() {
  if (authorized_) return;
  client_.authorize({pull_scope(client_.reference().repository)});
  authorized_ = true;
}

Descriptor Puller::fetch_manifest(const std::string& tag_or_digest) {
  authorize();
  const std::string what = client_.reference().name() + ":" + tag_or_digest;
  HttpRequest request{
      .url = client_.url(client_.reference().repository + "/manifests/" + tag_or_digest),
      .max_response_bytes = 4 << 20};
  request.headers.push_back(manifest_accept_header());
  HttpResponse response = client_.send(request);
  if (response.status == 404)
    throw Error("image " + what + " not found (" + describe_error(response) + ")");
  if (!response.ok())
    throw RegistryError(client_.reference().registry, response, "fetching " + what);

  std::string content_type = response.header("content-type");
  content_type = content_type.substr(0, content_type.find(';'));
  json::Value manifest = json::parse(response.body, what);
  std::string declared = manifest.get_string("mediaType");
  if (!declared.empty() && declared != content_type)
    throw Error(what + ": the registry sent Content-Type " + content_type + " for a " + declared +
                " document");
  if (content_type.empty() || content_type == "application/json") content_type = declared;
  if (!media_type::is_manifest(content_type) && !media_type::is_index(content_type))
    throw Error(what + ": unsupported manifest type '" + content_type + "'");

  Digest digest = Digest::of_bytes(response.body);
  if (Digest::is_valid(tag_or_digest) && Digest::parse(tag_or_digest) != digest)
    throw Error(what + ": the registry sent a manifest with digest " + digest.str() +
                " instead of " + tag_or_digest);
  cache_.put(response.body);
  return Descriptor{.media_type = content_type,
                    .digest = digest,
                    .size = static_cast<int64_t>(response.body.size())};
}

void Puller::ensure(const Descriptor& descriptor) {
  if (cache_.has(descriptor.digest)) return;
  if (media_type::is_manifest(descriptor.media_type) ||
      media_type::is_index(descriptor.media_type)) {
    fetch_manifest(descriptor.digest.str());
  } else {
    fetch_blob(descriptor);
  }
}

void Puller::fetch_blob(const Descriptor& blob) {
  if (cache_.has(blob.digest)) return;
  authorize();
  fs::path target = cache_.path_of(blob.digest);
  TempFile temp(target);
  HttpRequest request{
      .url = client_.url(client_.reference().repository + "/blobs/" + blob.digest.str()),
      .response_file = temp.path(),
      .response_file_limit = blob.size,  // an endless body must not fill the disk
      .follow_redirects = true};
  HttpResponse response = client_.send(request);
  if (response.too_large) {
    const std::string length = response.header("content-length");
    throw Error("blob " + blob.digest.str() + " from registry " + client_.reference().registry +
                " (" + client_.reference().name() + ") is larger than its descriptor says: " +
                (length.empty() ? "more than " + std::to_string(blob.size) : length) +
                " bytes instead of " + std::to_string(blob.size) +
                "; the registry serves the wrong content for it");
  }
  if (!response.ok())
    throw RegistryError(client_.reference().registry, response,
                        "fetching blob " + blob.digest.str() + " of " + client_.reference().name());
  if (response.response_bytes == 0) {  // nothing arrived, so nothing was written or hashed
    write_file_atomic(temp.path(), "");
    response.response_sha256_hex = Digest::of_bytes("").hex();
  }
  if (response.response_sha256_hex != blob.digest.hex())
    throw Error("blob from " + client_.reference().name() + " should have digest " +
                blob.digest.str() + " but has sha256:" + response.response_sha256_hex +
                "; the registry or a proxy corrupted it");
  if (blob.size != response.response_bytes)
    throw Error("blob " + blob.digest.str() + " from " + client_.reference().name() + " has " +
                std::to_string(response.response_bytes) + " bytes, not " +
                std::to_string(blob.size));
  fs::permissions(temp.path(), fs::perms(0444));
  temp.commit();
}

}  // namespace ko
