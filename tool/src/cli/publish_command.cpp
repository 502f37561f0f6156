#include <cstdlib>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "registry/naming.hpp"
#include "registry/push.hpp"
#include "registry/referrers.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

namespace {

// Where to push: --repository, else --docker-repo or $KO_DOCKER_REPO plus a derived name.
Reference target_repository(const Args& args, const std::string& image_name) {
  if (auto repository = args.optional("repository"))
    return Reference::parse_repository(*repository);
  std::string docker_repo = args.optional("docker-repo").value_or("");
  if (docker_repo.empty()) {
    const char* env = std::getenv("KO_DOCKER_REPO");
    docker_repo = env ? env : "";
  }
  if (docker_repo.empty())
    throw Error("no repository to publish " + image_name +
                " to: set KO_DOCKER_REPO (environment or -DKO_DOCKER_REPO=…), or give ko_image() a "
                "REPOSITORY");
  return Reference::parse_repository(
      repository_for(docker_repo, args.required("importpath"),
                     parse_naming(args.optional("naming").value_or("default"))));
}

// The repository of the image's base when it lives on `registry` (for cross-repo mounts).
std::optional<std::string> base_repository_on(const BlobStore& store, const Descriptor& top,
                                              const std::string& registry) {
  Descriptor manifest = top;
  if (media_type::is_index(top.media_type)) {
    json::Value index = json::parse(store.read_verified(top.digest), "index");
    const json::Array& children = index["manifests"].as_array("manifests");
    if (children.empty()) return std::nullopt;
    manifest = Descriptor::from_json(children.front(), "index entry");
  }
  json::Value doc = json::parse(store.read_verified(manifest.digest), "manifest");
  const json::Value* annotations = doc.get("annotations");
  std::string base =
      annotations ? annotations->get_string("org.opencontainers.image.base.name") : "";
  if (base.empty()) return std::nullopt;
  Reference reference = Reference::parse(base);
  if (reference.registry != registry) return std::nullopt;
  return reference.repository;
}

std::string human_bytes(int64_t bytes) {
  char text[32];
  if (bytes >= (1 << 20)) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
  }
  return text;
}

// Attaches each platform's SBOM to that platform's manifest. An SBOM the registry refuses
// never fails the publish: the image is what matters.
void attach_sboms(RegistryClient& client, const Layout& layout, const Descriptor& top,
                  const std::vector<std::string>& sboms) {
  for (const std::string& item : sboms) {
    auto [platform_text, file] = split_key_value(item, "--sbom");
    try {
      Platform platform = Platform::parse(platform_text);
      Descriptor subject = top;
      if (media_type::is_index(top.media_type)) {
        std::optional<Descriptor> child;
        json::Value index = json::parse(layout.blobs().read_verified(top.digest), "index");
        for (const json::Value& entry : index["manifests"].as_array("manifests")) {
          Descriptor d = Descriptor::from_json(entry, "index entry");
          if (Platform::from_json(d.platform) == platform) child = d;
        }
        if (!child) throw Error("the image has no " + platform.str() + " manifest");
        subject = *child;
      }
      AttachResult attached =
          attach_artifact(client, subject, "application/spdx+json", read_file(file), "sbom");
      std::cerr << "ko-image: attached the " << platform.str() << " SBOM "
                << attached.manifest.str()
                << (attached.via_referrers_api ? " (referrers API)"
                                               : " as tag " + attached.fallback_tag)
                << "\n";
    } catch (const Error& e) {
      std::cerr
          << "ko-image: warning: could not attach the " << platform_text << " SBOM (" << e.what()
          << "); the image itself was published. Pass SBOM none to ko_image() to skip SBOMs.\n";
    }
  }
}

}  // namespace

int run_publish(const Argv& argv) {
  Args args("publish", argv,
            {"layout", "repository", "docker-repo", "naming", "importpath", "ref-file", "name",
             "chunk-size"},
            {"tag", "sbom"});
  Layout layout(args.required("layout"));
  const std::string image_name = args.optional("name").value_or(layout.dir().filename().string());
  std::vector<Descriptor> entries = layout.manifests();
  if (entries.empty()) throw Error(layout.dir().string() + " holds no image; build it first");
  Descriptor top = entries.front();
  top.annotations.clear();

  Reference target = target_repository(args, image_name);
  PushOptions options{.tags = args.all("tag")};
  if (options.tags.empty()) options.tags.push_back("latest");
  if (auto chunk = args.optional("chunk-size")) {
    options.chunk_size = std::atoll(chunk->c_str());
    if (options.chunk_size <= 0)
      throw UsageError("publish: --chunk-size must be a positive number of bytes");
  }
  options.mount_from = base_repository_on(layout.blobs(), top, target.registry);

  HttpClient http;
  RegistryClient client(http, target);
  PushReport report = push_image(client, layout.blobs(), top, options);

  if (report.already_present) {
    std::cerr << "ko-image: " << target.name() << " already has " << top.digest.str()
              << "; nothing to push (" << http.counters().requests << " requests)\n";
  } else {
    std::cerr << "ko-image: pushed " << report.blobs_uploaded << " blob(s) ("
              << human_bytes(report.bytes_uploaded) << "), mounted " << report.blobs_mounted << ", "
              << report.blobs_present << " already present, " << report.manifests_pushed
              << " manifest(s); tags: ";
    for (size_t i = 0; i < options.tags.size(); ++i)
      std::cerr << (i ? ", " : "") << options.tags[i];
    std::cerr << "\n";
  }

  attach_sboms(client, layout, top, args.all("sbom"));

  std::string ref = target.name();
  if (options.tags.size() == 1 && options.tags.front() != "latest")
    ref += ":" + options.tags.front();
  ref += "@" + top.digest.str();
  if (auto ref_file = args.optional("ref-file")) write_file_if_changed(*ref_file, ref + "\n");
  std::cout << ref << std::endl;
  return 0;
}

}  // namespace ko::cli
