#include "sbom/spdx.hpp"

#include <map>
#include <sstream>

#include "json/json.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, '\t')) {
    if (!field.empty()) fields.push_back(field);
  }
  return fields;
}

std::string purl(const GoModule& m) {
  return "pkg:golang/" + m.path +
         (m.version.empty() || m.version == "(devel)" ? "" : "@" + m.version);
}

json::Value package(const std::string& id, const GoModule& m) {
  json::Value p;
  p["SPDXID"] = id;
  p["name"] = m.path;
  p["versionInfo"] = m.version.empty() ? "(devel)" : m.version;
  p["downloadLocation"] = "NOASSERTION";
  p["filesAnalyzed"] = false;
  json::Value ref;
  ref["referenceCategory"] = "PACKAGE-MANAGER";
  ref["referenceType"] = "purl";
  ref["referenceLocator"] = purl(m);
  p["externalRefs"] = json::Array{ref};
  if (!m.sum.empty()) p["comment"] = "go.sum hash " + m.sum;
  return p;
}

json::Value relationship(const std::string& from, const std::string& type, const std::string& to) {
  json::Value r;
  r["spdxElementId"] = from;
  r["relationshipType"] = type;
  r["relatedSpdxElement"] = to;
  return r;
}

}  // namespace

GoBuildInfo parse_go_version_m(std::string_view text) {
  GoBuildInfo info;
  std::stringstream lines{std::string(text)};
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (first) {
      size_t colon = line.rfind(": ");
      if (colon == std::string::npos) throw Error("unexpected `go version -m` output: " + line);
      info.go_version = line.substr(colon + 2);
      first = false;
      continue;
    }
    std::vector<std::string> f = split_tabs(line);
    if (f.empty()) continue;
    if (f[0] == "path" && f.size() >= 2) {
      info.package = f[1];
    } else if (f[0] == "mod" && f.size() >= 2) {
      info.main = {f[1], f.size() > 2 ? f[2] : "", f.size() > 3 ? f[3] : ""};
    } else if (f[0] == "dep" && f.size() >= 3) {
      info.dependencies.push_back({f[1], f[2], f.size() > 3 ? f[3] : ""});
    } else if (f[0] == "=>" && f.size() >= 2 && !info.dependencies.empty()) {
      info.dependencies.back() = {f[1], f.size() > 2 ? f[2] : "", f.size() > 3 ? f[3] : ""};
    } else if (f[0] == "build" && f.size() >= 2) {
      info.settings.push_back(f[1]);
    }
  }
  if (info.go_version.empty() || info.main.path.empty())
    throw Error("`go version -m` found no module information in the binary");
  return info;
}

void add_go_sum_hashes(GoBuildInfo& info, std::string_view go_sum) {
  std::map<std::pair<std::string, std::string>, std::string> sums;
  std::stringstream lines{std::string(go_sum)};
  std::string path, version, hash;
  while (lines >> path >> version >> hash) sums.emplace(std::pair{path, version}, hash);
  for (GoModule& m : info.dependencies) {
    if (!m.sum.empty()) continue;
    auto it = sums.find({m.path, m.version});  // not the `<version>/go.mod` line
    if (it != sums.end()) m.sum = it->second;
  }
}

std::string spdx_document(const GoBuildInfo& info, const std::string& platform,
                          const std::string& namespace_id, const std::string& created,
                          const std::string& tool_version) {
  json::Value doc;
  doc["spdxVersion"] = "SPDX-2.3";
  doc["dataLicense"] = "CC0-1.0";
  doc["SPDXID"] = "SPDXRef-DOCUMENT";
  doc["name"] = info.package + " (" + platform + ")";
  // .invalid never resolves: the namespace only has to be unique, not reachable.
  doc["documentNamespace"] = "https://cmake-ko.invalid/spdx/" + info.package + "/" + namespace_id;
  doc["creationInfo"]["created"] = created;
  doc["creationInfo"]["creators"] = json::Array{json::Value("Tool: ko-image-" + tool_version)};

  json::Array packages;
  json::Array relationships;
  json::Value main = package("SPDXRef-Package-main", info.main);
  main["primaryPackagePurpose"] = "APPLICATION";
  std::string settings;
  for (const std::string& s : info.settings) settings += (settings.empty() ? "" : " ") + s;
  main["comment"] = "main package " + info.package + ", built with " + info.go_version + " for " +
                    platform + (settings.empty() ? "" : "; build settings: " + settings);
  packages.push_back(main);
  relationships.push_back(relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Package-main"));

  json::Value go = package("SPDXRef-Package-go", {"stdlib", info.go_version, ""});
  go["externalRefs"].as_array()[0]["referenceLocator"] = "pkg:golang/stdlib@" + info.go_version;
  packages.push_back(go);
  relationships.push_back(relationship("SPDXRef-Package-main", "DEPENDS_ON", "SPDXRef-Package-go"));
  for (size_t i = 0; i < info.dependencies.size(); ++i) {
    std::string id = "SPDXRef-Package-dep-" + std::to_string(i + 1);
    packages.push_back(package(id, info.dependencies[i]));
    relationships.push_back(relationship("SPDXRef-Package-main", "DEPENDS_ON", id));
  }
  doc["packages"] = std::move(packages);
  doc["relationships"] = std::move(relationships);
  return json::dump(doc) + "\n";
}

}  // namespace ko
