#include "util/tar_reader.hpp"

#include "util/archive_library.hpp"
#include "util/error.hpp"

namespace ko {

void read_tar(const std::filesystem::path& file, const std::string& what,
              const std::function<void(archive* a, archive_entry* entry)>& visit) {
  const ArchiveLibrary& libarchive = archive_library();
  ArchiveReader reader(libarchive.read_new());
  archive* a = reader.get();
  libarchive.read_support_filter_all(a);
  libarchive.read_support_format_tar(a);
  if (libarchive.read_open_filename(a, file.c_str(), 1 << 16) != ARCHIVE_OK)
    throw Error("cannot read " + what + ": " + archive_error_text(a));
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = libarchive.read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) return;
    if (rc < ARCHIVE_WARN)
      throw Error(what + " is not a readable tar stream: " + archive_error_text(a));
    visit(a, entry);
  }
}

void read_tar_data(archive* a, const std::string& what,
                   const std::function<void(const char* data, size_t size)>& consume) {
  const ArchiveLibrary& libarchive = archive_library();
  char buffer[1 << 16];
  for (;;) {
    la_ssize_t n = libarchive.read_data(a, buffer, sizeof buffer);
    if (n == 0) return;
    if (n < 0) throw Error(what + " is truncated or damaged: " + archive_error_text(a));
    consume(buffer, static_cast<size_t>(n));
  }
}

}  // namespace ko
