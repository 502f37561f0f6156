#include "oci/base_image.hpp"

#include "oci/annotations.hpp"
#include "oci/layout.hpp"
#include "oci/select_platform.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kLayoutScheme = "oci-layout:";

std::string describe(const BaseReference& ref) {
  if (ref.kind == BaseReference::Kind::kScratch) return "scratch";
  std::string s = std::string(kLayoutScheme) + ref.layout_dir.string();
  if (!ref.tag.empty()) s += ":" + ref.tag;
  if (ref.digest) s += "@" + ref.digest->str();
  return s;
}

}  // namespace

BaseReference BaseReference::parse(std::string_view text) {
  BaseReference ref;
  if (text == "scratch") return ref;
  if (text.empty())
    throw Error(
        "empty base image reference: use static, scratch, oci-layout:<dir> or a registry "
        "reference");
  if (!text.starts_with(kLayoutScheme)) {
    ref.kind = Kind::kRegistry;  // parsed and loaded by the registry module
    ref.text = std::string(text);
    return ref;
  }
  ref.kind = Kind::kOciLayout;
  std::string_view rest = text.substr(kLayoutScheme.size());
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    ref.digest = Digest::parse(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  // A tag follows the last ':' after the last '/'.
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) throw Error("base image '" + std::string(text) + "' names no directory");
  ref.layout_dir = std::string(rest);
  return ref;
}

BaseImage load_base_image(const BaseReference& reference, const Platform& platform) {
  if (reference.kind == BaseReference::Kind::kScratch) return BaseImage{};
  if (reference.kind == BaseReference::Kind::kRegistry)
    throw Error("internal: registry base " + reference.text +
                " must be loaded through the registry module");

  const std::string name = describe(reference);
  Layout layout(reference.layout_dir);
  std::vector<Descriptor> entries;
  try {
    entries = layout.manifests();
  } catch (const Error& e) {
    throw Error("base image " + name + ": " + e.what());
  }
  const BlobStore& blobs = layout.blobs();

  // Pick the top-level entry: by digest, by tag, the only one, or treat index.json itself
  // as the index to choose a platform from.
  std::optional<Descriptor> chosen;
  for (const Descriptor& entry : entries) {
    const auto ref_name = entry.annotations.find(std::string(annotation::kRefName));
    bool tag_ok = reference.tag.empty() ||
                  (ref_name != entry.annotations.end() && ref_name->second == reference.tag);
    bool digest_ok = !reference.digest || entry.digest == *reference.digest;
    if (tag_ok && digest_ok &&
        (reference.digest || !reference.tag.empty() || entries.size() == 1)) {
      chosen = entry;
      break;
    }
  }
  if (!chosen && reference.tag.empty()) {
    // A digest may name a child of an index listed in index.json, and several untagged
    // entries form an implicit index.
    std::vector<Descriptor> candidates = entries;
    for (const Descriptor& entry : entries) {
      if (media_type::is_index(entry.media_type)) {
        auto children = read_index(blobs, entry, name + " index " + entry.digest.str()).manifests;
        candidates.insert(candidates.end(), children.begin(), children.end());
      }
    }
    if (reference.digest) {
      for (const Descriptor& c : candidates) {
        if (c.digest == *reference.digest) chosen = c;
      }
    } else if (const Descriptor* match = select_platform(entries, platform)) {
      chosen = *match;
    }
  }
  if (!chosen) {
    throw Error("base image " + name + ": " +
                (reference.tag.empty() && !reference.digest
                     ? "no entry for platform " + platform.str()
                     : std::string("no entry with that ") + (reference.digest ? "digest" : "tag")));
  }

  return base_from_store(blobs, *chosen, platform, name);
}

BaseImage base_from_store(const BlobStore& blobs, const Descriptor& entry, const Platform& platform,
                          const std::string& name) {
  BaseImage base;
  base.blobs = blobs;
  std::optional<Descriptor> chosen = entry;  // becomes the platform's manifest
  if (media_type::is_index(chosen->media_type)) {
    auto children = read_index(blobs, *chosen, name).manifests;
    const Descriptor* match = select_platform(children, platform);
    if (!match) throw Error("base image " + name + " has no image for platform " + platform.str());
    base.index_platform = match->platform;
    chosen = *match;
  } else if (!chosen->platform.is_null()) {
    base.index_platform = chosen->platform;
  }
  if (!media_type::is_manifest(chosen->media_type))
    throw Error("base image " + name + ": unsupported media type " + chosen->media_type);

  base.family = media_type::family_of(chosen->media_type);
  const std::string what = name + " manifest " + chosen->digest.str();
  base.manifest = read_manifest(*base.blobs, *chosen, what);
  base.config = read_config(*base.blobs, base.manifest->config, name + " config");

  const Platform& actual = base.config->platform;
  if (actual.os != platform.os || actual.architecture != platform.architecture)
    throw Error("base image " + name + " is for " + actual.str() + ", not " + platform.str() +
                "; pick a base that has " + platform.str());
  base.manifest_digest = chosen->digest;
  return base;
}

}  // namespace ko
