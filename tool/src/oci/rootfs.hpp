// What a base image's filesystem holds, read from its layers' tar headers (whiteouts
// applied): enough to answer "does this path exist once symlinks are followed", e.g.
// whether the ELF interpreter a dynamically linked binary needs is in the base.
#pragma once

#include <map>
#include <string>

#include "oci/base_image.hpp"

namespace ko {

class RootfsIndex {
 public:
  // Reads every layer of `base` (none for scratch).
  static RootfsIndex of(const BaseImage& base);

  void add(const std::string& path, bool is_symlink, const std::string& link_target);
  void remove(const std::string& path);  // a whiteout: the path and everything below it

  // Whether `path` (absolute) names a file once every symlink on the way is followed.
  bool exists(const std::string& path) const;

 private:
  struct Node {
    bool is_symlink = false;
    std::string target;
  };
  std::map<std::string, Node> nodes_;  // "lib/x86_64-linux-gnu/libc.so.6" (no leading slash)
};

}  // namespace ko
