// File-system helpers with the guarantees the build graph relies on: outputs are written
// to a temporary file in the same directory and renamed into place, so Ninja never sees
// a half-written file as up to date.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/removed_on_signal.hpp"

namespace ko {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path);

// Writes `content` to a temp file beside `path`, fsync-free, then renames it over `path`.
void write_file_atomic(const fs::path& path, std::string_view content,
                       fs::perms mode = fs::perms(0644));

// Like write_file_atomic, but leaves `path` (and its mtime) untouched when it already
// holds exactly `content`. Returns true when the file was (re)written. This is what lets
// Ninja's `restat` prune downstream steps.
bool write_file_if_changed(const fs::path& path, std::string_view content);

// Makes `to` the same content as `from`: a hard link where the file system allows it,
// else a copy (via temp + rename). An existing `to` is kept, since blobs are immutable.
void link_or_copy(const fs::path& from, const fs::path& to);

// A temporary file path beside `target`, `.<name>.tmp-<pid>-<n>`, that is removed on
// destruction unless committed, and by a signal that stops the process.
class TempFile {
 public:
  explicit TempFile(const fs::path& target);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const fs::path& path() const { return temp_; }
  // Renames the temp file to `final_path` (default: the target given at construction).
  void commit_to(const fs::path& final_path);
  void commit() { commit_to(target_); }

 private:
  fs::path target_;
  fs::path temp_;
  RemovedOnSignal removed_on_signal_{temp_.string()};
  bool committed_ = false;
};

// Removes the temporary files in `directory` (not its subdirectories) that a process no
// longer running left there (one killed by SIGKILL, or before a reboot) and that nobody
// has written for ten minutes. Those of live processes are in use and stay.
void remove_stale_temp_files(const fs::path& directory);

// A fresh directory under the system temp dir (TMPDIR), removed with everything in it on
// destruction: scratch space for a run that must leave nothing behind.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// True when both files exist and have identical bytes.
bool files_equal(const fs::path& a, const fs::path& b);

}  // namespace ko
