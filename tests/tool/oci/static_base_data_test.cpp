#include "oci/static_base_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "digest/digest.hpp"
#include "layer/layer_writer.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {
namespace {

using testing::TempDir;

// A snapshot like tool/static-base, generated: a two-certificate "bundle" and a zone tar
// with a directory, a file and a symlink, and the manifest recording their digests.
class StaticBaseDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_file(dir / "ca-certificates.crt",
                        "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
    write_tar_file(
        {LayerEntry::directory("Europe"), LayerEntry::file_with("Europe/Berlin", "TZif2 berlin"),
         LayerEntry::directory("US"), LayerEntry::symlink("US/Eastern", "../America/New_York")},
        0, dir / "zoneinfo.tar.gz");
    write_manifest(Digest::of_file(dir / "ca-certificates.crt").hex());
  }
  void write_manifest(const std::string& ca_sha) {
    testing::write_file(dir / "manifest.json",
                        R"({"ca-certificates":{"file":"ca-certificates.crt","sha256":")" + ca_sha +
                            R"(","version":"20230311+deb12u1","date":"2023-03-11"},)"
                            R"("tzdata":{"file":"zoneinfo.tar.gz","sha256":")" +
                            Digest::of_file(dir / "zoneinfo.tar.gz").hex() +
                            R"(","version":"2025b"}})");
  }
  const LayerEntry* find(const StaticBaseData& data, const std::string& path) {
    auto it = std::find_if(data.entries.begin(), data.entries.end(),
                           [&](const LayerEntry& e) { return e.path == path; });
    return it == data.entries.end() ? nullptr : &*it;
  }
  TempDir dir;
};

TEST_F(StaticBaseDataTest, ReadsTheRecordedFilesIntoEntriesAndLabels) {
  StaticBaseData data = read_static_base_data(dir.path());
  EXPECT_EQ(data.ca_version, "20230311+deb12u1");
  EXPECT_EQ(data.ca_date, "2023-03-11");
  EXPECT_EQ(data.tz_version, "2025b");

  const LayerEntry* bundle = find(data, "etc/ssl/certs/ca-certificates.crt");
  ASSERT_NE(bundle, nullptr);
  EXPECT_EQ(bundle->content, ko::read_file(dir / "ca-certificates.crt"));
  EXPECT_EQ(bundle->mode, 0644u);
  const LayerEntry* berlin = find(data, "usr/share/zoneinfo/Europe/Berlin");
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->content, "TZif2 berlin");
  const LayerEntry* eastern = find(data, "usr/share/zoneinfo/US/Eastern");
  ASSERT_NE(eastern, nullptr);
  EXPECT_EQ(eastern->type, LayerEntry::Type::kSymlink);
  EXPECT_EQ(eastern->link_target, "../America/New_York");
  ASSERT_NE(find(data, "usr/share/zoneinfo/Europe"), nullptr);

  const LayerEntry* os_release = find(data, "etc/os-release");
  ASSERT_NE(os_release, nullptr);
  EXPECT_NE(os_release->content.find("CMAKE_KO_CA_BUNDLE_DATE=2023-03-11\n"), std::string::npos);
  EXPECT_NE(os_release->content.find("CMAKE_KO_TZDATA_VERSION=2025b\n"), std::string::npos);
  EXPECT_EQ(data.labels().at("cmake-ko.static-base.tzdata"), "2025b");
  EXPECT_EQ(data.labels().at("cmake-ko.static-base.ca-bundle-date"), "2023-03-11");
}

TEST_F(StaticBaseDataTest, AFileThatIsNotTheRecordedOneIsRefused) {
  write_manifest(std::string(64, '0'));
  try {
    read_static_base_data(dir.path());
    FAIL() << "a mismatching CA bundle was accepted";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("ca-certificates.crt has digest sha256:"), std::string::npos) << message;
    EXPECT_NE(message.find("records sha256:0000"), std::string::npos) << message;
  }
}

TEST_F(StaticBaseDataTest, AMissingFileIsNamed) {
  std::filesystem::remove(dir / "zoneinfo.tar.gz");
  EXPECT_THROW(
      {
        try {
          read_static_base_data(dir.path());
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("zoneinfo.tar.gz (time zone data) is missing"),
                    std::string::npos);
          throw;
        }
      },
      Error);
}

TEST_F(StaticBaseDataTest, AMissingManifestSaysWhereTheDataLives) {
  TempDir empty;
  EXPECT_THROW(read_static_base_data(empty.path()), Error);
}

}  // namespace
}  // namespace ko
