#include "oci/static_base.hpp"

#include <iterator>

#include "layer/layer_writer.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "oci/platform.hpp"
#include "oci/static_base_data.hpp"

namespace ko {

namespace {

constexpr int64_t kNonroot = 65532;

std::vector<LayerEntry> base_entries() {
  LayerEntry home = LayerEntry::directory("home/nonroot", 0700);
  home.uid = home.gid = kNonroot;
  return {
      LayerEntry::file_with("etc/passwd",
                            "root:x:0:0:root:/root:/sbin/nologin\n"
                            "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"),
      LayerEntry::file_with("etc/group", "root:x:0:\nnonroot:x:65532:\n"),
      LayerEntry::file_with("etc/nsswitch.conf", "hosts: files dns\n"),
      LayerEntry::directory("home"),
      std::move(home),
      LayerEntry::directory("root", 0700),
      LayerEntry::directory("tmp", 01777),
  };
}

}  // namespace

Descriptor write_static_base(const std::filesystem::path& layout_dir,
                             const std::filesystem::path& data_dir) {
  StaticBaseData data = read_static_base_data(data_dir);
  std::vector<LayerEntry> entries = base_entries();
  std::move(data.entries.begin(), data.entries.end(), std::back_inserter(entries));
  BlobStore store(layout_dir);
  WrittenLayer layer = write_layer(std::move(entries), LayerOptions{}, store.directory());
  const std::string created = rfc3339_utc(0);

  std::vector<Descriptor> manifests;
  for (const std::string& architecture : Platform::known_architectures()) {
    Platform platform{"linux", architecture, ""};
    json::Value config;
    config["architecture"] = architecture;
    config["os"] = "linux";
    config["created"] = created;
    config["config"]["User"] = std::to_string(kNonroot);
    config["config"]["Env"] = json::Array{json::Value("PATH=" + std::string(kDefaultPath))};
    for (const auto& [key, value] : data.labels()) config["config"]["Labels"][key] = value;
    config["rootfs"]["type"] = "layers";
    config["rootfs"]["diff_ids"] = json::Array{json::Value(layer.diff_id.str())};
    json::Value history;
    history["created"] = created;
    history["created_by"] = "ko-image static-base";
    config["history"] = json::Array{history};
    std::string config_bytes = json::dump(config);

    Descriptor config_descriptor{.media_type = std::string(media_type::kOciConfig),
                                 .digest = store.put(config_bytes),
                                 .size = static_cast<int64_t>(config_bytes.size())};
    Descriptor layer_descriptor{.media_type = std::string(media_type::kOciLayerGzip),
                                .digest = layer.digest,
                                .size = layer.size};
    std::string manifest_bytes = json::dump(make_manifest(media_type::Family::kOci, json::Array{},
                                                          config_descriptor, layer_descriptor, {}));
    manifests.push_back(Descriptor{.media_type = std::string(media_type::kOciManifest),
                                   .digest = store.put(manifest_bytes),
                                   .size = static_cast<int64_t>(manifest_bytes.size()),
                                   .platform = platform.to_json()});
  }
  std::string index_bytes = json::dump(make_index(manifests, {}));
  Descriptor index{.media_type = std::string(media_type::kOciIndex),
                   .digest = store.put(index_bytes),
                   .size = static_cast<int64_t>(index_bytes.size())};
  Layout(layout_dir).write(store, index, {"latest"});
  return index;
}

}  // namespace ko
