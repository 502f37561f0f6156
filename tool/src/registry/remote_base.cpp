#include "registry/remote_base.hpp"

#include <memory>

#include "json/json.hpp"
#include "oci/documents.hpp"
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
  LazyPuller(const Reference& reference, const RegistryOptions& options)
      : reference_(reference), options_(options) {}
  void ensure(const BlobStore& cache, const Descriptor& d) {
    if (!cache.has(d.digest)) session(cache).ensure(d);
  }
  // For a digest whose media type is not known yet (BASE …@sha256:…).
  void ensure_manifest(const BlobStore& cache, const Digest& digest) {
    if (!cache.has(digest)) session(cache).fetch_manifest(digest.str());
  }

 private:
  Puller& session(const BlobStore&) {
    // The cache is the options' own (load_remote_base's).
    if (!session_) session_ = std::make_unique<PullSession>(reference_, options_);
    return session_->puller();
  }

  Reference reference_;
  const RegistryOptions& options_;
  std::unique_ptr<PullSession> session_;
};

std::string without_digest(const Reference& reference) {
  Reference r = reference;
  r.digest.reset();
  if (r.tag.empty()) return r.name();
  return r.str();
}

}  // namespace

LockEntry resolve_base(const std::string& base, const RegistryOptions& options) {
  Reference reference = Reference::parse(base);
  PullSession session(reference, options);
  BlobStore& cache = session.cache();
  Descriptor top = session.puller().fetch_manifest(reference.identifier());
  LockEntry entry{
      .reference = without_digest(reference), .digest = top.digest, .media_type = top.media_type};
  if (media_type::is_index(top.media_type)) {
    for (const Descriptor& child : read_index(cache, top, reference.str()).manifests) {
      if (child.platform.is_null()) continue;
      Platform platform = Platform::from_json(child.platform);
      if (platform.os == "unknown") continue;  // attestations
      entry.platforms.emplace(platform.str(), child.digest.str());
    }
  }
  return entry;
}

BaseImage load_remote_base(const std::string& base, const Platform& platform,
                           const std::optional<std::filesystem::path>& lock_file,
                           const RegistryOptions& options) {
  Reference reference = Reference::parse(base);
  BlobStore cache(cache_dir(options));

  // The digest: written in BASE, else locked, else resolved now and locked.
  std::optional<Descriptor> top;
  if (!reference.digest && lock_file) {
    if (auto locked = read_lock_entry(*lock_file, base))
      top = Descriptor{.media_type = locked->media_type, .digest = locked->digest};
  }
  if (!reference.digest && !top) {
    LockEntry resolved = resolve_base(base, options);
    if (lock_file) resolved = write_lock_entry(*lock_file, base, resolved, /*keep_existing=*/true);
    top = Descriptor{.media_type = resolved.media_type, .digest = resolved.digest};
  }
  if (!top) top = Descriptor{.digest = *reference.digest};

  LazyPuller puller(reference, options);
  puller.ensure_manifest(cache, top->digest);
  // The media type comes from the document itself (a digest in BASE does not say).
  json::Value document = json::parse(cache.read_verified(top->digest), reference.str());
  top->media_type = document.get_string("mediaType", top->media_type);
  Descriptor manifest = *top;
  if (media_type::is_index(top->media_type)) {
    const Index index = read_index(cache, *top, reference.str());
    const Descriptor* child = index.manifest_for(platform);
    if (!child)
      throw Error("base image " + reference.str() + " has no image for platform " + platform.str());
    puller.ensure(cache, *child);
    manifest = *child;
  }
  const Manifest parsed =
      read_manifest(cache, manifest, reference.str() + " manifest " + manifest.digest.str());
  puller.ensure(cache, parsed.config);
  for (const Descriptor& layer : parsed.layers) puller.ensure(cache, layer);

  BaseImage image = base_from_store(cache, *top, platform, reference.str());
  image.name = without_digest(reference);
  return image;
}

}  // namespace ko
