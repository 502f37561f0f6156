// RAII owners of libarchive handles, shared by every file that reads or writes tar streams.
#pragma once

#include <memory>
#include <string>

#include "util/archive_library.hpp"

namespace ko {

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_library().read_free(a); }
};
struct ArchiveWriteDeleter {
  void operator()(archive* a) const { archive_library().write_free(a); }
};
struct ArchiveEntryDeleter {
  void operator()(archive_entry* e) const { archive_library().entry_free(e); }
};

using ArchiveReader = std::unique_ptr<archive, ArchiveReadDeleter>;
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteDeleter>;
using ArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryDeleter>;

// libarchive's message for the last error on `a`, or a placeholder when it has none (it
// can be null, and a null char* in an error message crashed the helper once).
inline std::string archive_error_text(archive* a) {
  const char* message = archive_library().error_string(a);
  return message && *message ? message : "unknown libarchive error";
}

}  // namespace ko
