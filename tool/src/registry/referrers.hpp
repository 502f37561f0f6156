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
#include "registry/registry_client.hpp"

namespace ko {

struct AttachResult {
  Digest manifest = Digest::of_bytes("");
  int64_t manifest_size = 0;       // of the artifact manifest, an OCI image manifest
  bool via_referrers_api = false;  // else via the fallback tag
  std::string fallback_tag;        // sha256-<hex>.<suffix>
  bool already_present = false;    // attached by an earlier publish; nothing was sent
};

// Pushes `content` (of `artifact_type`, e.g. application/spdx+json) as an artifact whose
// subject is `subject`, through a client already authorized to push (push_image does that).
// Throws ko::Error when the registry rejects it.
AttachResult attach_artifact(RegistryClient& client, const Descriptor& subject,
                             const std::string& artifact_type, const std::string& content,
                             const std::string& tag_suffix);

// One artifact of attach_artifacts(): the arguments of attach_artifact, then its outcome.
struct Attachment {
  RegistryClient* client = nullptr;  // the clients of all attachments share one HttpClient
  Descriptor subject;
  std::string artifact_type;
  std::string content;
  std::string tag_suffix;
  AttachResult result;
  std::string error;  // why the registry refused it; empty when attached
};

// Attaches several artifacts at once, at most `parallelism` requests at a time, each as
// attach_artifact does; a refusal is recorded in that attachment's `error`.
void attach_artifacts(std::vector<Attachment>& attachments, int parallelism);

}  // namespace ko
