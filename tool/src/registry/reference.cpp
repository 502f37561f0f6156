#include "registry/reference.hpp"

#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kDockerHub = "docker.io";

// The distribution reference grammar, matched by hand rather than with std::regex: a regex
// is compiled at every helper start (about 0.8 ms, 2.8 million instructions, in each step
// that reads a reference), and libstdc++ matches it by recursion, one level per character,
// so a long hostile reference could overflow the stack.
bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*
bool is_path_component(std::string_view s) {
  size_t i = 0;
  for (;;) {
    const size_t run = i;
    while (i < s.size() && is_lower_alnum(s[i])) ++i;
    if (i == run) return false;  // empty, or a separator where letters or digits must be
    if (i == s.size()) return true;
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      i += i + 1 < s.size() && s[i + 1] == '_' ? 2 : 1;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

// [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
bool is_tag(std::string_view s) {
  if (s.empty() || s.size() > 128 || !(is_alnum(s[0]) || s[0] == '_')) return false;
  for (char c : s)
    if (!(is_alnum(c) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

// (?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?
bool is_registry(std::string_view s) {
  size_t host_end;
  if (s.starts_with('[')) {
    host_end = s.find(']');
    if (host_end == std::string_view::npos || host_end == 1) return false;
    for (char c : s.substr(1, host_end - 1))
      if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
            c == '.'))
        return false;
    ++host_end;
  } else {
    host_end = s.find(':');
    if (host_end == std::string_view::npos) host_end = s.size();
    std::string_view host = s.substr(0, host_end);
    size_t start = 0;
    for (;;) {  // dot-separated labels, none empty
      size_t dot = host.find('.', start);
      std::string_view label =
          host.substr(start, dot == std::string_view::npos ? dot : dot - start);
      if (label.empty()) return false;
      for (char c : label)
        if (!(is_alnum(c) || c == '-')) return false;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  if (host_end == s.size()) return true;
  std::string_view port = s.substr(host_end);
  if (port.size() < 2 || port[0] != ':') return false;
  for (char c : port.substr(1))
    if (!is_digit(c)) return false;
  return true;
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
  if (!is_registry(ref.registry)) invalid(text, "bad registry '" + ref.registry + "'");
  if (ref.repository.empty()) invalid(text, "no repository");
  size_t start = 0;
  while (start <= ref.repository.size()) {
    size_t end = ref.repository.find('/', start);
    if (end == std::string::npos) end = ref.repository.size();
    std::string component = ref.repository.substr(start, end - start);
    if (!is_path_component(component))
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
    if (!is_tag(tag)) invalid(text, "bad tag '" + tag + "'");
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
