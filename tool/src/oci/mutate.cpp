#include "oci/mutate.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>

#include "oci/annotations.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

// Sets NAME=value in a Docker-style env list, replacing an existing NAME.
void set_env(json::Array& env, const std::string& name, const std::string& value) {
  const std::string prefix = name + "=";
  for (json::Value& entry : env) {
    if (entry.is_string() && entry.as_string().starts_with(prefix)) {
      entry = prefix + value;
      return;
    }
  }
  env.emplace_back(prefix + value);
}

std::string get_env(const json::Array& env, const std::string& name) {
  const std::string prefix = name + "=";
  for (const json::Value& entry : env) {
    if (entry.is_string() && entry.as_string().starts_with(prefix))
      return entry.as_string().substr(prefix.size());
  }
  return "";
}

json::Array strings(const std::vector<std::string>& items) {
  json::Array array;
  for (const auto& item : items) array.emplace_back(item);
  return array;
}

}  // namespace

json::Value make_config(const json::Value& base_config, const Platform& platform,
                        const Digest& layer_diff_id, const ImageSettings& settings) {
  return make_config(base_config, platform, {{layer_diff_id, settings.history_comment}}, settings);
}

json::Value make_config(const json::Value& base_config, const Platform& platform,
                        const std::vector<std::pair<Digest, std::string>>& diff_ids_and_comments,
                        const ImageSettings& settings) {
  json::Value config = base_config.is_null() ? json::Value(json::Object{}) : base_config;
  config["architecture"] = platform.architecture;
  config["os"] = platform.os;
  if (platform.variant.empty()) {
    config.as_object().erase("variant");
  } else {
    config["variant"] = platform.variant;
  }
  config["created"] = settings.created;

  json::Value& rootfs = config["rootfs"];
  rootfs["type"] = "layers";
  if (rootfs["diff_ids"].is_null()) rootfs["diff_ids"] = json::Array{};
  if (config["history"].is_null()) config["history"] = json::Array{};
  for (const auto& [diff_id, comment] : diff_ids_and_comments) {
    rootfs["diff_ids"].as_array("rootfs.diff_ids").emplace_back(diff_id.str());
    json::Value history;
    history["created"] = settings.created;
    history["created_by"] = "ko-image";
    history["comment"] = comment;
    config["history"].as_array("history").push_back(std::move(history));
  }

  json::Value& run = config["config"];
  if (run.is_null()) run = json::Object{};
  run["Entrypoint"] = strings({settings.entrypoint});
  if (settings.args.empty()) {
    run.as_object().erase("Cmd");
  } else {
    run["Cmd"] = strings(settings.args);
  }

  if (run["Env"].is_null()) run["Env"] = json::Array{};
  json::Array& env = run["Env"].as_array("config.Env");
  std::string path = get_env(env, "PATH");
  set_env(env, "PATH", (path.empty() ? std::string(kDefaultPath) : path) + ":/ko-app");
  set_env(env, "KO_DATA_PATH", "/var/run/ko");
  for (const auto& [name, value] : settings.env) set_env(env, name, value);

  if (settings.workdir) run["WorkingDir"] = *settings.workdir;
  if (settings.user) run["User"] = *settings.user;
  if (!settings.labels.empty()) {
    json::Value& labels = run["Labels"];
    if (labels.is_null()) labels = json::Object{};
    for (const auto& [key, value] : settings.labels) labels[key] = value;
  }
  return config;
}

json::Value make_manifest(media_type::Family family, const json::Array& base_layers,
                          const Descriptor& config, const Descriptor& layer,
                          const std::map<std::string, std::string>& annotations) {
  return make_manifest(family, base_layers, config, std::vector<Descriptor>{layer}, annotations);
}

json::Value make_manifest(media_type::Family family, const json::Array& base_layers,
                          const Descriptor& config, const std::vector<Descriptor>& ours,
                          const std::map<std::string, std::string>& annotations) {
  json::Value manifest;
  manifest["schemaVersion"] = 2;
  manifest["mediaType"] = std::string(media_type::manifest_type(family));
  manifest["config"] = config.to_json();
  json::Array layers = base_layers;
  for (const Descriptor& layer : ours) layers.push_back(layer.to_json());
  manifest["layers"] = std::move(layers);
  if (family == media_type::Family::kOci && !annotations.empty())
    manifest["annotations"] = annotation::to_json(annotations);
  return manifest;
}

json::Value make_index_platform(const json::Value& base_platform, const Platform& platform) {
  json::Value merged = base_platform.is_null() ? json::Value(json::Object{}) : base_platform;
  const json::Value ours = platform.to_json();
  for (const auto& [key, value] : ours.as_object()) merged[key] = value;
  if (platform.variant.empty() && merged.is_object()) merged.as_object().erase("variant");
  return merged;
}

json::Value make_index(const std::vector<Descriptor>& manifests,
                       const std::map<std::string, std::string>& annotations) {
  bool all_docker = !manifests.empty();
  json::Array entries;
  for (const Descriptor& d : manifests) {
    all_docker = all_docker && d.media_type == media_type::kDockerManifest;
    entries.push_back(d.to_json());
  }
  media_type::Family family = all_docker ? media_type::Family::kDocker : media_type::Family::kOci;
  json::Value index;
  index["schemaVersion"] = 2;
  index["mediaType"] = std::string(media_type::index_type(family));
  index["manifests"] = std::move(entries);
  if (family == media_type::Family::kOci && !annotations.empty())
    index["annotations"] = annotation::to_json(annotations);
  return index;
}

std::string rfc3339_utc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

int64_t parse_source_date_epoch(const std::optional<std::string>& text) {
  if (!text || text->empty()) return 0;
  int64_t value = 0;
  std::string_view view(*text);
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (ec != std::errc() || end != view.data() + view.size() || value < 0)
    throw Error("SOURCE_DATE_EPOCH='" + std::string(view) +
                "' is not a number of seconds since 1970");
  return value;
}

}  // namespace ko
