#include "registry/registry_error.hpp"

#include "json/json.hpp"

namespace ko {

namespace {

// A registry's words go into our one-line error: control characters (a newline would
// break the line, found by fuzz.registry_error) become spaces, and a long text is cut.
std::string one_line(std::string text) {
  constexpr size_t kMaxLength = 512;
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (text.size() > kMaxLength) text = text.substr(0, kMaxLength) + "…";
  return text;
}

std::string message(const std::string& registry, const HttpResponse& response,
                    const std::string& what) {
  if (response.status == 401)
    return "registry " + registry + " refused the credentials (" + describe_error(response) + ")";
  return what + ": " + describe_error(response);
}

}  // namespace

std::vector<RegistryErrorEntry> parse_error_body(const std::string& body) {
  std::vector<RegistryErrorEntry> entries;
  try {
    json::Value parsed = json::parse(body, "error body");
    if (const json::Value* errors = parsed.get("errors"); errors && errors->is_array()) {
      for (const json::Value& e : errors->as_array())
        entries.push_back({e.get_string("code"), e.get_string("message")});
    }
  } catch (const Error&) {
  }
  return entries;
}

std::string describe_error(const HttpResponse& response) {
  const std::string attempts =
      response.attempts > 1 ? " (after " + std::to_string(response.attempts) + " attempts)" : "";
  if (response.status == 0)
    return one_line(response.transport_error) + attempts +
           (response.deadline_passed ? "; KO_REGISTRY_TIMEOUT (seconds) sets the deadline" : "");
  std::string text;
  for (const RegistryErrorEntry& e : parse_error_body(response.body)) {
    if (!text.empty()) text += "; ";
    text += e.code + ": " + e.message;
  }
  return "HTTP " + std::to_string(response.status) + (text.empty() ? "" : " " + one_line(text)) +
         attempts;
}

RegistryError::RegistryError(const std::string& registry, const HttpResponse& response,
                             const std::string& what)
    : Error(message(registry, response, what)),
      status_(response.status),
      errors_(parse_error_body(response.body)) {}

}  // namespace ko
