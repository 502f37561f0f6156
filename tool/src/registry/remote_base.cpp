#include "registry/remote_base.hpp"

#include <memory>

#include "json/json.hpp"
#include "oci/media_types.hpp"
#include "registry/pull.hpp"
#include "registry/reference.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

// A registry session opened only on the first cache miss, so a fully cached build makes
// no network request at all.
class LazyPuller {
 public:
  LazyPuller(const Reference& reference, BlobStore& cache) : reference_(reference), cache_(cache) {}

  Puller& get() {
    if (!puller_) {
      http_ = std::make_unique<HttpClient>();
      client_ = std::make_unique<RegistryClient>(*http_, reference_);
      puller_ = std::make_unique<Puller>(*client_, cache_);
    }
    return *puller_;
  }

  // Makes a manifest present in the cache, verified.
  void ensure_manifest(const Descriptor& d) {
    if (!cache_.has(d.digest)) get().fetch_manifest(d.digest.str());
  }
  void ensure_blob(const Descriptor& d) {
    if (!cache_.has(d.digest)) get().fetch_blob(d);
  }

 private:
  Reference reference_;
  BlobStore& cache_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<RegistryClient> client_;
  std::unique_ptr<Puller> puller_;
};

std::string without_digest(const Reference& reference) {
  Reference r = reference;
  r.digest.reset();
  if (r.tag.empty()) return r.name();
  return r.str();
}

}  // namespace

LockEntry resolve_base(const std::string& base) {
  Reference reference = Reference::parse(base);
  BlobStore cache(default_cache_dir());
  HttpClient http;
  RegistryClient client(http, reference);
  Puller puller(client, cache);
  Descriptor top = puller.fetch_manifest(reference.identifier());
  LockEntry entry{
      .reference = without_digest(reference), .digest = top.digest, .media_type = top.media_type};
  if (media_type::is_index(top.media_type)) {
    for (const Descriptor& child : read_index_entries(cache, top, reference.str())) {
      if (child.platform.is_null()) continue;
      Platform platform = Platform::from_json(child.platform);
      if (platform.os == "unknown") continue;  // attestations
      entry.platforms.emplace(platform.str(), child.digest.str());
    }
  }
  return entry;
}

BaseImage load_remote_base(const std::string& base, const Platform& platform,
                           const std::optional<std::filesystem::path>& lock_file) {
  Reference reference = Reference::parse(base);
  BlobStore cache(default_cache_dir());

  // The digest: written in BASE, else locked, else resolved now and locked.
  std::optional<Descriptor> top;
  if (!reference.digest && lock_file) {
    if (auto locked = read_lock_entry(*lock_file, base))
      top = Descriptor{.media_type = locked->media_type, .digest = locked->digest};
  }
  if (!reference.digest && !top) {
    LockEntry resolved = resolve_base(base);
    if (lock_file) resolved = write_lock_entry(*lock_file, base, resolved, /*keep_existing=*/true);
    top = Descriptor{.media_type = resolved.media_type, .digest = resolved.digest};
  }
  if (!top) top = Descriptor{.digest = *reference.digest};

  LazyPuller puller(reference, cache);
  puller.ensure_manifest(*top);
  // The media type comes from the document itself (a digest in BASE does not say).
  json::Value document = json::parse(cache.read_verified(top->digest), reference.str());
  top->media_type = document.get_string("mediaType", top->media_type);
  Descriptor manifest = *top;
  if (media_type::is_index(top->media_type)) {
    const std::vector<Descriptor> children = read_index_entries(cache, *top, reference.str());
    const Descriptor* child = select_platform(children, platform);
    if (!child)
      throw Error("base image " + reference.str() + " has no image for platform " + platform.str());
    puller.ensure_manifest(*child);
    manifest = *child;
  }
  const std::string what = reference.str() + " manifest " + manifest.digest.str();
  json::Value manifest_json = json::parse(cache.read_verified(manifest.digest), what);
  puller.ensure_blob(Descriptor::from_json(manifest_json["config"], what + " config"));
  for (const json::Value& layer : manifest_json["layers"].as_array(what + " layers"))
    puller.ensure_blob(Descriptor::from_json(layer, what + " layer"));

  BaseImage image = base_from_store(cache, *top, platform, reference.str());
  image.name = without_digest(reference);
  return image;
}

}  // namespace ko
