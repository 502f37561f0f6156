#include "gobuild/depfile.hpp"

namespace ko {

namespace {
void append_escaped(std::string& out, const std::string& path) {
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
