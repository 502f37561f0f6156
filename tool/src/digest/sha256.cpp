#include "digest/sha256.hpp"

#include <mbedtls/version.h>

#include "util/error.hpp"

// mbedTLS 2.x names the checked variants *_ret; 3.x made the plain names return int.
#if MBEDTLS_VERSION_MAJOR < 3
#define KO_SHA256_STARTS mbedtls_sha256_starts_ret
#define KO_SHA256_UPDATE mbedtls_sha256_update_ret
#define KO_SHA256_FINISH mbedtls_sha256_finish_ret
#else
#define KO_SHA256_STARTS mbedtls_sha256_starts
#define KO_SHA256_UPDATE mbedtls_sha256_update
#define KO_SHA256_FINISH mbedtls_sha256_finish
#endif

namespace ko {

namespace {
void check(int rc, const char* what) {
  if (rc != 0)
    throw Error(std::string("mbedTLS SHA-256 ") + what + " failed (" + std::to_string(rc) + ")");
}
}  // namespace

Sha256::Sha256() {
  mbedtls_sha256_init(&context_);
  check(KO_SHA256_STARTS(&context_, /*is224=*/0), "start");
}

Sha256::~Sha256() {
  mbedtls_sha256_free(&context_);
}

void Sha256::update(const void* data, size_t size) {
  if (finished_) throw Error("internal: SHA-256 updated after finish");
  check(KO_SHA256_UPDATE(&context_, static_cast<const unsigned char*>(data), size), "update");
}

std::array<unsigned char, 32> Sha256::finish() {
  if (finished_) throw Error("internal: SHA-256 finished twice");
  std::array<unsigned char, 32> out;
  check(KO_SHA256_FINISH(&context_, out.data()), "finish");
  finished_ = true;
  return out;
}

std::string Sha256::finish_hex() {
  const std::array<unsigned char, 32> out = finish();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (unsigned char byte : out) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xf]);
  }
  return hex;
}

}  // namespace ko
