#include "oci/rootfs.hpp"

#include <memory>
#include <vector>

#include "util/archive_library.hpp"
#include "util/error.hpp"
#include "util/tar_reader.hpp"

namespace ko {

namespace {

// "./a//b/" → "a/b"
std::string clean(std::string path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "/") + part;
  return out;
}

}  // namespace

RootfsIndex RootfsIndex::of(const BaseImage& base) {
  RootfsIndex index;
  if (base.is_scratch() || !base.blobs) return index;
  const ArchiveLibrary& libarchive = archive_library();
  for (const Descriptor& d : base.manifest->layers) {
    read_tar(base.blobs->path_of(d.digest), "base layer " + d.digest.str(),
             [&](archive*, archive_entry* entry) {
               std::string path =
                   clean(libarchive.entry_pathname(entry) ? libarchive.entry_pathname(entry) : "");
               size_t slash = path.rfind('/');
               std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
               std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
               if (name == ".wh..wh..opq") {  // opaque directory: drop what lower layers had
                 index.remove(dir);
                 index.add(dir, false, "");
               } else if (name.starts_with(".wh.")) {
                 index.remove((dir.empty() ? "" : dir + "/") + name.substr(4));
               } else {
                 bool is_symlink = libarchive.entry_filetype(entry) == AE_IFLNK;
                 const char* target = libarchive.entry_symlink(entry);
                 const char* hardlink = libarchive.entry_hardlink(entry);
                 index.add(path, is_symlink, is_symlink && target ? target : "");
                 if (hardlink) index.add(path, false, "");
               }
             });
  }
  return index;
}

void RootfsIndex::add(const std::string& path, bool is_symlink, const std::string& link_target) {
  nodes_[clean(path)] = Node{is_symlink, link_target};
}

void RootfsIndex::remove(const std::string& path) {
  const std::string cleaned = clean(path);
  for (auto it = nodes_.lower_bound(cleaned); it != nodes_.end();) {
    if (it->first != cleaned && !it->first.starts_with(cleaned + "/")) break;
    it = nodes_.erase(it);
  }
}

bool RootfsIndex::exists(const std::string& path) const {
  std::string pending = clean(path);  // what is left to walk, relative to the root
  std::string resolved;               // walked so far, symlinks followed
  for (int hops = 0; hops < 40;) {
    if (pending.empty()) return resolved.empty() || nodes_.contains(resolved);
    size_t slash = pending.find('/');
    std::string part = pending.substr(0, slash);
    pending = slash == std::string::npos ? "" : pending.substr(slash + 1);
    std::string candidate = resolved.empty() ? part : resolved + "/" + part;
    auto node = nodes_.find(candidate);
    if (node == nodes_.end()) return false;
    if (!node->second.is_symlink) {
      resolved = candidate;
      continue;
    }
    ++hops;
    const std::string& target = node->second.target;
    std::string base = target.starts_with('/') ? "" : resolved;
    pending =
        clean((base.empty() ? "" : base + "/") + target + (pending.empty() ? "" : "/" + pending));
    resolved.clear();
  }
  return false;  // a symlink loop
}

}  // namespace ko
