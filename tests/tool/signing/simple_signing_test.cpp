#include "signing/simple_signing.hpp"

#include <gtest/gtest.h>

#include "oci/media_types.hpp"
#include "util/error.hpp"

namespace ko::simple_signing {
namespace {

const Digest kImage = Digest::of_bytes("an image manifest");

TEST(SimpleSigningTest, PayloadIsTheBytesGoWritesForCosignsStruct) {
  // sigstore's payload.Cosign{Image: …}.MarshalJSON(): fields in struct order (which is
  // also sorted order), no whitespace, "optional" null without annotations.
  EXPECT_EQ(
      payload("127.0.0.1:5000/app", kImage),
      R"({"critical":{"identity":{"docker-reference":"127.0.0.1:5000/app"},"image":{"docker-manifest-digest":")" +
          kImage.str() + R"("},"type":"cosign container image signature"},"optional":null})");
}

TEST(SimpleSigningTest, PayloadRoundTripsThroughTheParser) {
  Claim claim = parse_payload(payload("ghcr.io/org/app", kImage));
  EXPECT_EQ(claim.docker_reference, "ghcr.io/org/app");
  EXPECT_EQ(claim.manifest_digest, kImage.str());
  EXPECT_THROW(parse_payload(R"({"critical":{"type":"atomic container signature"}})"), Error);
  EXPECT_THROW(parse_payload("[]"), Error);
}

TEST(SimpleSigningTest, TagAndDockerReferenceAreCosigns) {
  EXPECT_EQ(signature_tag(kImage), "sha256-" + kImage.hex() + ".sig");
  EXPECT_EQ(docker_reference(Reference::parse_repository("127.0.0.1:5000/a/b")),
            "127.0.0.1:5000/a/b");
  // go-containerregistry names Docker Hub index.docker.io.
  EXPECT_EQ(docker_reference(Reference::parse_repository("docker.io/library/app")),
            "index.docker.io/library/app");
}

TEST(SimpleSigningTest, TagManifestCarriesEachPayloadAsALayerWithItsSignature) {
  const std::string p = payload("r/app", kImage);
  json::Value layer = signature_layer(p, "c2lnbmF0dXJl");
  SignatureManifest m = tag_manifest(json::Array{layer});
  json::Value manifest = json::parse(m.manifest);
  EXPECT_EQ(manifest.get_string("mediaType"), media_type::kOciManifest);
  EXPECT_EQ(manifest["config"].get_string("mediaType"), media_type::kOciConfig);
  EXPECT_EQ(manifest["config"].get_string("digest"), Digest::of_bytes(m.config).str());
  EXPECT_EQ(manifest.get("subject"), nullptr);
  const json::Value& only = manifest["layers"].as_array().at(0);
  EXPECT_EQ(only.get_string("mediaType"), kPayloadMediaType);
  EXPECT_EQ(only.get_string("digest"), Digest::of_bytes(p).str());
  EXPECT_EQ(only.get("annotations")->get_string(std::string(kSignatureAnnotation)), "c2lnbmF0dXJl");
  // The config: go-containerregistry's empty image plus the layer; no time but Go's zero.
  json::Value config = json::parse(m.config);
  EXPECT_EQ(config["rootfs"]["diff_ids"].as_array().at(0).as_string(), Digest::of_bytes(p).str());
  EXPECT_EQ(config.get_string("created"), "0001-01-01T00:00:00Z");
  EXPECT_EQ(config["history"].as_array().size(), 1u);
  // Deterministic: the same layers, the same bytes.
  EXPECT_EQ(tag_manifest(json::Array{layer}).manifest, m.manifest);
}

TEST(SimpleSigningTest, ReferrerManifestNamesItsSubjectAndCosignsArtifactType) {
  json::Value layer = signature_layer(payload("r/app", kImage), "c2ln");
  Descriptor subject{
      .media_type = std::string(media_type::kOciManifest), .digest = kImage, .size = 17};
  json::Value manifest = json::parse(referrer_manifest(json::Array{layer}, subject).manifest);
  EXPECT_EQ(manifest["config"].get_string("mediaType"), kReferrerArtifactType);
  EXPECT_EQ(manifest["subject"].get_string("digest"), kImage.str());
  EXPECT_EQ(manifest["subject"]["size"].as_int(), 17);
}

TEST(SimpleSigningTest, HoldsMatchesPayloadAndSignatureBoth) {
  const std::string p = payload("r/app", kImage);
  json::Array layers =
      layers_of(tag_manifest(json::Array{signature_layer(p, "AAAA")}).manifest, "m");
  EXPECT_TRUE(holds(layers, signature_layer(p, "AAAA")));
  EXPECT_FALSE(holds(layers, signature_layer(p, "BBBB"))) << "another key's signature";
  EXPECT_FALSE(holds(layers, signature_layer(payload("r/other", kImage), "AAAA")));
  EXPECT_THROW(layers_of(R"({"manifests":[]})", "an index"), Error);
}

}  // namespace
}  // namespace ko::simple_signing
