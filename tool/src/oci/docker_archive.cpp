#include "oci/docker_archive.hpp"

#include "json/json.hpp"
#include "layer/layer_writer.hpp"
#include "oci/documents.hpp"
#include "oci/media_types.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

std::string blob_path(const Digest& d) {
  return "blobs/sha256/" + d.hex();
}

}  // namespace

Descriptor image_for_platform(const Layout& layout, const Descriptor& top,
                              const Platform& platform) {
  if (!media_type::is_index(top.media_type)) return top;
  const Index index = read_index(layout.blobs(), top, layout.dir().string());
  const Descriptor* match = index.manifest_for(platform);
  if (!match) throw Error(layout.dir().string() + " has no image for " + platform.str());
  return *match;
}

void write_docker_archive(const Layout& layout, const Descriptor& manifest,
                          const std::vector<std::string>& repo_tags, int64_t mtime,
                          const std::filesystem::path& out) {
  const Manifest doc = read_manifest(layout.blobs(), manifest, "manifest");
  const Descriptor& config = doc.config;

  std::vector<LayerEntry> entries;
  entries.push_back(
      LayerEntry::file_from(blob_path(config.digest), layout.blobs().path_of(config.digest), 0644));
  json::Array layers;
  for (const Descriptor& layer : doc.layers) {
    const Digest& digest = layer.digest;
    layers.emplace_back(blob_path(digest));
    bool seen = false;  // an image may repeat a layer; the archive holds it once
    for (const LayerEntry& e : entries) seen = seen || e.path == blob_path(digest);
    if (!seen)
      entries.push_back(
          LayerEntry::file_from(blob_path(digest), layout.blobs().path_of(digest), 0644));
  }
  json::Array tags;
  json::Value repositories = json::Object{};
  for (const std::string& repo_tag : repo_tags) {
    const size_t slash = repo_tag.rfind('/');
    const size_t colon = repo_tag.rfind(':');
    if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
      throw Error("docker archive: '" + repo_tag + "' is not repository:tag");
    tags.emplace_back(repo_tag);
    repositories[repo_tag.substr(0, colon)][repo_tag.substr(colon + 1)] = config.digest.hex();
  }
  json::Value item;
  item["Config"] = blob_path(config.digest);
  item["RepoTags"] = std::move(tags);
  item["Layers"] = std::move(layers);
  entries.push_back(LayerEntry::file_with("manifest.json", json::dump(json::Array{item})));
  entries.push_back(LayerEntry::file_with("repositories", json::dump(repositories)));
  write_tar_file(std::move(entries), mtime, out);
}

}  // namespace ko
