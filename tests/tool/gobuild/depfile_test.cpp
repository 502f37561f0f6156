#include "gobuild/depfile.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace ko {
namespace {

TEST(Depfile, OneDependencyPerContinuationLine) {
  EXPECT_EQ(format_depfile("out/hello", {"/src/main.go", "/src/go.mod"}),
            "out/hello: \\\n  /src/main.go \\\n  /src/go.mod\n");
}

TEST(Depfile, NoDependencies) {
  EXPECT_EQ(format_depfile("out/hello", {}), "out/hello:\n");
}

TEST(Depfile, EscapesSpacesHashesAndDollars) {
  EXPECT_EQ(format_depfile("my out/hello", {"/src/my dir/a.go", "/src/#1.go", "/src/$x/b.go"}),
            "my\\ out/hello: \\\n  /src/my\\ dir/a.go \\\n  /src/\\#1.go \\\n  /src/$$x/b.go\n");
}

TEST(Depfile, OtherCharactersAreKept) {
  EXPECT_EQ(format_depfile("t", {"/a-b_c.d/e+f@v1.2.3/%g.go"}),
            "t: \\\n  /a-b_c.d/e+f@v1.2.3/%g.go\n");
}

// As build.ninja names them, so Ninja reads the depfile without CMake's transform step.
TEST(Depfile, PathsUnderTheNinjaDirectoryAreRelativeToIt) {
  EXPECT_EQ(format_depfile("/b/ko/app", {"/src/main.go", "/b/gen/x.go", "/bx/y.go", "/b"}, "/b/"),
            "ko/app: \\\n  /src/main.go \\\n  gen/x.go \\\n  /bx/y.go \\\n  /b\n");
  EXPECT_EQ(format_depfile("/b/ko/app", {"rel/z.go"}, "/b"), "ko/app: \\\n  rel/z.go\n");
  EXPECT_EQ(format_depfile("/b/ko/app", {}, ""), "/b/ko/app:\n");
}

// Found by fuzz.depfile: a line break in a path would have split the depfile entry.
TEST(Depfile, LineBreakInAPathIsRefused) {
  EXPECT_THROW(format_depfile("t", {"/c\n%"}), Error);
  EXPECT_THROW(format_depfile("t", {"/c\r"}), Error);
}

}  // namespace
}  // namespace ko
