#include "sbom/spdx.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "json/json.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

// `go version -m` output as Go prints it: a replaced dependency has no hash of its own;
// the `=>` line after it names the module actually built in, with that module's hash.
const std::string kGoVersionM =
    "/work/build/app: go1.22.5\n"
    "\tpath\texample.com/app/cmd/app\n"
    "\tmod\texample.com/app\t(devel)\t\n"
    "\tdep\tgithub.com/a/b\tv1.2.3\th1:abc=\n"
    "\tdep\tgithub.com/orig/b\tv1.2.0\n"
    "\t=>\tgithub.com/fork/b\tv1.2.4\th1:def=\n"
    "\tbuild\t-trimpath=true\n"
    "\tbuild\tCGO_ENABLED=0\n";

TEST(ParseGoVersionM, ReadsGoVersionPackageAndMainModule) {
  GoBuildInfo info = parse_go_version_m(kGoVersionM);
  EXPECT_EQ(info.go_version, "go1.22.5");
  EXPECT_EQ(info.package, "example.com/app/cmd/app");
  EXPECT_EQ(info.main.path, "example.com/app");
  EXPECT_EQ(info.main.version, "(devel)");
  EXPECT_EQ(info.main.sum, "");
}

TEST(ParseGoVersionM, ReadsDependenciesWithReplacementsApplied) {
  GoBuildInfo info = parse_go_version_m(kGoVersionM);
  ASSERT_EQ(info.dependencies.size(), 2u);
  EXPECT_EQ(info.dependencies[0].path, "github.com/a/b");
  EXPECT_EQ(info.dependencies[0].version, "v1.2.3");
  EXPECT_EQ(info.dependencies[0].sum, "h1:abc=");
  EXPECT_EQ(info.dependencies[1].path, "github.com/fork/b");
  EXPECT_EQ(info.dependencies[1].version, "v1.2.4");
  EXPECT_EQ(info.dependencies[1].sum, "h1:def=");
}

TEST(AddGoSumHashes, FillsTheHashesAVendorBuildLacks) {
  GoBuildInfo info = parse_go_version_m(
      "/b/app: go1.22.5\n\tpath\texample.com/app\n\tmod\texample.com/app\t(devel)\t\n"
      "\tdep\tgithub.com/a/b\tv1.2.3\t\n\tdep\tgithub.com/c/d\tv0.1.0\th1:kept=\n"
      "\tdep\tgithub.com/e/f\tv2.0.0\t\n");
  add_go_sum_hashes(info,
                    "github.com/a/b v1.2.3 h1:module=\n"
                    "github.com/a/b v1.2.3/go.mod h1:gomod=\n"
                    "github.com/c/d v0.1.0 h1:other=\n"
                    "github.com/e/f v1.9.0 h1:oldversion=\n");
  ASSERT_EQ(info.dependencies.size(), 3u);
  EXPECT_EQ(info.dependencies[0].sum, "h1:module=") << "the module's line, not its go.mod's";
  EXPECT_EQ(info.dependencies[1].sum, "h1:kept=") << "a hash from the binary stays";
  EXPECT_EQ(info.dependencies[2].sum, "") << "only the version built in counts";
}

TEST(ParseGoVersionM, ReadsBuildSettingsInOrder) {
  GoBuildInfo info = parse_go_version_m(kGoVersionM);
  EXPECT_EQ(info.settings, (std::vector<std::string>{"-trimpath=true", "CGO_ENABLED=0"}));
}

TEST(ParseGoVersionM, WithoutModLineThrows) {
  EXPECT_THROW(parse_go_version_m("/work/build/app: go1.22.5\n"
                                  "\tpath\texample.com/app/cmd/app\n"
                                  "\tbuild\tCGO_ENABLED=0\n"),
               Error);
}

TEST(ParseGoVersionM, EmptyOrMalformedOutputThrows) {
  EXPECT_THROW(parse_go_version_m(""), Error);
  EXPECT_THROW(parse_go_version_m("not go version output\n\tmod\texample.com/app\t(devel)\t\n"),
               Error);
}

// --- The SPDX document ------------------------------------------------------------------

constexpr const char* kCreated = "2024-01-02T03:04:05Z";

std::string document(const std::string& namespace_id = "sha256:1111") {
  return spdx_document(parse_go_version_m(kGoVersionM), "linux/arm64", namespace_id, kCreated,
                       "1.2.3");
}

const json::Value& package_named(const json::Value& doc, const std::string& name) {
  for (const json::Value& p : doc.get("packages")->as_array("packages"))
    if (p.get_string("name") == name) return p;
  throw std::runtime_error("no package named " + name);
}

std::string purl_of(const json::Value& package) {
  for (const json::Value& ref : package.get("externalRefs")->as_array("externalRefs"))
    if (ref.get_string("referenceType") == "purl") return ref.get_string("referenceLocator");
  return "";
}

std::vector<json::Value> relationships_of_type(const json::Value& doc, const std::string& type) {
  std::vector<json::Value> found;
  for (const json::Value& r : doc.get("relationships")->as_array("relationships"))
    if (r.get_string("relationshipType") == type) found.push_back(r);
  return found;
}

