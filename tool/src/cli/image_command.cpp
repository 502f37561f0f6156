#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "oci/base_image.hpp"
#include "oci/mutate.hpp"
#include "oci/rootfs.hpp"
#include "registry/remote_base.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

int run_image(const Argv& argv) {
  Args args("image", argv,
            {"layer", "base", "lock-file", "platform", "binary-name", "blobs", "output", "workdir",
             "user", "source-date-epoch"},
            {"env", "arg", "label", "annotation"});
  const Platform platform = Platform::parse(args.required("platform"));
  const std::string binary_name = args.required("binary-name");
  BlobStore store(args.required("blobs"));

  const std::filesystem::path layer_file = args.required("layer");
  json::Value layer_json = json::parse(read_file(layer_file), layer_file.string());
  Descriptor layer = Descriptor::from_json(layer_json, layer_file.string());
  Digest diff_id = Digest::parse(layer_json["diffID"].as_string(layer_file.string() + " diffID"));

  BaseReference reference = BaseReference::parse(args.optional("base").value_or("scratch"));
  std::optional<std::filesystem::path> lock_file;
  if (auto file = args.optional("lock-file")) lock_file = *file;
  BaseImage base = reference.kind == BaseReference::Kind::kRegistry
                       ? load_remote_base(reference.text, platform, lock_file)
                       : load_base_image(reference, platform);
  layer.media_type = std::string(media_type::layer_type(base.family));
  if (const json::Value* interpreter = layer_json.get("interpreter")) {
    const std::string& path = interpreter->as_string("interpreter");
    if (!RootfsIndex::of(base).exists(path))
      throw Error(
          "/ko-app/" + binary_name + " is dynamically linked and needs " + path +
          ", which the base image does not have; link it statically (-static) or use a base "
          "with a C library (e.g. gcr.io/distroless/cc)");
  }
  if (base.blobs) {
    for (const json::Value& base_layer : base.manifest["layers"].as_array("base layers"))
      store.import_from(*base.blobs, Descriptor::from_json(base_layer, "base layer").digest);
  }

  const int64_t epoch = source_date_epoch(args.optional("source-date-epoch"));
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
    annotations["org.opencontainers.image.base.name"] = base.name;
    annotations["org.opencontainers.image.base.digest"] = base.manifest_digest->str();
  }
  for (const std::string& item : args.all("annotation"))
    annotations.insert(split_key_value(item, "--annotation"));

  std::string config_bytes = json::dump(make_config(base.config, platform, diff_id, settings));
  Descriptor config{.media_type = std::string(media_type::config_type(base.family)),
                    .digest = store.put(config_bytes),
                    .size = static_cast<int64_t>(config_bytes.size())};
  std::string manifest_bytes =
      json::dump(make_manifest(base.family, base.manifest, config, layer, annotations));

  // The platform an index lists for this image: the base entry's (keeping fields such as
  // os.version), with our architecture variant.
  json::Value index_platform =
      base.index_platform.is_null() ? json::Value(json::Object{}) : base.index_platform;
  const json::Value ours = platform.to_json();
  for (const auto& [key, value] : ours.as_object()) index_platform[key] = value;
  if (platform.variant.empty() && index_platform.is_object())
    index_platform.as_object().erase("variant");

  Descriptor image{.media_type = std::string(media_type::manifest_type(base.family)),
                   .digest = store.put(manifest_bytes),
                   .size = static_cast<int64_t>(manifest_bytes.size()),
                   .platform = index_platform};
  write_file_if_changed(args.required("output"), json::dump(image.to_json()) + "\n");
  return 0;
}

}  // namespace ko::cli
