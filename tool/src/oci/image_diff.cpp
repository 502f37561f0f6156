#include "oci/image_diff.hpp"

#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "digest/sha256.hpp"
#include "json/json.hpp"
#include "oci/documents.hpp"
#include "oci/media_types.hpp"
#include "oci/platform.hpp"
#include "util/archive_library.hpp"
#include "util/error.hpp"
#include "util/tar_reader.hpp"

namespace ko {

namespace {

// One tar entry as the comparison sees it.
struct TarEntry {
  std::string path, type, link;
  int64_t mode = 0, uid = 0, gid = 0, mtime = 0, size = 0;
  std::string uname, gname, content_sha256;
};

std::vector<TarEntry> read_tar_entries(const std::filesystem::path& blob) {
  std::vector<TarEntry> entries;
  const std::string what = "layer " + blob.string();
  const ArchiveLibrary& libarchive = archive_library();
  read_tar(blob, what, [&](archive* a, archive_entry* entry) {
    TarEntry e;
    e.path = libarchive.entry_pathname(entry) ? libarchive.entry_pathname(entry) : "";
    mode_t type = libarchive.entry_filetype(entry);
    e.type = type == AE_IFDIR   ? "directory"
             : type == AE_IFLNK ? "symlink"
             : type == AE_IFREG ? "file"
                                : "other";
    e.link = libarchive.entry_symlink(entry) ? libarchive.entry_symlink(entry) : "";
    e.mode = libarchive.entry_perm(entry);
    e.uid = libarchive.entry_uid(entry);
    e.gid = libarchive.entry_gid(entry);
    e.uname = libarchive.entry_uname(entry) ? libarchive.entry_uname(entry) : "";
    e.gname = libarchive.entry_gname(entry) ? libarchive.entry_gname(entry) : "";
    e.mtime = libarchive.entry_mtime(entry);
    e.size = libarchive.entry_size(entry);
    Sha256 sha;
    read_tar_data(a, what, [&](const char* data, size_t size) { sha.update(data, size); });
    e.content_sha256 = "sha256:" + sha.finish_hex();
    entries.push_back(std::move(e));
  });
  return entries;
}

std::string compare_entries(const TarEntry& a, const TarEntry& b) {
  auto field = [](const std::string& name, const auto& x, const auto& y) -> std::string {
    std::ostringstream s;
    s << name << " differs (" << x << " vs " << y << ")";
    return s.str();
  };
  if (a.type != b.type) return field("type", a.type, b.type);
  if (a.size != b.size) return field("size", a.size, b.size);
  if (a.content_sha256 != b.content_sha256)
    return field("content", a.content_sha256, b.content_sha256);
  if (a.mode != b.mode) {
    std::ostringstream x, y;
    x << std::oct << a.mode;
    y << std::oct << b.mode;
    return field("mode", x.str(), y.str());
  }
  if (a.uid != b.uid) return field("uid", a.uid, b.uid);
  if (a.gid != b.gid) return field("gid", a.gid, b.gid);
  if (a.uname != b.uname) return field("user name", "'" + a.uname + "'", "'" + b.uname + "'");
  if (a.gname != b.gname) return field("group name", "'" + a.gname + "'", "'" + b.gname + "'");
  if (a.mtime != b.mtime) return field("mtime", a.mtime, b.mtime);
  if (a.link != b.link) return field("link target", a.link, b.link);
  return "";
}

std::string explain_layers(const ImageSide& a, const Descriptor& la, const ImageSide& b,
                           const Descriptor& lb) {
  if (a.ensure) a.ensure(la);
  if (b.ensure) b.ensure(lb);
  std::vector<TarEntry> ea = read_tar_entries(a.store.path_of(la.digest));
  std::vector<TarEntry> eb = read_tar_entries(b.store.path_of(lb.digest));
  for (size_t i = 0; i < std::max(ea.size(), eb.size()); ++i) {
    if (i >= ea.size()) return "tar entry " + eb[i].path + ": only in " + b.label;
    if (i >= eb.size()) return "tar entry " + ea[i].path + ": only in " + a.label;
    if (ea[i].path != eb[i].path)
      return "tar entry " + std::to_string(i + 1) + ": path differs (" + ea[i].path + " vs " +
             eb[i].path + ")";
    std::string field = compare_entries(ea[i], eb[i]);
    if (!field.empty()) return "tar entry " + ea[i].path + ": " + field;
  }
  return "same tar entries, different compressed bytes (compressor or level changed)";
}

json::Value read_json(const ImageSide& side, const Descriptor& d, const std::string& what) {
  if (side.ensure) side.ensure(d);
  return json::parse(side.store.read_verified(d.digest), what);
}

// Keys (one level deep, and inside "config") whose values differ.
std::string differing_keys(const json::Value& a, const json::Value& b) {
  std::set<std::string> keys;
  for (const auto* side : {&a, &b})
    for (const auto& [key, value] : side->as_object()) keys.insert(key);
  std::string out;
  for (const std::string& key : keys) {
    const json::Value* x = a.get(key);
    const json::Value* y = b.get(key);
    if (x && y && *x == *y) continue;
    if (key == "config" && x && y && x->is_object() && y->is_object()) {
      std::string inner = differing_keys(*x, *y);
      std::stringstream parts(inner);
      std::string part;
      while (std::getline(parts, part, ',')) {
        part.erase(0, part.find_first_not_of(' '));
        out += (out.empty() ? "" : ", ") + ("config." + part);
      }
      continue;
    }
    out += (out.empty() ? "" : ", ") + key;
  }
  return out;
}

std::string explain(const ImageSide& a, const Descriptor& da, const ImageSide& b,
                    const Descriptor& db) {
  std::string head = da.digest.str() + " vs " + db.digest.str();
  if (da.digest == db.digest) return "";
  if (media_type::is_index(da.media_type) != media_type::is_index(db.media_type))
    return "one is an image index and the other a single image (" + head + ")";
  if (a.ensure) a.ensure(da);
  if (b.ensure) b.ensure(db);
  if (media_type::is_index(da.media_type)) {
    const Index ia = read_index(a.store, da, a.label);
    const Index ib = read_index(b.store, db, b.label);
    for (const Descriptor& x : ia.manifests) {
      // Children are paired by equal platform (attestation entries too), not chosen for
      // a platform (select_platform): the question is what differs, not what would run.
      std::string platform = Platform::from_json(x.platform).str();
      std::optional<Descriptor> y;
      for (const Descriptor& candidate : ib.manifests) {
        if (Platform::from_json(candidate.platform).str() == platform) y = candidate;
      }
      if (!y) return "index: platform " + platform + " only in " + a.label;
      std::string inner = explain(a, x, b, *y);
      if (!inner.empty())
        return "image for " + platform + ": " + x.digest.str() + " vs " + y->digest.str() + "\n" +
               inner;
    }
    return "index: different platforms or annotations (" + head + ")";
  }
  const Manifest ma = read_manifest(a.store, da, a.label);
  const Manifest mb = read_manifest(b.store, db, b.label);
  const Descriptor& ca = ma.config;
  const Descriptor& cb = mb.config;
  const std::vector<Descriptor>& la = ma.layers;
  const std::vector<Descriptor>& lb = mb.layers;
  if (la.size() != lb.size())
    return "different numbers of layers (" + std::to_string(la.size()) + " vs " +
           std::to_string(lb.size()) + ")";
  for (size_t i = 0; i < la.size(); ++i) {
    const Descriptor& x = la[i];
    const Descriptor& y = lb[i];
    if (x.digest == y.digest) continue;
    return "layer " + std::to_string(i + 1) + " of " + std::to_string(la.size()) + ": " +
           x.digest.str() + " vs " + y.digest.str() + "\n" + explain_layers(a, x, b, y);
  }
  if (ca.digest != cb.digest) {
    json::Value xa = read_json(a, ca, "config");
    json::Value xb = read_json(b, cb, "config");
    return "config " + ca.digest.str() + " vs " + cb.digest.str() + ": differs in " +
           differing_keys(xa, xb);
  }
  return "manifest differs in " + differing_keys(ma.document, mb.document);
}

}  // namespace

std::string explain_difference(const ImageSide& a, const ImageSide& b) {
  if (a.top.digest == b.top.digest) return "";
  return a.label + " is " + a.top.digest.str() + ", " + b.label + " is " + b.top.digest.str() +
         "\n" + explain(a, a.top, b, b.top);
}

}  // namespace ko
