#include "util/fs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.hpp"

namespace ko {

std::string system_error_text(const std::string& what, int error_number) {
  return what + ": " + std::strerror(error_number);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(system_error_text("cannot read " + path.string(), errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw Error("cannot read " + path.string());
  return std::move(out).str();
}

namespace {

constexpr std::string_view kTempMarker = ".tmp-";

// `.<name>.tmp-<pid>-<n>`: hidden, and naming the process that writes it.
fs::path unique_temp_name(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  return target.parent_path() / ("." + target.filename().string() + std::string(kTempMarker) +
                                 std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// The writer's process ID of a name unique_temp_name made; 0 for any other name.
pid_t temp_file_writer(const std::string& name) {
  if (!name.starts_with('.')) return 0;
  const size_t marker = name.rfind(kTempMarker);
  if (marker == std::string::npos) return 0;
  const std::string rest = name.substr(marker + kTempMarker.size());
  const size_t dash = rest.find('-');
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == s.npos;
  };
  if (dash == std::string::npos || !digits(std::string_view(rest).substr(0, dash)) ||
      !digits(std::string_view(rest).substr(dash + 1)))
    return 0;
  return static_cast<pid_t>(std::stol(rest.substr(0, dash)));
}

bool process_is_running(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

TempFile::TempFile(const fs::path& target) : target_(target), temp_(unique_temp_name(target)) {
  if (!target.parent_path().empty()) fs::create_directories(target.parent_path());
}

TempFile::~TempFile() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove(temp_, ignored);
  }
}

void remove_stale_temp_files(const fs::path& directory) {
  // A writer in another PID namespace (a container sharing the cache) looks dead from here:
  // its file is left alone while it is being written to. A live download writes at least
  // every 30 s (the low-speed limit of registry/http_client.cpp) and ends in a rename.
  constexpr auto kUntouchedFor = std::chrono::minutes(10);
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t writer = temp_file_writer(it->path().filename().string());
    if (writer <= 0 || process_is_running(writer)) continue;
    std::error_code time_error;
    const auto written = fs::last_write_time(it->path(), time_error);
    if (!time_error && now - written > kUntouchedFor) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

void TempFile::commit_to(const fs::path& final_path) {
  if (::rename(temp_.c_str(), final_path.c_str()) != 0)
    throw Error(
        system_error_text("cannot rename " + temp_.string() + " to " + final_path.string(), errno));
  committed_ = true;
}

void write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
  TempFile temp(path);
  {
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    if (!out) throw Error(system_error_text("cannot write " + temp.path().string(), errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw Error("cannot write " + temp.path().string() + " (disk full?)");
  }
  fs::permissions(temp.path(), mode);
  temp.commit();
}

bool write_file_if_changed(const fs::path& path, std::string_view content) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == content.size() && !ec &&
      read_file(path) == content) {
    return false;
  }
  write_file_atomic(path, content);
  return true;
}

void link_or_copy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) return;
  fs::create_directories(to.parent_path());
  if (::link(from.c_str(), to.c_str()) == 0 || errno == EEXIST) return;
  // Cross-device or a file system without hard links: copy through a temp file.
  TempFile temp(to);
  if (!fs::copy_file(from, temp.path(), fs::copy_options::overwrite_existing, ec))
    throw Error("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
  temp.commit();
}

bool files_equal(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (!fs::is_regular_file(a, ec) || !fs::is_regular_file(b, ec)) return false;
  if (fs::file_size(a) != fs::file_size(b)) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  char ba[1 << 16], bb[1 << 16];
  while (fa && fb) {
    fa.read(ba, sizeof ba);
    fb.read(bb, sizeof bb);
    if (fa.gcount() != fb.gcount() || std::memcmp(ba, bb, static_cast<size_t>(fa.gcount())) != 0)
      return false;
  }
  return fa.eof() && fb.eof();
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw Error(system_error_text("cannot create a temporary directory " + pattern, errno));
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

}  // namespace ko
