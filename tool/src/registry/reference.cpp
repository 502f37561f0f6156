#include "registry/reference.hpp"

#include <regex>

#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kDockerHub = "docker.io";

// Repository path components and tags, as the distribution reference grammar has them.
const std::regex& component_pattern() {
  static const std::regex pattern("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  return pattern;
}
const std::regex& tag_pattern() {
  static const std::regex pattern("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  return pattern;
}
const std::regex& registry_pattern() {
  static const std::regex pattern(
      R"((?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?)");
  return pattern;
}

[[noreturn]] void invalid(std::string_view text, const std::string& why) {
  throw Error("invalid image reference '" + std::string(text) + "': " + why);
}

Reference split_name(std::string_view text, std::string_view name) {
  Reference ref;
  size_t slash = name.find('/');
  std::string_view first = name.substr(0, slash);
  bool has_registry =
      slash != std::string_view::npos &&
      (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
       first == "localhost" || first.starts_with('['));
  if (has_registry) {
    ref.registry = std::string(first);
    ref.repository = std::string(name.substr(slash + 1));
  } else {
    ref.registry = std::string(kDockerHub);
    ref.repository = std::string(name);
  }
  if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io")
    ref.registry = kDockerHub;
  if (ref.registry == kDockerHub && ref.repository.find('/') == std::string::npos)
    ref.repository = "library/" + ref.repository;
  if (!std::regex_match(ref.registry, registry_pattern()))
    invalid(text, "bad registry '" + ref.registry + "'");
  if (ref.repository.empty()) invalid(text, "no repository");
  size_t start = 0;
  while (start <= ref.repository.size()) {
    size_t end = ref.repository.find('/', start);
    if (end == std::string::npos) end = ref.repository.size();
    std::string component = ref.repository.substr(start, end - start);
    if (!std::regex_match(component, component_pattern()))
      invalid(text, "repository part '" + component +
                        "' must be lowercase letters, digits and separators");
    start = end + 1;
  }
  return ref;
}

}  // namespace

Reference Reference::parse(std::string_view text) {
  std::string_view rest = text;
  std::optional<Digest> digest;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    digest = Digest::parse(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  std::string tag;
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!std::regex_match(tag, tag_pattern())) invalid(text, "bad tag '" + tag + "'");
  }
  Reference ref = split_name(text, rest);
  ref.digest = digest;
  ref.tag = tag.empty() && !digest ? "latest" : tag;
  return ref;
}

Reference Reference::parse_repository(std::string_view text) {
  if (text.find('@') != std::string_view::npos) invalid(text, "a repository has no digest");
  size_t slash = text.rfind('/');
  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash))
    invalid(text, "a repository has no tag; use TAGS for tags");
  return split_name(text, text);
}

std::string Reference::api_host() const {
  return registry == kDockerHub ? "registry-1.docker.io" : registry;
}

std::string Reference::str() const {
  std::string s = name();
  if (!tag.empty()) s += ":" + tag;
  if (digest) s += "@" + digest->str();
  return s;
}

bool Reference::is_loopback() const {
  std::string host = registry;
  if (host.starts_with('[')) return host.starts_with("[::1]");
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host.starts_with("127.");
}

}  // namespace ko
