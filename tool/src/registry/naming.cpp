#include "registry/naming.hpp"

#include <algorithm>

#include "digest/encoding.hpp"
#include "util/error.hpp"

namespace ko {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
}  // namespace

Naming parse_naming(const std::string& text) {
  if (text == "default") return Naming::kDefault;
  if (text == "bare") return Naming::kBare;
  if (text == "base") return Naming::kBase;
  if (text == "preserve") return Naming::kPreserve;
  throw Error("unknown naming '" + text + "': use default, bare, base or preserve");
}

std::string repository_for(const std::string& docker_repo, const std::string& import_path,
                           Naming naming) {
  std::string repo = docker_repo;
  while (!repo.empty() && repo.back() == '/') repo.pop_back();
  const std::string base = import_path.substr(import_path.rfind('/') + 1);
  switch (naming) {
    case Naming::kBare:
      return repo;
    case Naming::kBase:
      return repo + "/" + lower(base);
    case Naming::kPreserve:
      return repo + "/" + lower(import_path);
    case Naming::kDefault:
      break;
  }
  return repo + "/" + lower(base) + "-" + md5_hex(import_path);
}

}  // namespace ko
