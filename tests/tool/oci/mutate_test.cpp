#include "oci/mutate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Digest digest_of(char c) {
  return Digest::from_hex(std::string(64, c));
}

ImageSettings basic_settings() {
  ImageSettings settings;
  settings.entrypoint = "/ko-app/hello";
  settings.created = "1970-01-01T00:00:00Z";
  settings.history_comment = "ko-image layer for ./cmd/hello";
  return settings;
}

// The base config of a typical distro image, with a field we do not know about.
json::Value base_config() {
  return json::parse(R"({
    "architecture": "amd64", "os": "linux", "created": "2020-01-01T00:00:00Z",
    "author": "someone", "x-vendor-extension": {"keep": true},
    "config": {"Env": ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"], "Cmd": ["/bin/sh"],
               "Labels": {"maintainer": "base"}, "StopSignal": "SIGTERM"},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:1111111111111111111111111111111111111111111111111111111111111111"]},
    "history": [{"created_by": "base layer"}]
  })");
}

std::vector<std::string> env_of(json::Value config) {
  std::vector<std::string> env;
  for (const json::Value& item : config["config"]["Env"].as_array("config.Env"))
    env.push_back(item.as_string());
  return env;
}

TEST(MakeConfig, ScratchGetsAFreshConfig) {
  json::Value config =
      make_config(json::Value(), Platform::parse("linux/arm/v7"), digest_of('a'), basic_settings());
  EXPECT_EQ(config["architecture"].as_string(), "arm");
  EXPECT_EQ(config["os"].as_string(), "linux");
  EXPECT_EQ(config["variant"].as_string(), "v7");
  EXPECT_EQ(config["created"].as_string(), "1970-01-01T00:00:00Z");
  EXPECT_EQ(json::dump(config["rootfs"]),
            R"({"diff_ids":["sha256:)" + std::string(64, 'a') + R"("],"type":"layers"})");
  ASSERT_EQ(config["history"].as_array().size(), 1u);
  EXPECT_EQ(json::dump(config["config"]["Entrypoint"]), R"(["/ko-app/hello"])");
  EXPECT_EQ(config["config"].get("Cmd"), nullptr);
  EXPECT_EQ(env_of(config),
            (std::vector<std::string>{std::string("PATH=") + kDefaultPath + ":/ko-app",
                                      "KO_DATA_PATH=/var/run/ko"}));
}

TEST(MakeConfig, KeepsUnknownFieldsOfTheBase) {
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(config["author"].as_string(), "someone");
  EXPECT_EQ(json::dump(config["x-vendor-extension"]), R"({"keep":true})");
  EXPECT_EQ(config["config"]["StopSignal"].as_string(), "SIGTERM");
  EXPECT_EQ(config["created"].as_string(), "1970-01-01T00:00:00Z");
}

TEST(MakeConfig, AppendsDiffIdAndHistory) {
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  const json::Array& diff_ids = config["rootfs"]["diff_ids"].as_array();
  ASSERT_EQ(diff_ids.size(), 2u);
  EXPECT_EQ(diff_ids[0].as_string(), "sha256:" + std::string(64, '1'));
  EXPECT_EQ(diff_ids[1].as_string(), digest_of('a').str());
  const json::Array& history = config["history"].as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].get_string("created_by"), "base layer");
  EXPECT_EQ(history[1].get_string("created_by"), "ko-image");
  EXPECT_EQ(history[1].get_string("comment"), "ko-image layer for ./cmd/hello");
  EXPECT_EQ(history[1].get_string("created"), "1970-01-01T00:00:00Z");
}

TEST(MakeConfig, VariantFollowsThePlatform) {
  json::Value base = base_config();
  base["variant"] = "v7";
  json::Value config =
      make_config(base, Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(config.get("variant"), nullptr);
}

TEST(MakeConfig, SetsEntrypointAndClearsCmdWithoutArgs) {
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(json::dump(config["config"]["Entrypoint"]), R"(["/ko-app/hello"])");
  EXPECT_EQ(config["config"].get("Cmd"), nullptr);
}

TEST(MakeConfig, ArgsBecomeCmd) {
  ImageSettings settings = basic_settings();
  settings.args = {"--port", "8080"};
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), settings);
  EXPECT_EQ(json::dump(config["config"]["Cmd"]), R"(["--port","8080"])");
}

TEST(MakeConfig, ExtendsTheBasePath) {
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(env_of(config), (std::vector<std::string>{"PATH=/usr/bin:/bin:/ko-app", "LANG=C.UTF-8",
                                                      "KO_DATA_PATH=/var/run/ko"}));
}

