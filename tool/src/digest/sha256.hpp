// SHA-256 over a stream of bytes, via mbedTLS. The context is owned here (RAII) and
// nowhere else in the code base.
#pragma once

#include <mbedtls/sha256.h>

#include <array>
#include <cstdint>
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

 private:
  mbedtls_sha256_context context_;
  bool finished_ = false;
};

}  // namespace ko
