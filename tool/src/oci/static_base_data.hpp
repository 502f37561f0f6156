// The pinned data of the built-in static base (tool/static-base/, written by
// scripts/refresh-base-data): the CA bundle and the zone info, and the manifest that
// records their SHA-256, versions and dates.
//
// The files are checked against the manifest before they are used, so the base has the
// same bytes on every machine: a build never picks up the machine's own ca-certificates
// or tzdata, and a changed or corrupted snapshot stops the build instead of silently
// giving another digest.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "layer/layer_entry.hpp"

namespace ko {

struct StaticBaseData {
  std::string ca_version;  // Debian ca-certificates, e.g. 20230311+deb12u1
  std::string ca_date;     // the NSS snapshot's date, e.g. 2023-03-11
  std::string tz_version;  // IANA tzdata, e.g. 2025b
  // etc/ssl/certs/ca-certificates.crt, usr/share/zoneinfo/…, etc/os-release.
  std::vector<LayerEntry> entries;

  // Config labels that make the snapshot visible on every image built on the base.
  std::map<std::string, std::string> labels() const;
};

// Reads `dir`/manifest.json and the files it names; throws ko::Error naming the file when
// one is missing or its digest is not the recorded one.
StaticBaseData read_static_base_data(const std::filesystem::path& dir);

}  // namespace ko
