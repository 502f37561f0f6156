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

  // Reads a descriptor (an object with mediaType, digest and size; platform, when given,
  // an object or null); `what` names where it came from for error messages. Members not
  // listed above are dropped.
  static Descriptor from_json(const json::Value& value, std::string_view what);
  // Only the members above. Deliberately no unknown ones: our layer.json files carry
  // diffID, compression and interpreter, which must not reach a manifest (every digest
  // would change). To pass a base's layer descriptors on whole, copy
  // Manifest::layers_json() (oci/documents.hpp).
  json::Value to_json() const;
};

// Reads a descriptor written by one of our steps (layer.json, image.json, …).
Descriptor read_descriptor_file(const std::filesystem::path& path);

}  // namespace ko