TEST(SpdxDocument, IsSpdx23JsonWithFixedHeader) {
  const std::string text = document();
  json::Value doc = json::parse(text, "SPDX document");
  EXPECT_EQ(doc.get_string("spdxVersion"), "SPDX-2.3");
  EXPECT_EQ(doc.get_string("dataLicense"), "CC0-1.0");
  EXPECT_EQ(doc.get_string("SPDXID"), "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["creationInfo"].get_string("created"), kCreated);
  const json::Array& creators = doc["creationInfo"]["creators"].as_array();
  ASSERT_EQ(creators.size(), 1u);
  EXPECT_EQ(creators[0].as_string(), "Tool: ko-image-1.2.3");
  EXPECT_NE(doc.get_string("name").find("example.com/app/cmd/app"), std::string::npos);
  EXPECT_NE(doc.get_string("name").find("linux/arm64"), std::string::npos);
}

TEST(SpdxDocument, DescribesTheMainPackage) {
  json::Value doc = json::parse(document());
  std::vector<json::Value> describes = relationships_of_type(doc, "DESCRIBES");
  ASSERT_EQ(describes.size(), 1u);
  EXPECT_EQ(describes[0].get_string("spdxElementId"), "SPDXRef-DOCUMENT");
  const json::Value& main = package_named(doc, "example.com/app");
  EXPECT_EQ(describes[0].get_string("relatedSpdxElement"), main.get_string("SPDXID"));
  EXPECT_EQ(main.get_string("primaryPackagePurpose"), "APPLICATION");
  // "(devel)" is not a version: a purl cannot carry it.
  EXPECT_EQ(purl_of(main).find("(devel)"), std::string::npos) << purl_of(main);
  EXPECT_NE(main.get_string("comment").find("go1.22.5"), std::string::npos);
  EXPECT_NE(main.get_string("comment").find("CGO_ENABLED=0"), std::string::npos);
}

TEST(SpdxDocument, MainDependsOnEachDependencyAndTheStandardLibrary) {
  json::Value doc = json::parse(document());
  const std::string main_id = package_named(doc, "example.com/app").get_string("SPDXID");
  std::set<std::string> expected = {
      package_named(doc, "github.com/a/b").get_string("SPDXID"),
      package_named(doc, "github.com/fork/b").get_string("SPDXID"),
      package_named(doc, "stdlib").get_string("SPDXID"),
  };
  ASSERT_EQ(expected.size(), 3u) << "SPDXIDs are not unique";
  std::vector<json::Value> depends = relationships_of_type(doc, "DEPENDS_ON");
  EXPECT_EQ(depends.size(), 3u);
  std::set<std::string> related;
  for (const json::Value& r : depends) {
    EXPECT_EQ(r.get_string("spdxElementId"), main_id);
    related.insert(r.get_string("relatedSpdxElement"));
  }
  EXPECT_EQ(related, expected);
}

TEST(SpdxDocument, DependenciesCarryVersionPurlAndHash) {
  json::Value doc = json::parse(document());
  struct Expected {
    std::string path, version, sum;
  };
  for (const Expected& m : {Expected{"github.com/a/b", "v1.2.3", "h1:abc="},
                            Expected{"github.com/fork/b", "v1.2.4", "h1:def="}}) {
    SCOPED_TRACE(m.path);
    const json::Value& p = package_named(doc, m.path);
    EXPECT_EQ(p.get_string("versionInfo"), m.version);
    EXPECT_EQ(purl_of(p), "pkg:golang/" + m.path + "@" + m.version);
    EXPECT_NE(p.get_string("comment").find(m.sum), std::string::npos) << p.get_string("comment");
  }
  EXPECT_THROW(package_named(doc, "github.com/orig/b"), std::runtime_error)
      << "the replaced module is not what was built";
}

TEST(SpdxDocument, StandardLibraryIsTheGoVersion) {
  json::Value doc = json::parse(document());
  const json::Value& go = package_named(doc, "stdlib");
  EXPECT_EQ(go.get_string("versionInfo"), "go1.22.5");
  EXPECT_EQ(purl_of(go), "pkg:golang/stdlib@go1.22.5");
}

TEST(SpdxDocument, NamespaceContainsTheNamespaceId) {
  json::Value doc = json::parse(document("sha256:1111"));
  EXPECT_NE(doc.get_string("documentNamespace").find("sha256:1111"), std::string::npos)
      << doc.get_string("documentNamespace");
}

TEST(SpdxDocument, SameInputGivesIdenticalBytes) {
  EXPECT_EQ(document("sha256:1111"), document("sha256:1111"));
}

TEST(SpdxDocument, DifferentNamespaceIdsGiveDifferentNamespaces) {
  json::Value one = json::parse(document("sha256:1111"));
  json::Value two = json::parse(document("sha256:2222"));
  EXPECT_NE(one.get_string("documentNamespace"), two.get_string("documentNamespace"));
}

}  // namespace
}  // namespace ko
