#include "digest/digest.hpp"

#include <fstream>

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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string());
  Sha256 sha;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    sha.update(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw Error("cannot read " + path.string());
  return Digest(sha.finish_hex());
}

}  // namespace ko
