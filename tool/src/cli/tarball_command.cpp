#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "json/json.hpp"
#include "layer/layer_writer.hpp"
#include "oci/docker_archive.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "util/error.hpp"

namespace ko::cli {

namespace {

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
  const int64_t mtime = source_date_epoch(args);
  if (auto docker = args.optional("docker-archive")) {
    std::string repo_tag = args.optional("repo-tag").value_or("ko.local/image:latest");
    if (repo_tag.find(':', repo_tag.rfind('/') == std::string::npos ? 0 : repo_tag.rfind('/')) ==
        std::string::npos)
      throw UsageError("tarball: --repo-tag must be repository:tag, got '" + repo_tag + "'");
    const Platform platform = Platform::parse(args.required("platform"));
    Descriptor manifest;
    try {
      manifest = image_for_platform(layout, entries.front(), platform);
    } catch (const Error& e) {
      throw Error(std::string(e.what()) + "; set KO_TARBALL_PLATFORM");
    }
    write_docker_archive(layout, manifest, {repo_tag}, mtime, *docker);
  }
  if (auto oci = args.optional("oci-archive")) write_oci_archive(layout, mtime, *oci);
  if (!args.optional("docker-archive") && !args.optional("oci-archive"))
    throw UsageError("tarball: give --docker-archive FILE and/or --oci-archive FILE");
  return 0;
}

}  // namespace ko::cli
