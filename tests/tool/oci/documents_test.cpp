#include "oci/documents.hpp"

#include <gtest/gtest.h>

#include <string>

#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');
const std::string kC = "sha256:" + std::string(64, 'c');

// Hand-written, not canonical (spaces, key order): the bytes must survive as they are.
const std::string kManifest = R"({ "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": ")" +
                              kA + R"(", "size": 7},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": ")" +
                              kB + R"(", "size": 10,
     "urls": ["https://example.com/layer"], "annotations": {"x": "y"}, "x-unknown": 1}
  ],
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": ")" +
                              kC + R"(", "size": 3},
  "annotations": {"org.opencontainers.image.base.name": "example.com/base"},
  "x-vendor": {"kept": true}
})";

// --- Manifest --------------------------------------------------------------------------------

TEST(Manifest, ReadsTheModelledMembers) {
  Manifest m = Manifest::parse(kManifest, "m");
  EXPECT_EQ(m.media_type, media_type::kOciManifest);
  EXPECT_EQ(m.config.digest.str(), kA);
  EXPECT_EQ(m.config.size, 7);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(m.layers[0].digest.str(), kB);
  EXPECT_EQ(m.layers[0].annotations.at("x"), "y");
  ASSERT_TRUE(m.subject);
  EXPECT_EQ(m.subject->digest.str(), kC);
  EXPECT_EQ(m.annotations.at("org.opencontainers.image.base.name"), "example.com/base");
}

TEST(Manifest, KeepsTheOriginalBytesAndUnknownMembers) {
  Manifest m = Manifest::parse(kManifest, "m");
  EXPECT_EQ(m.bytes, kManifest);
  EXPECT_EQ(Digest::of_bytes(m.bytes), Digest::of_bytes(kManifest));
  ASSERT_NE(m.document.get("x-vendor"), nullptr);
  EXPECT_EQ(json::dump(*m.document.get("x-vendor")), R"({"kept":true})");
}

// The base's layer descriptors go into our manifest whole: urls, annotations, unknown members.
TEST(Manifest, LayersJsonIsVerbatim) {
  Manifest m = Manifest::parse(kManifest, "m");
  ASSERT_EQ(m.layers_json().size(), 1u);
  EXPECT_EQ(json::dump(m.layers_json()[0]),
            R"({"annotations":{"x":"y"},"digest":")" + kB +
                R"(","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":10,)"
                R"("urls":["https://example.com/layer"],"x-unknown":1})");
  Descriptor config{
      .media_type = std::string(media_type::kOciConfig), .digest = Digest::parse(kA), .size = 7};
  json::Value built = make_manifest(media_type::Family::kOci, m.layers_json(), config,
                                    std::vector<Descriptor>{}, {});
  EXPECT_EQ(built["layers"].as_array()[0], m.layers_json()[0]);
}

// Descriptor::to_json() keeps only what it models: a layer.json's own fields never leak.
TEST(Manifest, OurDescriptorsDropUnmodelledMembers) {
  json::Value layer_json =
      json::parse(R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",
      "digest":")" +
                  kB + R"(","size":10,"diffID":")" + kC +
                  R"(","compression":"gzip","interpreter":"/lib/ld.so"})");
  EXPECT_EQ(json::dump(Descriptor::from_json(layer_json, "layer.json").to_json()),
            R"({"digest":")" + kB +
                R"(","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":10})");
}

TEST(Manifest, OptionalMembersMayBeAbsent) {
  Manifest m = Manifest::parse(
      R"({"config":{"mediaType":"c","digest":")" + kA + R"(","size":1},"layers":[]})", "m");
  EXPECT_EQ(m.media_type, "");
  EXPECT_TRUE(m.layers.empty());
  EXPECT_FALSE(m.subject);
  EXPECT_TRUE(m.annotations.empty());
}

