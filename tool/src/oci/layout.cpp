#include "oci/layout.hpp"

#include <set>

#include "oci/annotations.hpp"
#include "oci/documents.hpp"
#include "oci/media_types.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace {

void collect(const BlobStore& store, const Descriptor& d, std::vector<Descriptor>& out,
             std::set<Digest>& seen) {
  if (!seen.insert(d.digest).second) return;
  out.push_back(d);
  if (!media_type::is_index(d.media_type) && !media_type::is_manifest(d.media_type)) return;
  const std::string what = "manifest " + d.digest.str();
  if (media_type::is_index(d.media_type)) {
    for (const Descriptor& child : read_index(store, d, what).manifests)
      collect(store, child, out, seen);
    return;
  }
  const Manifest manifest = read_manifest(store, d, what);
  collect(store, manifest.config, out, seen);
  for (const Descriptor& layer : manifest.layers) collect(store, layer, out, seen);
}

}  // namespace

std::vector<Descriptor> reachable_blobs(const BlobStore& store, const Descriptor& top) {
  std::vector<Descriptor> out;
  std::set<Digest> seen;
  collect(store, top, out, seen);
  return out;
}

std::vector<Descriptor> Layout::manifests() const {
  std::filesystem::path index_path = dir_ / "index.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(index_path, ec))
    throw Error(dir_.string() + " is not an OCI image layout (no index.json)");
  return Index::parse(read_file(index_path), index_path.string()).manifests;
}

bool Layout::write(const BlobStore& source, const Descriptor& top,
                   const std::vector<std::string>& ref_names) {
  std::filesystem::create_directories(blobs_.directory());
  std::set<std::string> keep;
  for (const Descriptor& d : reachable_blobs(source, top)) {
    blobs_.import_from(source, d.digest);
    keep.insert(d.digest.hex());
  }

  json::Value layout_marker;
  layout_marker["imageLayoutVersion"] = std::string(media_type::kOciLayout);
  write_file_if_changed(dir_ / "oci-layout", json::dump(layout_marker));

  json::Array entries;
  for (const std::string& ref_name : ref_names) {
    Descriptor tagged = top;
    tagged.platform = nullptr;
    tagged.annotations = {{std::string(annotation::kRefName), ref_name}};
    entries.push_back(tagged.to_json());
  }
  json::Value index;
  index["schemaVersion"] = 2;
  index["mediaType"] = std::string(media_type::kOciIndex);
  index["manifests"] = std::move(entries);
  bool changed = write_file_if_changed(dir_ / "index.json", json::dump(index));

  // Only now, with index.json pointing at the new image, drop blobs of older builds.
  for (const auto& entry : std::filesystem::directory_iterator(blobs_.directory())) {
    if (!keep.contains(entry.path().filename().string())) std::filesystem::remove(entry.path());
  }
  return changed;
}

}  // namespace ko
