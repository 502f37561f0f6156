// RootfsIndex answers "does this path exist in the base, symlinks followed" — the check
// that keeps a dynamically linked binary off a base without its ELF interpreter.
#include "oci/rootfs.hpp"

#include <gtest/gtest.h>

namespace ko {
namespace {

// A merged-/usr Debian-like layout: /lib64 → usr/lib64, the interpreter a relative symlink.
RootfsIndex debian_like() {
  RootfsIndex index;
  index.add("usr", false, "");
  index.add("usr/lib", false, "");
  index.add("usr/lib/x86_64-linux-gnu", false, "");
  index.add("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", false, "");
  index.add("usr/lib64", false, "");
  index.add("usr/lib64/ld-linux-x86-64.so.2", true, "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
  index.add("lib64", true, "usr/lib64");
  index.add("lib", true, "/usr/lib");
  return index;
}

TEST(RootfsIndex, FollowsDirectoryAndFileSymlinks) {
  RootfsIndex index = debian_like();
  EXPECT_TRUE(index.exists("/lib64/ld-linux-x86-64.so.2"));
  EXPECT_TRUE(index.exists("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
  EXPECT_TRUE(index.exists("/usr/lib64/ld-linux-x86-64.so.2"));
  EXPECT_FALSE(index.exists("/lib64/ld-musl-x86_64.so.1"));
  EXPECT_FALSE(index.exists("/lib/ld-linux-aarch64.so.1"));
}

TEST(RootfsIndex, DanglingSymlinkDoesNotExist) {
  RootfsIndex index;
  index.add("lib64", false, "");
  index.add("lib64/ld-linux-x86-64.so.2", true, "/nowhere/ld.so");
  EXPECT_FALSE(index.exists("/lib64/ld-linux-x86-64.so.2"));
}

TEST(RootfsIndex, WhiteoutRemovesPathAndChildren) {
  RootfsIndex index = debian_like();
  index.remove("usr/lib/x86_64-linux-gnu");
  EXPECT_FALSE(index.exists("/lib64/ld-linux-x86-64.so.2"));
  EXPECT_TRUE(index.exists("/usr/lib64"));
}

TEST(RootfsIndex, SymlinkLoopsEnd) {
  RootfsIndex index;
  index.add("a", true, "b");
  index.add("b", true, "a");
  EXPECT_FALSE(index.exists("/a/file"));
}

TEST(RootfsIndex, ScratchHasNothing) {
  EXPECT_FALSE(RootfsIndex::of(BaseImage{}).exists("/lib64/ld-linux-x86-64.so.2"));
}

}  // namespace
}  // namespace ko
