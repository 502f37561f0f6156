// Cosign's signature format ("simple signing"), as cosign v2 writes and verifies it — facts
// from sigstore/sigstore pkg/signature/payload/payload.go (v1.8.9) and sigstore/cosign
// pkg/oci/empty/empty.go, pkg/oci/mutate/signatures.go, pkg/oci/remote/write.go and
// pkg/cosign/verify.go, verifiers.go (v2.4.1):
//
//   payload    {"critical":{"identity":{"docker-reference":"<registry>/<repository>"},
//                "image":{"docker-manifest-digest":"sha256:…"},
//                "type":"cosign container image signature"},"optional":null}
//              (Go's encoding of payload.Cosign without annotations: these bytes exactly)
//   signature  ECDSA P-256 over SHA-256(payload), DER, base64 (standard alphabet)
//   manifest   an OCI image manifest whose layers are the payloads, media type
//              application/vnd.dev.cosign.simplesigning.v1+json, each with the signature in
//              its `dev.cosignproject.cosign/signature` annotation; config: the OCI config
//              go-containerregistry's empty image gets once the layers are appended (no
//              timestamps: cosign records none unless --record-creation-timestamp)
//   where      tagged `sha256-<hex of the signed manifest>.sig` in the image's repository
//   referrer   (cosign --experimental-oci11) the same manifest with config.mediaType
//              application/vnd.dev.cosign.artifact.sig.v1+json and `subject` = the image,
//              pushed by digest, found through the referrers API
//
// cosign verify accepts a manifest when one layer's signature verifies over its payload and
// the payload's docker-manifest-digest is the digest verified. It does not compare the
// docker-reference; `ko-image verify` does. An index and each of its images are signed
// separately (as `cosign sign --recursive` does): a runtime pulling one platform by digest
// finds that image's signature too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "digest/digest.hpp"
#include "json/json.hpp"
#include "oci/descriptor.hpp"
#include "registry/reference.hpp"

namespace ko::simple_signing {

inline constexpr std::string_view kPayloadMediaType =
    "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr std::string_view kSignatureAnnotation = "dev.cosignproject.cosign/signature";
inline constexpr std::string_view kReferrerArtifactType =
    "application/vnd.dev.cosign.artifact.sig.v1+json";
inline constexpr std::string_view kSignatureType = "cosign container image signature";

// "sha256-<hex>.sig": the tag the signatures of `subject` live under.
std::string signature_tag(const Digest& subject);

// The identity cosign claims for an image of `repository`: go-containerregistry's
// Repository.Name(), i.e. "<registry>/<repository>" with Docker Hub as index.docker.io.
std::string docker_reference(const Reference& repository);

// The payload bytes for `subject` in the repository named by `docker_reference`.
std::string payload(std::string_view docker_reference, const Digest& subject);

// What a payload claims. Throws ko::Error when it is not JSON of cosign's type.
struct Claim {
  std::string docker_reference;
  std::string manifest_digest;
};
Claim parse_payload(std::string_view payload);

// The manifest layer carrying `payload` and its base64 `signature`.
json::Value signature_layer(std::string_view payload, std::string_view signature_base64);

// A signature manifest and its config blob, for `layers` (signature_layer values or layers
// of an existing manifest kept as they were).
struct SignatureManifest {
  std::string manifest;
  std::string config;
  Descriptor descriptor() const;  // the manifest's own descriptor
};
SignatureManifest tag_manifest(const json::Array& layers);
// The OCI 1.1 form of cosign's experimental mode: a referrer of `subject`.
SignatureManifest referrer_manifest(const json::Array& layers, const Descriptor& subject);

// The layers of an existing signature manifest (`body`), to keep beside ours. Throws
// ko::Error when `body` is not an image manifest with layers.
json::Array layers_of(std::string_view body, const std::string& what);
// Whether `layers` hold `layer` already (same payload digest and same signature).
bool holds(const json::Array& layers, const json::Value& layer);

}  // namespace ko::simple_signing
