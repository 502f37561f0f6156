// SHA-256 over a stream of bytes. The backend is chosen at configure time
// (KO_SHA256_BACKEND): OpenSSL's libcrypto EVP, which uses the CPU's SHA instructions on
// x86-64 and Armv8 (sha256_openssl.cpp), or mbedTLS (sha256_mbedtls.cpp), for builds
// without OpenSSL. Both give the same digests; the context is owned here (RAII).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ko {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // The 32 digest bytes. The object cannot be updated afterwards.
  std::array<unsigned char, 32> finish();
  // Lowercase hex of the digest. The object cannot be updated afterwards.
  std::string finish_hex();

  // The backend and its version, e.g. "OpenSSL 3.0.19" or "mbedTLS 2.28.3".
  static std::string backend();

  // For a process that never opens a TLS connection (the steps that only read and write
  // files): OpenSSL then skips reading openssl.cnf and building its legacy algorithm-name
  // tables, which only TLS (certificate checks) reads, about 1.1 ms of each helper start;
  // mbedTLS has nothing to skip. Call first, before any hashing. The process cannot use
  // TLS afterwards, so curl_library() refuses to load from then on.
  static void skip_tls_setup();
  static bool tls_setup_skipped();

 private:
  static void skip_backend_tls_setup();  // the backend's part of skip_tls_setup()

  struct Context;  // the backend's
  std::unique_ptr<Context> context_;
  bool finished_ = false;
};

}  // namespace ko
