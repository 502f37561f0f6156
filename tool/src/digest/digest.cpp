#include "digest/digest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "digest/sha256.hpp"
#include "util/error.hpp"

namespace ko {

namespace {
bool is_lower_hex64(std::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

bool Digest::is_valid(std::string_view text) {
  return text.starts_with("sha256:") && is_lower_hex64(text.substr(7));
}

Digest Digest::parse(std::string_view text) {
  if (!is_valid(text))
    throw Error("invalid digest '" + std::string(text) +
                "': expected sha256:<64 lowercase hex digits>");
  return Digest(std::string(text.substr(7)));
}

Digest Digest::from_hex(std::string hex) {
  if (!is_lower_hex64(hex)) throw Error("invalid sha256 hex '" + hex + "'");
  return Digest(std::move(hex));
}

Digest Digest::of_bytes(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes);
  return Digest(sha.finish_hex());
}

Digest Digest::of_file(const std::filesystem::path& path) {
  // Plain read(2) into a 64 KiB buffer: with a hardware SHA-256 (~2 GB/s) an ifstream's
  // extra copy was a tenth of the time, and on an AMD EPYC reads of 128 KiB or more tripled
  // the kernel's copy time (256 MiB: 0.31 s against 0.22 s for 16-64 KiB reads).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(system_error_text("cannot read " + path.string(), errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  Sha256 sha;
  std::vector<char> buffer(64 << 10);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(system_error_text("cannot read " + path.string(), errno));
    if (n == 0) break;
    sha.update(buffer.data(), static_cast<size_t>(n));
  }
  return Digest(sha.finish_hex());
}

}  // namespace ko
