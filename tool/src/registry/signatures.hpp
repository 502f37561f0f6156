// Cosign signatures on a registry (the format: signing/simple_signing.hpp).
//
// Pushing (push_signatures), per signed manifest:
//   1. GET the `sha256-<hex>.sig` tag and the subject's referrers (all subjects at once);
//   2. sign the payload (deterministic: the same key and subject give the same bytes);
//   3. when the tag's manifest already holds this exact signature, nothing more for it;
//      otherwise a manifest of the layers there (another key's, cosign's) plus ours, as
//      `cosign sign` appends, re-tagged; new, it is the same bytes every time;
//   4. where the registry answered the referrers request (OCI 1.1), the referrer form too,
//      unless already listed.
// Steps 3 and 4 go through push_images (so blobs already there are not sent again), so a
// second publish of an unchanged image sends GETs and HEADs only.
//
// Verifying (verify_signatures): the tag's manifest, each layer's payload (checked against
// its digest), the signature over it under the key, and the payload's claims.
#pragma once

#include <string>
#include <vector>

#include "oci/descriptor.hpp"
#include "registry/registry_session.hpp"
#include "signing/ec_key.hpp"

namespace ko {

// One manifest to sign, and afterwards what happened.
struct SignatureJob {
  RegistrySession* client = nullptr;  // already authorized to push; all share one HttpClient
  Descriptor subject;
  const SigningKey* key = nullptr;
  bool already_signed = false;             // the tag (and the referrer, if any) held it already
  bool as_referrer = false;                // also attached through the referrers API
  Digest manifest = Digest::of_bytes("");  // the signature manifest under the tag
  std::string error;                       // empty when signed
};

// Signs every job's subject, at most `parallelism` requests at a time; a failure is
// recorded in that job's `error`.
void push_signatures(std::vector<SignatureJob>& jobs, int parallelism);

// Checks the signatures of `subject` in the client's repository under `key`: at least one
// must verify and claim this digest and repository. Returns how many verified; throws
// ko::Error saying why none did (no signature tag, a payload that does not match its
// signature, a signature by another key, a claim about another image).
int verify_signatures(RegistrySession& client, const Descriptor& subject,
                      const VerificationKey& key);

}  // namespace ko
