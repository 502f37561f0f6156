// libarchive, loaded with dlopen on first use instead of linked: libarchive.so.13 pulls in
// nine libraries (nettle, xml2 and ICU, lzma, bz2, lz4, acl, zlib…) whose loading cost every
// helper start about 0.9 ms (the layout step: 3.8 → 2.9 ms), while only the steps that read
// or write tar streams (layer, tarball, static-base, diff, an image step that looks into
// its base's files) need them. The headers give the types and the ABI (soname 13).
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace ko {

// The libarchive functions we use, listed once: the struct's members and the symbols the
// loader resolves are both made from this list (member `read_new` is `archive_read_new`).
#define KO_ARCHIVE_FUNCTIONS(X)      \
  X(read_new)                        \
  X(read_free)                       \
  X(read_support_filter_all)         \
  X(read_support_format_tar)         \
  X(read_open_filename)              \
  X(read_next_header)                \
  X(read_data)                       \
  X(write_new)                       \
  X(write_free)                      \
  X(write_set_format_pax_restricted) \
  X(write_add_filter_none)           \
  X(write_set_bytes_in_last_block)   \
  X(write_set_bytes_per_block)       \
  X(write_open)                      \
  X(write_header)                    \
  X(write_data)                      \
  X(write_close)                     \
  X(error_string)                    \
  X(entry_new)                       \
  X(entry_free)                      \
  X(entry_pathname)                  \
  X(entry_symlink)                   \
  X(entry_hardlink)                  \
  X(entry_filetype)                  \
  X(entry_uname)                     \
  X(entry_gname)                     \
  X(entry_uid)                       \
  X(entry_gid)                       \
  X(entry_perm)                      \
  X(entry_mtime)                     \
  X(entry_size)                      \
  X(entry_set_pathname_utf8)         \
  X(entry_set_perm)                  \
  X(entry_set_uid)                   \
  X(entry_set_gid)                   \
  X(entry_set_mtime)                 \
  X(entry_set_filetype)              \
  X(entry_set_symlink_utf8)          \
  X(entry_set_size)

struct ArchiveLibrary {
#define KO_ARCHIVE_MEMBER(name) decltype(&::archive_##name) name;
  KO_ARCHIVE_FUNCTIONS(KO_ARCHIVE_MEMBER)
#undef KO_ARCHIVE_MEMBER
};

// Loads libarchive.so.13 the first time (thread-safe) and keeps it for the process. Throws
// ko::Error saying what to install when it is missing or lacks a function we use.
const ArchiveLibrary& archive_library();

}  // namespace ko
