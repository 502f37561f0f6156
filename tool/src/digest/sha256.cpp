#include "digest/sha256.hpp"

#include <atomic>

namespace ko {

namespace {
std::atomic<bool> tls_setup_was_skipped{false};
}  // namespace

void Sha256::skip_tls_setup() {
  skip_backend_tls_setup();
  tls_setup_was_skipped = true;
}

bool Sha256::tls_setup_skipped() {
  return tls_setup_was_skipped;
}

// Both backends end in finish(); the hex form is written once, here.
std::string Sha256::finish_hex() {
  const std::array<unsigned char, 32> digest = finish();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

}  // namespace ko
