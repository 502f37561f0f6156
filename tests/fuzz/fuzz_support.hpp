// Shared pieces of the libFuzzer targets (tests/fuzz/*_fuzz.cpp).
//
// Every target feeds outside input to one parser. A ko::Error is the parser's way of
// refusing bad input and is expected; anything else that escapes (another exception type,
// a crash, a sanitizer report, a leak, a hang) is a bug, and libFuzzer stops on it.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace ko::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `parse`, treating ko::Error as a refusal.
template <typename Parse>
int run(Parse&& parse) {
  try {
    parse();
  } catch (const Error&) {
  }
  return 0;
}

// A property the parser promises; a broken one is reported like a crash.
inline void require(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
  }
}

// A private scratch directory for targets whose parser reads files, removed at exit.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "ko-fuzz.XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return std::filesystem::path(pattern);
  }();
  return dir;
}

// Removes the files it was given when it goes out of scope: blob-store targets would
// otherwise leave one blob per input behind.
class RemoveAtEnd {
 public:
  void add(std::filesystem::path path) { paths_.push_back(std::move(path)); }
  ~RemoveAtEnd() {
    std::error_code ec;
    for (const auto& path : paths_) std::filesystem::remove(path, ec);
  }

 private:
  std::vector<std::filesystem::path> paths_;
};

}  // namespace ko::fuzz