TEST(MakeConfig, DefaultPathWhenTheBaseHasNone) {
  json::Value base = base_config();
  base["config"]["Env"] = json::Array{json::Value("LANG=C")};
  json::Value config =
      make_config(base, Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(env_of(config),
            (std::vector<std::string>{"LANG=C", std::string("PATH=") + kDefaultPath + ":/ko-app",
                                      "KO_DATA_PATH=/var/run/ko"}));
}

TEST(MakeConfig, UserEnvOverridesExistingVariables) {
  ImageSettings settings = basic_settings();
  settings.env = {{"LANG", "en_US.UTF-8"}, {"KO_DATA_PATH", "/data"}, {"NEW", "a=b"}};
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), settings);
  EXPECT_EQ(env_of(config),
            (std::vector<std::string>{"PATH=/usr/bin:/bin:/ko-app", "LANG=en_US.UTF-8",
                                      "KO_DATA_PATH=/data", "NEW=a=b"}));
}

TEST(MakeConfig, EnvNamesMatchWholeNames) {
  json::Value base = base_config();
  base["config"]["Env"] = json::Array{json::Value("PATHEXT=.x"), json::Value("PATH=/opt/bin")};
  json::Value config =
      make_config(base, Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(env_of(config), (std::vector<std::string>{"PATHEXT=.x", "PATH=/opt/bin:/ko-app",
                                                      "KO_DATA_PATH=/var/run/ko"}));
}

TEST(MakeConfig, WorkdirUserAndLabels) {
  ImageSettings settings = basic_settings();
  settings.workdir = "/srv";
  settings.user = "65532:65532";
  settings.labels = {{"org.opencontainers.image.source", "https://example.com/x"},
                     {"maintainer", "us"}};
  json::Value config =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), settings);
  EXPECT_EQ(config["config"]["WorkingDir"].as_string(), "/srv");
  EXPECT_EQ(config["config"]["User"].as_string(), "65532:65532");
  EXPECT_EQ(json::dump(config["config"]["Labels"]),
            R"({"maintainer":"us","org.opencontainers.image.source":"https://example.com/x"})");
}

TEST(MakeConfig, BaseLabelsAreKeptWhenWeAddNone) {
  ImageSettings settings = basic_settings();
  settings.labels = {{"extra", "1"}};
  json::Value merged =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), settings);
  EXPECT_EQ(json::dump(merged["config"]["Labels"]), R"({"extra":"1","maintainer":"base"})");
  json::Value untouched =
      make_config(base_config(), Platform::parse("linux/amd64"), digest_of('a'), basic_settings());
  EXPECT_EQ(json::dump(untouched["config"]["Labels"]), R"({"maintainer":"base"})");
  EXPECT_EQ(untouched["config"].get("WorkingDir"), nullptr);
  EXPECT_EQ(untouched["config"].get("User"), nullptr);
}

Descriptor descriptor(std::string_view media_type, char c, int64_t size) {
  Descriptor d;
  d.media_type = std::string(media_type);
  d.digest = digest_of(c);
  d.size = size;
  return d;
}

json::Array base_layers() {
  return json::Array{
      descriptor(media_type::kOciLayerGzip, '1', 10).to_json(),
      descriptor(media_type::kOciLayerGzip, '2', 20).to_json(),
  };
}

TEST(MakeManifest, BaseLayersFirstThenOurs) {
  json::Value manifest = make_manifest(media_type::Family::kOci, base_layers(),
                                       descriptor(media_type::kOciConfig, 'c', 300),
                                       descriptor(media_type::kOciLayerGzip, 'f', 400), {});
  EXPECT_EQ(manifest["schemaVersion"].as_int(), 2);
  EXPECT_EQ(manifest["mediaType"].as_string(), media_type::kOciManifest);
  EXPECT_EQ(manifest["config"]["digest"].as_string(), digest_of('c').str());
  EXPECT_EQ(manifest["config"]["size"].as_int(), 300);
  const json::Array& layers = manifest["layers"].as_array();
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0].get_string("digest"), digest_of('1').str());
  EXPECT_EQ(layers[1].get_string("digest"), digest_of('2').str());
  EXPECT_EQ(layers[2].get_string("digest"), digest_of('f').str());
  json::Value ours = layers[2];
  EXPECT_EQ(ours["size"], json::Value(400));
  EXPECT_EQ(manifest.get("annotations"), nullptr);
}

TEST(MakeManifest, ScratchHasOnlyOurLayer) {
  json::Value manifest = make_manifest(media_type::Family::kOci, json::Array{},
                                       descriptor(media_type::kOciConfig, 'c', 300),
                                       descriptor(media_type::kOciLayerGzip, 'f', 400), {});
  ASSERT_EQ(manifest["layers"].as_array().size(), 1u);
  EXPECT_EQ(manifest["layers"].as_array()[0].get_string("digest"), digest_of('f').str());
}

TEST(MakeManifest, OciFamilyKeepsAnnotations) {
  json::Value manifest = make_manifest(media_type::Family::kOci, base_layers(),
                                       descriptor(media_type::kOciConfig, 'c', 3),
                                       descriptor(media_type::kOciLayerGzip, 'f', 4),
                                       {{"org.opencontainers.image.base.name", "scratch"}});
  EXPECT_EQ(json::dump(manifest["annotations"]),
            R"({"org.opencontainers.image.base.name":"scratch"})");
}

