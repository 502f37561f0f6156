// Attaching artifacts (SBOMs) to a pushed image the OCI 1.1 way: an artifact manifest whose
// `subject` is the image. Registries with the referrers API index it by itself; for the
// others (Debian's docker-registry 2.8 among them) it is added to the image index tagged
// `sha256-<image hex>`, the referrers tag schema of the distribution spec (what
// `oras discover --distribution-spec v1.1-referrers-tag` reads), and also tagged
// `sha256-<image hex>.<suffix>`, the name cosign-style tools look for.
#pragma once

#include <string>
#include <vector>

#include "oci/descriptor.hpp"
#include "registry/registry_session.hpp"

namespace ko {

struct AttachResult {
  Digest manifest = Digest::of_bytes("");
  int64_t manifest_size = 0;       // of the artifact manifest, an OCI image manifest
  bool via_referrers_api = false;  // else via the fallback tag
  std::string fallback_tag;        // sha256-<hex>.<suffix>
  bool already_present = false;    // attached by an earlier publish; nothing was sent
};

// One artifact of attach_artifacts(): `content` (of `artifact_type`, e.g.
// application/spdx+json) to attach to `subject`, then the outcome.
struct Attachment {
  RegistrySession* client = nullptr;  // authorized to push; all share one HttpClient
  Descriptor subject;
  std::string artifact_type;
  std::string content;
  std::string tag_suffix;
  AttachResult result;
  std::string error;  // why the registry refused it; empty when attached
};

// Attaches the artifacts, at most `parallelism` requests at a time; a refusal is recorded in
// that attachment's `error`.
void attach_artifacts(std::vector<Attachment>& attachments, int parallelism);

}  // namespace ko
