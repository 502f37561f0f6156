#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "json/json.hpp"
#include "layer/layer_writer.hpp"
#include "oci/base_image.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "util/error.hpp"

namespace ko::cli {

namespace {

std::string blob_path(const Digest& d) {
  return "blobs/sha256/" + d.hex();
}

// `docker load` format for one platform: manifest.json + repositories + the blobs.
void write_docker_archive(const Layout& layout, const Descriptor& top, const Platform& platform,
                          const std::string& repo_tag, int64_t mtime,
                          const std::filesystem::path& out) {
  Descriptor manifest = top;
  if (media_type::is_index(top.media_type)) {
    std::vector<Descriptor> children =
        read_index_entries(layout.blobs(), top, layout.dir().string());
    const Descriptor* match = select_platform(children, platform);
    if (!match)
      throw Error(layout.dir().string() + " has no image for " + platform.str() +
                  "; set KO_TARBALL_PLATFORM");
    manifest = *match;
  }
  json::Value doc = json::parse(layout.blobs().read_verified(manifest.digest), "manifest");
  Descriptor config = Descriptor::from_json(doc["config"], "config");

  std::vector<LayerEntry> entries;
  entries.push_back(
      LayerEntry::file_from(blob_path(config.digest), layout.blobs().path_of(config.digest), 0644));
  json::Array layers;
  for (const json::Value& layer : doc["layers"].as_array("layers")) {
    Digest digest = Descriptor::from_json(layer, "layer").digest;
    layers.emplace_back(blob_path(digest));
    bool seen = false;  // an image may repeat a layer; the archive holds it once
    for (const LayerEntry& e : entries) seen = seen || e.path == blob_path(digest);
    if (!seen)
      entries.push_back(
          LayerEntry::file_from(blob_path(digest), layout.blobs().path_of(digest), 0644));
  }
  size_t colon = repo_tag.rfind(':');
  json::Value item;
  item["Config"] = blob_path(config.digest);
  item["RepoTags"] = json::Array{json::Value(repo_tag)};
  item["Layers"] = std::move(layers);
  json::Value repositories;
  repositories[repo_tag.substr(0, colon)][repo_tag.substr(colon + 1)] = config.digest.hex();
  entries.push_back(LayerEntry::file_with("manifest.json", json::dump(json::Array{item})));
  entries.push_back(LayerEntry::file_with("repositories", json::dump(repositories)));
  write_tar_file(std::move(entries), mtime, out);
}

// `oci-archive`: the layout directory as a tar, all platforms.
void write_oci_archive(const Layout& layout, int64_t mtime, const std::filesystem::path& out) {
  std::vector<LayerEntry> entries{
      LayerEntry::file_from("oci-layout", layout.dir() / "oci-layout", 0644),
      LayerEntry::file_from("index.json", layout.dir() / "index.json", 0644)};
  for (const auto& blob : std::filesystem::directory_iterator(layout.dir() / "blobs" / "sha256")) {
    if (blob.path().filename().string().starts_with(".")) continue;
    entries.push_back(LayerEntry::file_from("blobs/sha256/" + blob.path().filename().string(),
                                            blob.path(), 0644));
  }
  write_tar_file(std::move(entries), mtime, out);
}

}  // namespace

int run_tarball(const Argv& argv) {
  Args args(
      "tarball", argv,
      {"layout", "docker-archive", "platform", "repo-tag", "oci-archive", "source-date-epoch"});
  Layout layout(args.required("layout"));
  std::vector<Descriptor> entries = layout.manifests();
  if (entries.empty()) throw Error(layout.dir().string() + " holds no image");
  const int64_t mtime = source_date_epoch(args.optional("source-date-epoch"));
  if (auto docker = args.optional("docker-archive")) {
    std::string repo_tag = args.optional("repo-tag").value_or("ko.local/image:latest");
    if (repo_tag.find(':', repo_tag.rfind('/') == std::string::npos ? 0 : repo_tag.rfind('/')) ==
        std::string::npos)
      throw UsageError("tarball: --repo-tag must be repository:tag, got '" + repo_tag + "'");
    write_docker_archive(layout, entries.front(), Platform::parse(args.required("platform")),
                         repo_tag, mtime, *docker);
  }
  if (auto oci = args.optional("oci-archive")) write_oci_archive(layout, mtime, *oci);
  if (!args.optional("docker-archive") && !args.optional("oci-archive"))
    throw UsageError("tarball: give --docker-archive FILE and/or --oci-archive FILE");
  return 0;
}

}  // namespace ko::cli