TEST(MakeManifest, DockerFamilyHasDockerTypesAndNoAnnotations) {
  json::Value manifest = make_manifest(
      media_type::Family::kDocker, base_layers(), descriptor(media_type::kDockerConfig, 'c', 3),
      descriptor(media_type::kDockerLayerGzip, 'f', 4), {{"some", "annotation"}});
  EXPECT_EQ(manifest["mediaType"].as_string(), media_type::kDockerManifest);
  EXPECT_EQ(manifest["config"]["mediaType"].as_string(), media_type::kDockerConfig);
  EXPECT_EQ(manifest["layers"].as_array().back().get_string("mediaType"),
            media_type::kDockerLayerGzip);
  EXPECT_EQ(manifest.get("annotations"), nullptr);
}

Descriptor child(std::string_view media_type, char c, const std::string& platform) {
  Descriptor d = descriptor(media_type, c, 500);
  d.platform = Platform::parse(platform).to_json();
  return d;
}

TEST(MakeIndex, AllDockerChildrenGiveADockerManifestList) {
  json::Value index = make_index({child(media_type::kDockerManifest, 'a', "linux/amd64"),
                                  child(media_type::kDockerManifest, 'b', "linux/arm64")},
                                 {{"k", "v"}});
  EXPECT_EQ(index["mediaType"].as_string(), media_type::kDockerManifestList);
  EXPECT_EQ(index.get("annotations"), nullptr);
  EXPECT_EQ(index["schemaVersion"].as_int(), 2);
}

TEST(MakeIndex, OtherwiseAnOciIndexWithPlatformsAndAnnotations) {
  json::Value index = make_index({child(media_type::kDockerManifest, 'a', "linux/amd64"),
                                  child(media_type::kOciManifest, 'b', "linux/arm/v7")},
                                 {{"k", "v"}});
  EXPECT_EQ(index["mediaType"].as_string(), media_type::kOciIndex);
  EXPECT_EQ(json::dump(index["annotations"]), R"({"k":"v"})");
  const json::Array& manifests = index["manifests"].as_array();
  ASSERT_EQ(manifests.size(), 2u);
  EXPECT_EQ(manifests[0].get_string("digest"), digest_of('a').str());
  json::Value second = manifests[1];
  EXPECT_EQ(json::dump(second["platform"]),
            R"({"architecture":"arm","os":"linux","variant":"v7"})");
}

TEST(MakeIndex, EmptyIndexIsOci) {
  EXPECT_EQ(make_index({}, {})["mediaType"].as_string(), media_type::kOciIndex);
}

TEST(Rfc3339Utc, FormatsSecondsSinceTheEpoch) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1700000000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(rfc3339_utc(951782400), "2000-02-29T00:00:00Z");
}

TEST(SourceDateEpoch, ZeroWhenUnsetOrEmpty) {
  EXPECT_EQ(parse_source_date_epoch(std::nullopt), 0);
  EXPECT_EQ(parse_source_date_epoch(""), 0);
  EXPECT_EQ(parse_source_date_epoch("1700000000"), 1700000000);
}

TEST(SourceDateEpoch, MalformedValuesThrow) {
  for (const char* text : {"abc", "12x", "-1", " 12", "1.5", "99999999999999999999", "yesterday"}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(parse_source_date_epoch(std::string(text)), Error);
  }
}

// --- make_index_platform ---------------------------------------------------------------

TEST(MakeIndexPlatform, OursOnAScratchBase) {
  EXPECT_EQ(json::dump(make_index_platform(json::Value(), Platform::parse("linux/arm/v7"))),
            R"({"architecture":"arm","os":"linux","variant":"v7"})");
}

TEST(MakeIndexPlatform, KeepsTheBaseEntrysOtherMembers) {
  json::Value base = json::parse(
      R"({"architecture":"amd64","os":"linux","os.version":"10.0","features":["sse4"]})");
  EXPECT_EQ(json::dump(make_index_platform(base, Platform::parse("linux/amd64/v3"))),
            R"({"architecture":"amd64","features":["sse4"],"os":"linux","os.version":"10.0",)"
            R"("variant":"v3"})");
}

// A base entry's variant is not ours when we build without one (linux/arm64 on arm64/v8).
TEST(MakeIndexPlatform, DropsTheBaseVariantWhenWeHaveNone) {
  json::Value base = json::parse(R"({"architecture":"arm64","os":"linux","variant":"v8"})");
  EXPECT_EQ(json::dump(make_index_platform(base, Platform::parse("linux/arm64"))),
            R"({"architecture":"arm64","os":"linux"})");
}

}  // namespace
}  // namespace ko
