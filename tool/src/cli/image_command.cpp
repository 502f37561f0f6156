#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "digest/sha256.hpp"
#include "oci/annotations.hpp"
#include "oci/base_image.hpp"
#include "oci/mutate.hpp"
#include "oci/rootfs.hpp"
#include "registry/remote_base.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

int run_image(const Argv& argv) {
  Args args(
      "image", argv,
      {"base", "lock-file", "platform", "blobs", "output", "workdir", "user", "source-date-epoch"},
      {"layer", "binary-name", "env", "arg", "label", "annotation"});
  // Only a registry base can reach the network (its tag to resolve, a blob missing from the
  // cache); with any other, this step is offline like the Network::kNever commands.
  const BaseReference reference = BaseReference::parse(args.optional("base").value_or("scratch"));
  if (reference.kind != BaseReference::Kind::kRegistry) Sha256::skip_tls_setup();
  const Platform platform = Platform::parse(args.required("platform"));
  // One layer per binary, in order; the first binary is the entrypoint.
  const std::vector<std::string> binary_names = args.all("binary-name");
  const std::vector<std::string> layer_files = args.all("layer");
  if (binary_names.empty() || binary_names.size() != layer_files.size())
    throw UsageError("image: give one --binary-name per --layer (at least one)");
  const std::string& binary_name = binary_names.front();
  BlobStore store(args.required("blobs"));

  std::vector<json::Value> layer_jsons;
  std::vector<Descriptor> layers;
  std::vector<std::pair<Digest, std::string>> diff_ids;
  for (size_t i = 0; i < layer_files.size(); ++i) {
    layer_jsons.push_back(json::parse(read_file(layer_files[i]), layer_files[i]));
    layers.push_back(Descriptor::from_json(layer_jsons.back(), layer_files[i]));
    diff_ids.emplace_back(
        Digest::parse(layer_jsons.back()["diffID"].as_string(layer_files[i] + " diffID")),
        "ko-image: /ko-app/" + binary_names[i]);
  }

  std::optional<std::filesystem::path> lock_file;
  if (auto file = args.optional("lock-file")) lock_file = *file;
  BaseImage base = reference.kind == BaseReference::Kind::kRegistry
                       ? load_remote_base(reference.text, platform, lock_file,
                                          registry_options_from_environment())
                       : load_base_image(reference, platform);
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].media_type == media_type::kOciLayerZstd) {
      if (base.family == media_type::Family::kDocker)
        throw Error("the layer of /ko-app/" + binary_names[i] +
                    " is zstd-compressed, but the base image has Docker media types, which "
                    "have no zstd layer type; use COMPRESSION gzip or an OCI base image");
    } else {
      layers[i].media_type = std::string(media_type::layer_type(base.family));
    }
    const json::Value* interpreter = layer_jsons[i].get("interpreter");
    if (!interpreter) continue;
    const std::string& path = interpreter->as_string("interpreter");
    if (!RootfsIndex::of(base).exists(path))
      throw Error(
          "/ko-app/" + binary_names[i] + " is dynamically linked and needs " + path +
          ", which the base image does not have; link it statically (-static) or use a base "
          "with a C library (e.g. gcr.io/distroless/cc)");
  }
  if (base.blobs && base.manifest) {
    for (const Descriptor& base_layer : base.manifest->layers)
      store.import_from(*base.blobs, base_layer.digest);
  }

  const int64_t epoch = source_date_epoch(args);
  ImageSettings settings{.entrypoint = "/ko-app/" + binary_name,
                         .args = args.all("arg"),
                         .workdir = args.optional("workdir"),
                         .user = args.optional("user"),
                         .created = rfc3339_utc(epoch),
                         .history_comment = "ko-image: /ko-app/" + binary_name};
  for (const std::string& item : args.all("env"))
    settings.env.push_back(split_key_value(item, "--env"));
  for (const std::string& item : args.all("label"))
    settings.labels.insert(split_key_value(item, "--label"));
  std::map<std::string, std::string> annotations;
  if (!base.name.empty() && base.manifest_digest) {
    annotations[std::string(annotation::kBaseName)] = base.name;
    annotations[std::string(annotation::kBaseDigest)] = base.manifest_digest->str();
  }
  for (const std::string& item : args.all("annotation"))
    annotations.insert(split_key_value(item, "--annotation"));

  std::string config_bytes = json::dump(make_config(
      base.config ? base.config->document : json::Value(), platform, diff_ids, settings));
  Descriptor config{.media_type = std::string(media_type::config_type(base.family)),
                    .digest = store.put(config_bytes),
                    .size = static_cast<int64_t>(config_bytes.size())};
  std::string manifest_bytes =
      json::dump(make_manifest(base.family, base.layers_json(), config, layers, annotations));

  Descriptor image{.media_type = std::string(media_type::manifest_type(base.family)),
                   .digest = store.put(manifest_bytes),
                   .size = static_cast<int64_t>(manifest_bytes.size()),
                   .platform = make_index_platform(base.index_platform, platform)};
  write_file_if_changed(args.required("output"), json::dump(image.to_json()) + "\n");
  return 0;
}

}  // namespace ko::cli
