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
}  // namespace

std::string format_depfile(const std::filesystem::path& target,
                           const std::vector<std::filesystem::path>& dependencies) {
  std::string out;
  append_escaped(out, target.string());
  out += ":";
  for (const auto& dependency : dependencies) {
    out += " \\\n  ";
    append_escaped(out, dependency.string());
  }
  out += "\n";
  return out;
}

}  // namespace ko
