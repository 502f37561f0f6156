// Image references as people write them: "cgr.dev/chainguard/static:latest",
// "127.0.0.1:5000/app@sha256:…", "golang" (Docker Hub: docker.io/library/golang:latest).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "digest/digest.hpp"

namespace ko {

struct Reference {
  std::string registry;    // "docker.io", "ghcr.io", "127.0.0.1:5000"
  std::string repository;  // "library/golang", "org/app"
  std::string tag;         // empty when only a digest was given
  std::optional<Digest> digest;

  // Parses and normalises (Docker Hub defaults, "library/" for one-part Hub names,
  // "latest" when neither tag nor digest is given). Throws ko::Error naming the text.
  static Reference parse(std::string_view text);
  // Parses "registry/repository" with no tag or digest (where images are pushed).
  static Reference parse_repository(std::string_view text);

  // The host the registry API lives on ("registry-1.docker.io" for Docker Hub).
  std::string api_host() const;
  std::string name() const { return registry + "/" + repository; }
  // "registry/repository:tag@sha256:…" with whichever parts are set.
  std::string str() const;
  // Whether the registry is on this machine (localhost, 127.0.0.0/8, [::1]).
  bool is_loopback() const;
  // The tag, or the digest, as used in /v2/<name>/manifests/<this>.
  std::string identifier() const { return digest ? digest->str() : tag; }
};

}  // namespace ko
