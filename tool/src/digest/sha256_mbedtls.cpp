// The mbedTLS backend of Sha256 (KO_SHA256_BACKEND=mbedtls): portable C, no x86 SHA-NI
// code in any mbedTLS release, so about 6× slower than OpenSSL's on x86-64.
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "digest/sha256.hpp"
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

struct Sha256::Context {
  Context() { mbedtls_sha256_init(&sha); }
  ~Context() { mbedtls_sha256_free(&sha); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  mbedtls_sha256_context sha;
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  check(KO_SHA256_STARTS(&context_->sha, /*is224=*/0), "start");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) {
  if (finished_) throw Error("internal: SHA-256 updated after finish");
  check(KO_SHA256_UPDATE(&context_->sha, static_cast<const unsigned char*>(data), size), "update");
}

std::array<unsigned char, 32> Sha256::finish() {
  if (finished_) throw Error("internal: SHA-256 finished twice");
  std::array<unsigned char, 32> out;
  check(KO_SHA256_FINISH(&context_->sha, out.data()), "finish");
  finished_ = true;
  return out;
}

std::string Sha256::backend() {
  return "mbedTLS " MBEDTLS_VERSION_STRING;
}

void Sha256::skip_backend_tls_setup() {}  // mbedTLS's SHA-256 has no start-up to skip

}  // namespace ko
