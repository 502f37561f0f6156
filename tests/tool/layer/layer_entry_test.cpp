#include "layer/layer_entry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;

std::map<std::string, LayerEntry> by_path(const std::vector<LayerEntry>& entries) {
  std::map<std::string, LayerEntry> map;
  for (const LayerEntry& e : entries) {
    EXPECT_TRUE(map.emplace(e.path, e).second) << "duplicate " << e.path;
  }
  return map;
}

TEST(LayerEntry, Factories) {
  LayerEntry dir = LayerEntry::directory("var/run/ko");
  EXPECT_EQ(dir.type, LayerEntry::Type::kDirectory);
  EXPECT_EQ(dir.mode, 0755u);
  LayerEntry file = LayerEntry::file_with("etc/group", "root:x:0:\n");
  EXPECT_EQ(file.type, LayerEntry::Type::kFile);
  EXPECT_EQ(file.mode, 0644u);
  EXPECT_EQ(file.content, "root:x:0:\n");
  EXPECT_TRUE(file.source.empty());
  LayerEntry from = LayerEntry::file_from("ko-app/hello", "/build/hello", 0555);
  EXPECT_EQ(from.source, "/build/hello");
  EXPECT_EQ(from.mode, 0555u);
  LayerEntry link = LayerEntry::symlink("bin/sh", "busybox");
  EXPECT_EQ(link.type, LayerEntry::Type::kSymlink);
  EXPECT_EQ(link.link_target, "busybox");
  EXPECT_EQ(link.uid, 0);
  EXPECT_EQ(link.gid, 0);
}

class KodataEntries : public ::testing::Test {
 protected:
  fs::path kodata() const { return dir_ / "kodata"; }
  testing::TempDir dir_;
};

TEST_F(KodataEntries, FilesAndNestedDirectories) {
  testing::write_file(kodata() / "index.html", "<h1>hi</h1>", fs::perms(0664));
  testing::write_file(kodata() / "static/css/site.css", "body{}", fs::perms(0600));
  fs::create_directories(kodata() / "empty");
  auto entries = by_path(kodata_entries(kodata(), "var/run/ko"));

  std::vector<std::string> paths;
  for (const auto& [path, entry] : entries) paths.push_back(path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"var/run/ko", "var/run/ko/empty", "var/run/ko/index.html",
                                      "var/run/ko/static", "var/run/ko/static/css",
                                      "var/run/ko/static/css/site.css"}));
  EXPECT_EQ(entries.at("var/run/ko").type, LayerEntry::Type::kDirectory);
  EXPECT_EQ(entries.at("var/run/ko/static/css").type, LayerEntry::Type::kDirectory);
  EXPECT_EQ(entries.at("var/run/ko/static/css").mode, 0755u);
  const LayerEntry& css = entries.at("var/run/ko/static/css/site.css");
  EXPECT_EQ(css.type, LayerEntry::Type::kFile);
  EXPECT_EQ(fs::canonical(css.source), fs::canonical(kodata() / "static/css/site.css"));
}

TEST_F(KodataEntries, OnlyTheExecBitIsKept) {
  testing::write_file(kodata() / "run.sh", "#!/bin/sh\n", fs::perms(0700));
  testing::write_file(kodata() / "tool", "x", fs::perms(0775));
  testing::write_file(kodata() / "private.txt", "x", fs::perms(0600));
  testing::write_file(kodata() / "shared.txt", "x", fs::perms(0666));
  auto entries = by_path(kodata_entries(kodata(), "data"));
  EXPECT_EQ(entries.at("data/run.sh").mode, 0555u);
  EXPECT_EQ(entries.at("data/tool").mode, 0555u);
  EXPECT_EQ(entries.at("data/private.txt").mode, 0444u);
  EXPECT_EQ(entries.at("data/shared.txt").mode, 0444u);
}

TEST_F(KodataEntries, SymlinkInsideStaysARelativeSymlink) {
  testing::write_file(kodata() / "assets/v2/app.js", "js");
  fs::create_directories(kodata() / "links");
  fs::create_symlink("../assets/v2/app.js", kodata() / "links/relative.js");
  fs::create_symlink(kodata() / "assets/v2/app.js", kodata() / "links/absolute.js");
  fs::create_directory_symlink("assets/v2", kodata() / "current");
  auto entries = by_path(kodata_entries(kodata(), "var/run/ko"));

  const LayerEntry& relative = entries.at("var/run/ko/links/relative.js");
  EXPECT_EQ(relative.type, LayerEntry::Type::kSymlink);
  EXPECT_EQ(relative.link_target, "../assets/v2/app.js");
  // An absolute host path would dangle in the image: it becomes relative.
  const LayerEntry& absolute = entries.at("var/run/ko/links/absolute.js");
  EXPECT_EQ(absolute.type, LayerEntry::Type::kSymlink);
  EXPECT_EQ(absolute.link_target, "../assets/v2/app.js");
  // A directory symlink is not followed: its target's files appear once, under the target.
  EXPECT_EQ(entries.at("var/run/ko/current").type, LayerEntry::Type::kSymlink);
  EXPECT_EQ(entries.at("var/run/ko/current").link_target, "assets/v2");
  EXPECT_FALSE(entries.contains("var/run/ko/current/app.js"));
}

TEST_F(KodataEntries, SymlinkEscapingKodataThrows) {
  testing::write_file(dir_ / "secret.txt", "do not ship");
  fs::create_directories(kodata());
  fs::create_symlink("../secret.txt", kodata() / "leak.txt");
  try {
    kodata_entries(kodata(), "var/run/ko");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("leak.txt"), std::string::npos) << e.what();
  }
}

TEST_F(KodataEntries, AbsoluteSymlinkOutsideThrows) {
  fs::create_directories(kodata());
  fs::create_symlink("/etc/passwd", kodata() / "passwd");
  EXPECT_THROW(kodata_entries(kodata(), "var/run/ko"), Error);
}

TEST_F(KodataEntries, SiblingWithCommonPrefixIsOutside) {
  testing::write_file(dir_ / "kodata-other/file", "x");
  fs::create_directories(kodata());
  fs::create_symlink("../kodata-other/file", kodata() / "file");
  EXPECT_THROW(kodata_entries(kodata(), "var/run/ko"), Error);
}

TEST_F(KodataEntries, NotADirectoryThrows) {
  EXPECT_THROW(kodata_entries(dir_ / "missing", "var/run/ko"), Error);
  testing::write_file(dir_ / "file", "x");
  EXPECT_THROW(kodata_entries(dir_ / "file", "var/run/ko"), Error);
}

TEST_F(KodataEntries, HostPathsListEverythingRead) {
  testing::write_file(kodata() / "a.txt", "a");
  testing::write_file(kodata() / "sub/b.txt", "b");
  std::vector<fs::path> host_paths;
  std::vector<LayerEntry> entries = kodata_entries(kodata(), "var/run/ko", &host_paths);
  EXPECT_EQ(host_paths.size(), entries.size());
  const fs::path root = fs::canonical(kodata());
  for (const fs::path& expected : {root, root / "a.txt", root / "sub", root / "sub/b.txt"}) {
    EXPECT_NE(std::find(host_paths.begin(), host_paths.end(), expected), host_paths.end())
        << expected;
  }
}

}  // namespace
}  // namespace ko
