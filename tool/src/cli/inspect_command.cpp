#include <functional>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "oci/annotations.hpp"
#include "oci/documents.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "registry/pull.hpp"
#include "util/error.hpp"

namespace ko::cli {

namespace {

std::string join(const json::Value* list) {
  if (!list || !list->is_array()) return "";
  std::string out;
  for (const json::Value& item : list->as_array()) {
    if (!out.empty()) out += " ";
    out += item.is_string() ? item.as_string() : json::dump(item);
  }
  return out;
}

// Labels, and on the built-in static base which CA bundle and tzdata it carries, so a
// stale snapshot is easy to see.
void print_labels(const json::Value* labels, const std::string& indent) {
  if (!labels || !labels->is_object()) return;
  for (const auto& [key, value] : labels->as_object())
    std::cout << indent << "label:      " << key << "="
              << (value.is_string() ? value.as_string() : json::dump(value)) << "\n";
  const std::string date = labels->get_string("cmake-ko.static-base.ca-bundle-date");
  const std::string tz = labels->get_string("cmake-ko.static-base.tzdata");
  if (!date.empty())
    std::cout << indent << "ca bundle:  " << date << " (Debian ca-certificates "
              << labels->get_string("cmake-ko.static-base.ca-certificates") << ")\n";
  if (!tz.empty()) std::cout << indent << "tzdata:     " << tz << "\n";
}

// Makes a blob readable from the store first (a registry fetch for pushed images).
using Ensure = std::function<void(const Descriptor&)>;

void print_image(const BlobStore& store, const Descriptor& manifest_descriptor,
                 const std::string& indent, const Ensure& ensure) {
  ensure(manifest_descriptor);
  const Manifest manifest = read_manifest(store, manifest_descriptor, "manifest");
  const Descriptor& config_descriptor = manifest.config;
  ensure(config_descriptor);
  const ImageConfig config = read_config(store, config_descriptor, "config");
  std::cout << indent << "platform:   " << config.platform.str() << "\n"
            << indent << "config:     " << config_descriptor.digest.str() << "\n"
            << indent << "created:    " << config.document.get_string("created") << "\n";
  if (const json::Value* run = config.document.get("config")) {
    std::cout << indent << "entrypoint: " << join(run->get("Entrypoint")) << "\n"
              << indent << "cmd:        " << join(run->get("Cmd")) << "\n"
              << indent << "env:        " << join(run->get("Env")) << "\n"
              << indent << "user:       " << run->get_string("User") << "\n"
              << indent << "workdir:    " << run->get_string("WorkingDir") << "\n";
    print_labels(run->get("Labels"), indent);
  }
  for (const Descriptor& d : manifest.layers) {
    std::cout << indent << "layer:      " << d.digest.str() << " " << d.size << " bytes\n";
  }
}

// Prints one image or index and its images.
void print_top(const BlobStore& store, const Descriptor& top, const Ensure& ensure) {
  auto name = top.annotations.find(std::string(annotation::kRefName));
  std::cout << top.digest.str() << " " << top.media_type
            << (name == top.annotations.end() ? "" : " (" + name->second + ")") << "\n";
  if (media_type::is_index(top.media_type)) {
    ensure(top);
    for (const Descriptor& d : read_index(store, top, "index").manifests) {
      std::cout << "  " << d.digest.str() << "\n";
      if (!d.platform.is_null() && Platform::from_json(d.platform).os == "unknown")
        continue;  // attestations
      print_image(store, d, "    ", ensure);
    }
  } else {
    print_image(store, top, "  ", ensure);
  }
}

}  // namespace

int run_digest(const Argv& argv) {
  Args args("digest", argv, {});
  if (args.positionals().size() != 1)
    throw UsageError("digest: give one OCI layout directory or file");
  std::filesystem::path path = args.positionals().front();
  if (std::filesystem::is_directory(path)) {
    for (const Descriptor& d : Layout(path).manifests()) std::cout << d.digest.str() << "\n";
  } else {
    std::cout << Digest::of_file(path).str() << "\n";
  }
  return 0;
}

int run_inspect(const Argv& argv) {
  Args args("inspect", argv, {});
  if (args.positionals().size() != 1)
    throw UsageError("inspect: give an OCI layout directory or an image reference");
  const std::string target = args.positionals().front();
  if (!std::filesystem::is_directory(target)) {
    // A pushed image: through the shared cache, fetching what is missing.
    Reference reference = Reference::parse(target);
    PullSession session(reference, registry_options_from_environment());
    Descriptor top = session.puller().fetch_manifest(reference.identifier());
    print_top(session.cache(), top, [&](const Descriptor& d) { session.puller().ensure(d); });
    return 0;
  }
  Layout layout(target);
  for (const Descriptor& top : layout.manifests())
    print_top(layout.blobs(), top, [](const Descriptor&) {});
  return 0;
}

}  // namespace ko::cli