TEST(Manifest, ErrorsNameTheDocumentAndTheMember) {
  const std::string config = R"("config":{"mediaType":"c","digest":")" + kA + R"(","size":1})";
  struct Case {
    std::string json, message;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"layers":[]})", R"(base manifest: "config" is missing)"},
           {"{" + config + "}", R"(base manifest: "layers" is missing)"},
           {"{" + config + R"(,"layers":{}})", R"(base manifest: "layers" is not a JSON array)"},
           {"{" + config + R"(,"layers":[1]})",
            "base manifest layers[0]: a descriptor must be a JSON object"},
           {"{" + config + R"(,"layers":[{"mediaType":"x","size":1}]})",
            "base manifest layers[0]: descriptor needs mediaType, digest and size"},
           {"{" + config + R"(,"layers":[],"mediaType":2})",
            R"(base manifest: "mediaType" is not a JSON string)"},
           {"{" + config + R"(,"layers":[],"annotations":[]})",
            R"(base manifest: "annotations" is not a JSON object)"},
           {"{" + config + R"(,"layers":[],"annotations":{"k":1}})",
            "base manifest: annotation k is not a JSON string"},
           {"{" + config + R"(,"layers":[],"subject":"x"})",
            "base manifest subject: a descriptor must be a JSON object"},
           {R"({"config":"x","layers":[]})",
            "base manifest config: a descriptor must be a JSON object"},
           {"[]", "base manifest: not a JSON object"},
       }) {
    SCOPED_TRACE(c.json);
    EXPECT_EQ(testing::message_of<Error>([&] { Manifest::parse(c.json, "base manifest"); }),
              c.message);
  }
  EXPECT_NE(testing::message_of<Error>([] {
              Manifest::parse("{", "base manifest");
            }).find("base manifest"),
            std::string::npos);
}

// --- Descriptor (stricter) -----------------------------------------------------------------

TEST(Descriptor, PlatformMustBeAnObjectOrNull) {
  const std::string head = R"({"mediaType":"m","digest":")" + kA + R"(","size":1,"platform":)";
  EXPECT_EQ(testing::message_of<Error>(
                [&] { Descriptor::from_json(json::parse(head + R"("linux/amd64"})"), "e"); }),
            "e: platform must be a JSON object");
  EXPECT_EQ(
      testing::message_of<Error>([&] { Descriptor::from_json(json::parse(head + "[]}"), "e"); }),
      "e: platform must be a JSON object");
  EXPECT_TRUE(Descriptor::from_json(json::parse(head + "null}"), "e").platform.is_null());
  EXPECT_EQ(Descriptor::from_json(json::parse(head + R"({"os":"linux"}})"), "e").platform,
            json::parse(R"({"os":"linux"})"));
}

TEST(Descriptor, NegativeSizeIsAnError) {
  EXPECT_EQ(testing::message_of<Error>([] {
              Descriptor::from_json(
                  json::parse(R"({"mediaType":"m","digest":")" + kA + R"(","size":-1})"), "e");
            }),
            "e: negative size");
}

// --- Index -----------------------------------------------------------------------------------

const std::string kIndex = R"({"schemaVersion":2,
  "mediaType":"application/vnd.oci.image.index.v1+json",
  "manifests":[
    {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                           kA + R"(","size":1,
     "platform":{"os":"linux","architecture":"amd64"}},
    {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                           kB + R"(","size":2,
     "platform":{"os":"linux","architecture":"arm64","variant":"v8"}}
  ],
  "annotations":{"a":"b"},
  "x-unknown":[1,2]})";

TEST(Index, ReadsEntriesKeepsBytesAndUnknownMembers) {
  Index index = Index::parse(kIndex, "index");
  EXPECT_EQ(index.media_type, media_type::kOciIndex);
  ASSERT_EQ(index.manifests.size(), 2u);
  EXPECT_EQ(index.manifests[1].digest.str(), kB);
  EXPECT_EQ(index.annotations.at("a"), "b");
  EXPECT_EQ(index.bytes, kIndex);
  EXPECT_NE(index.document.get("x-unknown"), nullptr);
}

