#include "digest/encoding.hpp"

#include <mbedtls/base64.h>
#include <mbedtls/md5.h>
#include <mbedtls/version.h>

#include <vector>

#include "util/error.hpp"

namespace ko {

std::string base64_encode(std::string_view bytes) {
  size_t length = 0;
  auto* input = reinterpret_cast<const unsigned char*>(bytes.data());
  mbedtls_base64_encode(nullptr, 0, &length, input, bytes.size());  // asks for the size
  std::vector<unsigned char> out(length);
  if (mbedtls_base64_encode(out.data(), out.size(), &length, input, bytes.size()) != 0)
    throw Error("base64 encoding failed");
  return std::string(reinterpret_cast<char*>(out.data()), length);
}

std::string base64_decode(std::string_view text, std::string_view what) {
  size_t length = 0;
  auto* input = reinterpret_cast<const unsigned char*>(text.data());
  int rc = mbedtls_base64_decode(nullptr, 0, &length, input, text.size());
  if (rc == MBEDTLS_ERR_BASE64_INVALID_CHARACTER) throw Error(std::string(what) + " is not base64");
  std::vector<unsigned char> out(length);
  if (mbedtls_base64_decode(out.data(), out.size(), &length, input, text.size()) != 0)
    throw Error(std::string(what) + " is not base64");
  return std::string(reinterpret_cast<char*>(out.data()), length);
}

std::string md5_hex(std::string_view bytes) {
  unsigned char out[16];
#if MBEDTLS_VERSION_MAJOR < 3
  int rc = mbedtls_md5_ret(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
#else
  int rc = mbedtls_md5(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
#endif
  if (rc != 0) throw Error("MD5 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : out) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return hex;
}

}  // namespace ko
