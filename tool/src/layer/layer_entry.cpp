#include "layer/layer_entry.hpp"

#include <algorithm>

#include "util/error.hpp"

namespace ko {

namespace fs = std::filesystem;

LayerEntry LayerEntry::directory(std::string path, uint32_t mode) {
  return {.type = Type::kDirectory, .path = std::move(path), .mode = mode};
}

LayerEntry LayerEntry::file_from(std::string path, fs::path source, uint32_t mode) {
  return {.path = std::move(path), .mode = mode, .source = std::move(source)};
}

LayerEntry LayerEntry::file_with(std::string path, std::string content, uint32_t mode) {
  return {.path = std::move(path), .mode = mode, .content = std::move(content)};
}

LayerEntry LayerEntry::symlink(std::string path, std::string target) {
  return {.type = Type::kSymlink,
          .path = std::move(path),
          .mode = 0777,
          .link_target = std::move(target)};
}

namespace {

bool is_within(const fs::path& path, const fs::path& root) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

}  // namespace

std::vector<LayerEntry> kodata_entries(const fs::path& kodata_dir, const std::string& image_root,
                                       std::vector<fs::path>* host_paths) {
  std::error_code ec;
  if (!fs::is_directory(kodata_dir, ec))
    throw Error("KODATA " + kodata_dir.string() + " is not a directory");
  const fs::path root = fs::canonical(kodata_dir);
  std::vector<LayerEntry> entries;
  entries.push_back(LayerEntry::directory(image_root));
  if (host_paths) host_paths->push_back(root);
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path& host = it->path();
    // Lexical: fs::relative would resolve a symlink and name the entry after its target.
    const std::string inside = image_root + "/" + host.lexically_relative(root).generic_string();
    fs::file_status status = it->symlink_status();
    if (host_paths) host_paths->push_back(host);
    if (fs::is_symlink(status)) {
      fs::path target = fs::read_symlink(host);
      fs::path resolved =
          fs::weakly_canonical(target.is_absolute() ? target : host.parent_path() / target);
      if (!is_within(resolved, root))
        throw Error("KODATA symlink " + host.string() + " points to " + target.string() +
                    ", outside " + root.string() + "; copy the file into KODATA instead");
      entries.push_back(
          LayerEntry::symlink(inside, fs::relative(resolved, host.parent_path()).generic_string()));
    } else if (fs::is_directory(status)) {
      entries.push_back(LayerEntry::directory(inside));
    } else if (fs::is_regular_file(status)) {
      bool executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
      entries.push_back(LayerEntry::file_from(inside, host, executable ? 0555 : 0444));
    } else {
      throw Error("KODATA entry " + host.string() + " is not a file, directory or symlink");
    }
  }
  return entries;
}

}  // namespace ko
