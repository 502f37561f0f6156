// Typed views of the documents an image is made of: the image manifest, the image index
// (an OCI index or a Docker manifest list) and the image config. Each is parsed once and
// its required members checked, and each keeps what it was read from: `bytes`, whose
// digest names it, and `document`, the whole JSON value with the members we do not model
// (an image built on a base passes those on, so nothing the base said is lost).
//
// Errors are one-line ko::Error messages naming the document (`what`, e.g. "base image X
// manifest sha256:…") and the member: `… manifest sha256:…: "layers" is missing`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.hpp"
#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"
#include "oci/platform.hpp"

namespace ko {

// An image manifest (OCI or Docker schema 2). Required: config, layers.
struct Manifest {
  std::string bytes;
  json::Value document;
  std::string media_type;  // empty when absent (OCI allows that; the descriptor says it)
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;

  static Manifest parse(std::string bytes, std::string_view what);

  // The layer descriptors exactly as the document has them (urls, annotations and any
  // other member kept). A manifest built on this one copies these, not `layers`: our own
  // Descriptor::to_json() writes only the members it models.
  const json::Array& layers_json() const;
};

// An image index or manifest list. Required: manifests.
struct Index {
  std::string bytes;
  json::Value document;
  std::string media_type;  // empty when absent
  std::vector<Descriptor> manifests;
  std::map<std::string, std::string> annotations;

  static Index parse(std::string bytes, std::string_view what);

  // The entry serving `platform` (oci/select_platform.hpp), or nullptr.
  const Descriptor* manifest_for(const Platform& platform) const;
};

// An image config. Required: os and architecture; variant optional.
struct ImageConfig {
  std::string bytes;
  json::Value document;
  Platform platform;

  static ImageConfig parse(std::string bytes, std::string_view what);
};

// Reads the blob `descriptor` names from `store` (verified against its digest) and parses it.
Manifest read_manifest(const BlobStore& store, const Descriptor& descriptor, std::string_view what);
Index read_index(const BlobStore& store, const Descriptor& descriptor, std::string_view what);
ImageConfig read_config(const BlobStore& store, const Descriptor& descriptor,
                        std::string_view what);

}  // namespace ko
