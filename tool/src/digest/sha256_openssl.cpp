// The OpenSSL backend of Sha256 (KO_SHA256_BACKEND=openssl, the default): libcrypto's EVP
// interface, which picks the CPU's SHA extensions (x86 SHA-NI, Armv8 SHA2) or its AVX2/SSSE3
// code at run time. Every path computes the same function, so digests never depend on the CPU.
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "digest/sha256.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

// Fetched once: EVP_sha256() would look the implementation up again on every init.
const EVP_MD* sha256_method() {
  static EVP_MD* const method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!method) throw Error("OpenSSL has no SHA-256 implementation (EVP_MD_fetch failed)");
  return method;
}

void check(int ok, const char* what) {
  if (ok != 1) throw Error(std::string("OpenSSL SHA-256 ") + what + " failed");
}

}  // namespace

struct Sha256::Context {
  Context() : md(EVP_MD_CTX_new()) {
    if (!md) throw Error("OpenSSL: out of memory for a SHA-256 context");
  }
  ~Context() { EVP_MD_CTX_free(md); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  EVP_MD_CTX* md;
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  check(EVP_DigestInit_ex(context_->md, sha256_method(), nullptr), "init");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) {
  if (finished_) throw Error("internal: SHA-256 updated after finish");
  check(EVP_DigestUpdate(context_->md, data, size), "update");
}

std::array<unsigned char, 32> Sha256::finish() {
  if (finished_) throw Error("internal: SHA-256 finished twice");
  std::array<unsigned char, 32> out;
  unsigned int length = 0;
  check(EVP_DigestFinal_ex(context_->md, out.data(), &length), "finish");
  if (length != out.size())
    throw Error("OpenSSL SHA-256 returned " + std::to_string(length) + " bytes");
  finished_ = true;
  return out;
}

// OpenSSL initialises itself on first use with everything TLS may need. Saying first what is
// not needed leaves the provider and SHA-256 as they are (the same code, the same digests)
// and skips 5 of the 6 million instructions that the first EVP_MD_fetch costs otherwise.
// The flags are one-way for the process: certificate checks look digests up in the legacy
// tables skipped here, hence Sha256::tls_setup_skipped().
void Sha256::skip_backend_tls_setup() {
  if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
                              OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
                          nullptr) != 1)
    throw Error("OpenSSL could not initialise (OPENSSL_init_crypto failed)");
}

std::string Sha256::backend() {
  return OpenSSL_version(OPENSSL_VERSION_STRING)
             ? std::string("OpenSSL ") + OpenSSL_version(OPENSSL_VERSION_STRING)
             : std::string("OpenSSL");
}

}  // namespace ko