TEST(Index, ManifestForUsesThePlatformRule) {
  Index index = Index::parse(kIndex, "index");
  EXPECT_EQ(index.manifest_for(Platform::parse("linux/amd64")), &index.manifests[0]);
  EXPECT_EQ(index.manifest_for(Platform::parse("linux/arm64")), &index.manifests[1]);
  EXPECT_EQ(index.manifest_for(Platform::parse("linux/s390x")), nullptr);
}

TEST(Index, Errors) {
  EXPECT_EQ(testing::message_of<Error>([] { Index::parse(R"({"mediaType":"x"})", "ix"); }),
            R"(ix: "manifests" is missing)");
  EXPECT_EQ(testing::message_of<Error>([] { Index::parse(R"({"manifests":"x"})", "ix"); }),
            R"(ix: "manifests" is not a JSON array)");
  EXPECT_EQ(testing::message_of<Error>([] { Index::parse(R"({"manifests":[null]})", "ix"); }),
            "ix manifests[0]: a descriptor must be a JSON object");
  EXPECT_EQ(testing::message_of<Error>([] {
              Index::parse(R"({"manifests":[{"mediaType":"m","digest":")" + kA +
                               R"(","size":1,"platform":"linux"}]})",
                           "ix");
            }),
            "ix manifests[0]: platform must be a JSON object");
}

// --- ImageConfig -----------------------------------------------------------------------------

TEST(ImageConfig, ReadsPlatformKeepsEverythingElse) {
  const std::string bytes =
      R"({"architecture":"arm","config":{"Env":["A=1"]},"os":"linux","variant":"v7","x":1})";
  ImageConfig config = ImageConfig::parse(bytes, "config");
  EXPECT_EQ(config.platform, Platform::parse("linux/arm/v7"));
  EXPECT_EQ(config.bytes, bytes);
  EXPECT_EQ(json::dump(config.document), bytes);  // canonical already: nothing lost
  EXPECT_EQ(ImageConfig::parse(R"({"architecture":"amd64","os":"linux"})", "c").platform.variant,
            "");
}

TEST(ImageConfig, OsAndArchitectureAreRequired) {
  EXPECT_EQ(
      testing::message_of<Error>([] { ImageConfig::parse(R"({"architecture":"amd64"})", "cfg"); }),
      R"(cfg: "os" is missing)");
  EXPECT_EQ(testing::message_of<Error>([] { ImageConfig::parse(R"({"os":"linux"})", "cfg"); }),
            R"(cfg: "architecture" is missing)");
  EXPECT_EQ(testing::message_of<Error>(
                [] { ImageConfig::parse(R"({"os":1,"architecture":"amd64"})", "cfg"); }),
            R"(cfg: "os" is not a JSON string)");
  EXPECT_EQ(testing::message_of<Error>([] {
              ImageConfig::parse(R"({"os":"linux","architecture":"amd64","variant":[]})", "cfg");
            }),
            R"(cfg: "variant" is not a JSON string)");
}

// --- read_* from a blob store ----------------------------------------------------------------

TEST(ReadDocuments, VerifyTheBlobAndKeepItsBytes) {
  testing::TempDir dir;
  BlobStore store(dir.path());
  const std::string config = R"({"architecture":"amd64","os":"linux"})";
  Descriptor config_descriptor{.media_type = std::string(media_type::kOciConfig),
                               .digest = store.put(config),
                               .size = static_cast<int64_t>(config.size())};
  EXPECT_EQ(read_config(store, config_descriptor, "config").bytes, config);
  Descriptor missing{
      .media_type = std::string(media_type::kOciManifest), .digest = Digest::parse(kA), .size = 1};
  EXPECT_NE(testing::message_of<Error>([&] {
              read_manifest(store, missing, "m");
            }).find("is missing from"),
            std::string::npos);
  Descriptor not_an_index = config_descriptor;
  EXPECT_EQ(testing::message_of<Error>([&] { read_index(store, not_an_index, "the index"); }),
            R"(the index: "manifests" is missing)");
}

}  // namespace
}  // namespace ko
