// What goes into a layer: files, directories and symlinks at paths inside the image.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ko {

struct LayerEntry {
  enum class Type { kDirectory, kFile, kSymlink };

  Type type = Type::kFile;
  std::string path;  // inside the image, relative ("ko-app/hello"), no trailing slash
  uint32_t mode = 0644;
  int64_t uid = 0;
  int64_t gid = 0;
  std::filesystem::path source;  // kFile: host file whose bytes to copy, or…
  std::string content;           // …these bytes, when `source` is empty
  std::string link_target;       // kSymlink

  static LayerEntry directory(std::string path, uint32_t mode = 0755);
  static LayerEntry file_from(std::string path, std::filesystem::path source, uint32_t mode);
  static LayerEntry file_with(std::string path, std::string content, uint32_t mode = 0644);
  static LayerEntry symlink(std::string path, std::string target);
};

// Reads a KODATA directory into entries under `image_root` (e.g. "var/run/ko"). Files
// keep only their executable bit (0555 or 0444), so umask and checkout tools do not
// change the layer. Symlinks stay symlinks with a relative target; one that points
// outside `kodata_dir` is an error. When `host_paths` is given, every host file,
// directory and symlink read is appended to it (the step's depfile inputs).
std::vector<LayerEntry> kodata_entries(const std::filesystem::path& kodata_dir,
                                       const std::string& image_root,
                                       std::vector<std::filesystem::path>* host_paths = nullptr);

}  // namespace ko
