#include "util/shared_library.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"
#include "util/archive_library.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

TEST(SharedLibraryTest, AMissingLibrarySaysWhatNeedsItAndWhatToInstall) {
  const SharedLibrarySpec spec{.soname = "libko-no-such-library.so.1",
                               .users = "the frobnicator",
                               .package = "libfrob1",
                               .minimum = "libfrob ≥ 1.2"};
  const std::string message = testing::message_of<Error>([&] { open_shared_library(spec); });
  EXPECT_NE(message.find("cannot load libko-no-such-library.so.1"), std::string::npos) << message;
  EXPECT_NE(message.find("which the frobnicator needs: install libfrob1"), std::string::npos)
      << message;
}

TEST(SharedLibraryTest, AMissingFunctionSaysWhichVersionIsNeeded) {
  const SharedLibrarySpec spec{.soname = "libarchive.so.13",
                               .users = "tests",
                               .package = "libarchive13",
                               .minimum = "libarchive ≥ 9.9"};
  void* handle = open_shared_library(spec);
  EXPECT_NE(shared_library_symbol(handle, spec, "archive_read_new"), nullptr);
  const std::string message = testing::message_of<Error>(
      [&] { shared_library_symbol(handle, spec, "archive_no_such_function"); });
  EXPECT_EQ(message,
            "libarchive.so.13 has no archive_no_such_function (libarchive ≥ 9.9 is needed): "
            "upgrade libarchive13");
}

TEST(SharedLibraryTest, ArchiveLibraryHasEveryFunctionWeUse) {
  const ArchiveLibrary& libarchive = archive_library();
#define KO_EXPECT_LOADED(name) EXPECT_NE(libarchive.name, nullptr) << #name;
  KO_ARCHIVE_FUNCTIONS(KO_EXPECT_LOADED)
#undef KO_EXPECT_LOADED
  EXPECT_EQ(&archive_library(), &libarchive) << "loaded once";
}

}  // namespace
}  // namespace ko
