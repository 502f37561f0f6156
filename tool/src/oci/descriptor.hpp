// A content descriptor: what a manifest or index says about a blob it references.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "digest/digest.hpp"
#include "json/json.hpp"

namespace ko {

struct Descriptor {
  std::string media_type;
  Digest digest = Digest::of_bytes("");
  int64_t size = 0;
  // The descriptor's `platform` object exactly as given (it may carry os.version or
  // features we pass through); null when absent.
  json::Value platform;
  std::map<std::string, std::string> annotations;

  // Reads a descriptor; `what` names where it came from for error messages.
  static Descriptor from_json(const json::Value& value, std::string_view what);
  json::Value to_json() const;
};

// Reads a descriptor written by one of our steps (layer.json, image.json, …).
Descriptor read_descriptor_file(const std::filesystem::path& path);

}  // namespace ko
