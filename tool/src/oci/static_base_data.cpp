#include "oci/static_base_data.hpp"

#include "digest/digest.hpp"
#include "json/json.hpp"
#include "util/archive_library.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/tar_reader.hpp"

namespace ko {

namespace fs = std::filesystem;

namespace {

constexpr const char* kZoneinfoRoot = "usr/share/zoneinfo";

// The path of the file `section` of the manifest names, after checking its digest.
fs::path verified_file(const fs::path& dir, const json::Value& section, const std::string& what) {
  fs::path file = dir / section.get_string("file");
  std::error_code ec;
  if (section.get_string("file").empty() || !fs::is_regular_file(file, ec))
    throw Error("static base data: " + file.string() + " (" + what +
                ") is missing; restore it from the repository or run scripts/refresh-base-data");
  const std::string recorded = "sha256:" + section.get_string("sha256");
  const std::string actual = Digest::of_file(file).str();
  if (actual != recorded)
    throw Error("static base data: " + file.string() + " has digest " + actual + ", but " +
                (dir / "manifest.json").string() + " records " + recorded +
                "; restore the file, or run scripts/refresh-base-data and commit both");
  return file;
}

// The entries of the zone info tar under usr/share/zoneinfo: directories, files and
// symlinks only, with fixed modes (the tar's own owners, times and modes are ignored).
std::vector<LayerEntry> zoneinfo_entries(const fs::path& tarball) {
  std::vector<LayerEntry> entries{LayerEntry::directory(kZoneinfoRoot)};
  const std::string what = tarball.string();
  const ArchiveLibrary& libarchive = archive_library();
  read_tar(tarball, what, [&](archive* a, archive_entry* entry) {
    std::string name = libarchive.entry_pathname(entry) ? libarchive.entry_pathname(entry) : "";
    while (name.ends_with('/')) name.pop_back();
    if (name.empty() || name.starts_with('/') || name.find("..") != std::string::npos)
      throw Error(what + ": unexpected entry '" + name + "'");
    const std::string path = std::string(kZoneinfoRoot) + "/" + name;
    switch (libarchive.entry_filetype(entry)) {
      case AE_IFDIR:
        entries.push_back(LayerEntry::directory(path));
        break;
      case AE_IFLNK:
        entries.push_back(LayerEntry::symlink(path, libarchive.entry_symlink(entry)));
        break;
      case AE_IFREG: {
        if (libarchive.entry_hardlink(entry))
          throw Error(what + ": hard link '" + name +
                      "'; regenerate it with scripts/refresh-base-data");
        std::string content;
        read_tar_data(a, what, [&](const char* data, size_t size) { content.append(data, size); });
        entries.push_back(LayerEntry::file_with(path, std::move(content)));
        break;
      }
      default:
        throw Error(what + ": '" + name + "' is not a file, directory or symlink");
    }
  });
  return entries;
}

// os-release(5): says what the base is and which snapshot it carries. Our own ID: the
// base is no Debian (it has no dpkg database), so scanners should not treat it as one.
std::string os_release(const StaticBaseData& data) {
  return "PRETTY_NAME=\"cmake-ko static base\"\n"
         "NAME=\"cmake-ko static\"\n"
         "ID=cmake-ko-static\n"
         "VERSION=\"CA certificates " +
         data.ca_date + " (Debian ca-certificates " + data.ca_version + "), tzdata " +
         data.tz_version +
         "\"\n"
         "CMAKE_KO_CA_CERTIFICATES_VERSION=\"" +
         data.ca_version +
         "\"\n"
         "CMAKE_KO_CA_BUNDLE_DATE=" +
         data.ca_date +
         "\n"
         "CMAKE_KO_TZDATA_VERSION=" +
         data.tz_version + "\n";
}

}  // namespace

std::map<std::string, std::string> StaticBaseData::labels() const {
  return {{"cmake-ko.static-base.ca-bundle-date", ca_date},
          {"cmake-ko.static-base.ca-certificates", ca_version},
          {"cmake-ko.static-base.tzdata", tz_version}};
}

StaticBaseData read_static_base_data(const fs::path& dir) {
  const fs::path manifest_path = dir / "manifest.json";
  std::error_code ec;
  if (!fs::is_regular_file(manifest_path, ec))
    throw Error("static base data: " + manifest_path.string() +
                " is missing; point --data at tool/static-base of cmake-ko");
  json::Value manifest = json::parse(read_file(manifest_path), manifest_path.string());
  const json::Value* ca = manifest.get("ca-certificates");
  const json::Value* tz = manifest.get("tzdata");
  if (!ca || !tz || !ca->is_object() || !tz->is_object())
    throw Error(manifest_path.string() + ": needs \"ca-certificates\" and \"tzdata\" sections");

  StaticBaseData data;
  data.ca_version = ca->get_string("version");
  data.ca_date = ca->get_string("date");
  data.tz_version = tz->get_string("version");
  if (data.ca_version.empty() || data.ca_date.empty() || data.tz_version.empty())
    throw Error(manifest_path.string() + ": needs the version and date of each file");

  data.entries = zoneinfo_entries(verified_file(dir, *tz, "time zone data"));
  data.entries.push_back(LayerEntry::file_with(
      "etc/ssl/certs/ca-certificates.crt", read_file(verified_file(dir, *ca, "CA certificates"))));
  data.entries.push_back(LayerEntry::file_with("etc/os-release", os_release(data)));
  return data;
}

}  // namespace ko
