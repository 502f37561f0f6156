#include "oci/platform.hpp"

#include <array>
#include <vector>

#include "util/error.hpp"

namespace ko {

namespace {

struct Architecture {
  std::string_view name;
  std::array<std::string_view, 4> variants;  // accepted variants; empty = none
};

// The Linux architectures Go can build for without cgo (each has an ELF identity in
// gobuild/elf.cpp; a test checks the two tables agree).
constexpr std::array<Architecture, 13> kArchitectures{{
    {"amd64", {"v1", "v2", "v3", "v4"}},
    {"arm64", {"v8"}},
    {"arm", {"v5", "v6", "v7"}},
    {"386", {}},
    {"ppc64le", {}},
    {"ppc64", {}},
    {"s390x", {}},
    {"riscv64", {}},
    {"mips64le", {}},
    {"mips64", {}},
    {"mipsle", {}},
    {"mips", {}},
    {"loong64", {}},
}};

const Architecture* find_architecture(std::string_view name) {
  for (const auto& arch : kArchitectures) {
    if (arch.name == name) return &arch;
  }
  return nullptr;
}

std::string accepted_list() {
  std::string list;
  for (const auto& arch : kArchitectures)
    list += (list.empty() ? "" : ", ") + std::string(arch.name);
  return list;
}

}  // namespace

Platform Platform::parse(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash; (slash = text.find('/', start)) != std::string_view::npos; start = slash + 1)
    parts.emplace_back(text.substr(start, slash - start));
  parts.emplace_back(text.substr(start));
  const std::string quoted = "'" + std::string(text) + "'";
  bool empty_part = false;
  for (const auto& part : parts) empty_part = empty_part || part.empty();
  if (parts.size() < 2 || parts.size() > 3 || empty_part)
    throw Error("invalid platform " + quoted +
                ": expected os/architecture[/variant], e.g. linux/arm64");
  Platform p{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  if (p.os != "linux")
    throw Error("unsupported platform " + quoted + ": only linux images are supported");
  const Architecture* arch = find_architecture(p.architecture);
  if (!arch)
    throw Error("unsupported platform " + quoted + ": architecture must be one of " +
                accepted_list());
  if (!p.variant.empty()) {
    bool known = false;
    std::string variants;
    for (auto v : arch->variants) {
      if (v.empty()) continue;
      known = known || v == p.variant;
      variants += (variants.empty() ? "" : ", ") + std::string(v);
    }
    if (!known)
      throw Error("unsupported platform " + quoted + ": " + p.architecture +
                  (variants.empty() ? " has no variants" : " variants are " + variants));
  }
  return p;
}

Platform Platform::from_json(const json::Value& platform) {
  Platform p;
  p.os = platform.get_string("os");
  p.architecture = platform.get_string("architecture");
  p.variant = platform.get_string("variant");
  return p;
}

std::string Platform::str() const {
  return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
}

std::string Platform::slug() const {
  return os + "-" + architecture + (variant.empty() ? "" : "-" + variant);
}

json::Value Platform::to_json() const {
  json::Value v;
  v["architecture"] = architecture;
  v["os"] = os;
  if (!variant.empty()) v["variant"] = variant;
  return v;
}

std::vector<std::string> Platform::known_architectures() {
  std::vector<std::string> names;
  for (const auto& arch : kArchitectures) names.emplace_back(arch.name);
  return names;
}

}  // namespace ko
