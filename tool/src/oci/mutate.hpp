// Building our image from a base: the config and manifest changes ko makes, plus the
// ENV/ARGS/WORKDIR/USER/LABELS ko cannot express. Pure functions over JSON values, so
// they are easy to test; the image step does the I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.hpp"
#include "oci/descriptor.hpp"
#include "oci/media_types.hpp"
#include "oci/platform.hpp"

namespace ko {

// The PATH of an image whose base sets none (and of the static base): Debian's default.
inline constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct ImageSettings {
  std::string entrypoint;                                // "/ko-app/hello"
  std::vector<std::string> args;                         // config Cmd; empty clears the base's Cmd
  std::vector<std::pair<std::string, std::string>> env;  // set after PATH/KO_DATA_PATH
  std::optional<std::string> workdir;
  std::optional<std::string> user;
  std::map<std::string, std::string> labels;
  std::string created;          // RFC 3339, from SOURCE_DATE_EPOCH or the epoch
  std::string history_comment;  // what created our layer
};

// The image config: the base config (unknown fields kept) with our layer appended to
// rootfs.diff_ids and history, and the settings applied. `base_config` is null for scratch.
json::Value make_config(const json::Value& base_config, const Platform& platform,
                        const Digest& layer_diff_id, const ImageSettings& settings);
// The same with several layers (one per binary), each with its history comment.
json::Value make_config(const json::Value& base_config, const Platform& platform,
                        const std::vector<std::pair<Digest, std::string>>& diff_ids_and_comments,
                        const ImageSettings& settings);

// The manifest: the base's layer descriptors unchanged (`base_layers`, from
// Manifest::layers_json(); empty for scratch), then ours; media types from the base's
// family. Annotations only in the OCI family (Docker v2 manifests have none).
json::Value make_manifest(media_type::Family family, const json::Array& base_layers,
                          const Descriptor& config, const Descriptor& layer,
                          const std::map<std::string, std::string>& annotations);
json::Value make_manifest(media_type::Family family, const json::Array& base_layers,
                          const Descriptor& config, const std::vector<Descriptor>& layers,
                          const std::map<std::string, std::string>& annotations);

// The platform an index lists for our image: the base entry's `base_platform` (keeping
// members such as os.version and features; null when the base had none) with our os,
// architecture and variant (none when `platform` has none).
json::Value make_index_platform(const json::Value& base_platform, const Platform& platform);

// An image index over `manifests` (children keep their platform); family from the children.
json::Value make_index(const std::vector<Descriptor>& manifests,
                       const std::map<std::string, std::string>& annotations);

// "1970-01-01T00:00:00Z" for 0; what the `created` fields hold.
std::string rfc3339_utc(int64_t seconds_since_epoch);

// Seconds since 1970 for every timestamp we write, from a SOURCE_DATE_EPOCH value (the
// commands take it from --source-date-epoch, else the environment: cli/environment.hpp);
// 0 when there is none or it is empty. A malformed value is an error.
int64_t parse_source_date_epoch(const std::optional<std::string>& text);

}  // namespace ko
