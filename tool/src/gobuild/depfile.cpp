#include "gobuild/depfile.hpp"

#include "util/error.hpp"

namespace ko {

namespace {
void append_escaped(std::string& out, const std::string& path) {
  // Ninja's depfile syntax has no escape for a line break (found by fuzz.depfile).
  if (path.find_first_of("\r\n") != std::string::npos)
    throw Error("the path '" + path.substr(0, path.find_first_of("\r\n")) +
                "…' holds a line break, which a Ninja depfile cannot list; rename it");
  for (char c : path) {
    if (c == ' ' || c == '#') out.push_back('\\');
    if (c == '$') out.push_back('$');
    out.push_back(c);
  }
}

// Lexically, as CMake compares them: the paths come from CMake's own strings.
std::string ninja_path(const std::filesystem::path& path, const std::filesystem::path& ninja_dir) {
  if (ninja_dir.empty() || !path.is_absolute()) return path.string();
  std::string dir = ninja_dir.string();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const std::string text = path.string();
  if (text.size() > dir.size() + 1 && text.starts_with(dir) && text[dir.size()] == '/')
    return text.substr(dir.size() + 1);
  return text;
}
}  // namespace

std::string format_depfile(const std::filesystem::path& target,
                           const std::vector<std::filesystem::path>& dependencies,
                           const std::filesystem::path& ninja_dir) {
  std::string out;
  append_escaped(out, ninja_path(target, ninja_dir));
  out += ":";
  for (const auto& dependency : dependencies) {
    out += " \\\n  ";
    append_escaped(out, ninja_path(dependency, ninja_dir));
  }
  out += "\n";
  return out;
}

}  // namespace ko
