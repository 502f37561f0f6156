#include "util/archive_library.hpp"

#include "util/shared_library.hpp"

namespace ko {

namespace {

constexpr SharedLibrarySpec kLibarchive{.soname = "libarchive.so.13",  // libarchive 3.x
                                        .users = "reading and writing tar layers",
                                        .package = "libarchive13",
                                        .minimum = "libarchive ≥ 3.6"};

ArchiveLibrary load() {
  void* handle = open_shared_library(kLibarchive);
  ArchiveLibrary lib{};
#define KO_ARCHIVE_RESOLVE(name) \
  resolve_shared_function(handle, kLibarchive, lib.name, "archive_" #name);
  KO_ARCHIVE_FUNCTIONS(KO_ARCHIVE_RESOLVE)
#undef KO_ARCHIVE_RESOLVE
  return lib;
}

}  // namespace

const ArchiveLibrary& archive_library() {
  static const ArchiveLibrary library = load();
  return library;
}

}  // namespace ko
