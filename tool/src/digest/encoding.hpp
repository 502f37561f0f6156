// Base64 and MD5 via mbedTLS: Basic auth headers, docker config "auth" fields, and ko's
// default repository naming (<name>-<md5 of the import path>).
#pragma once

#include <string>
#include <string_view>

namespace ko {

std::string base64_encode(std::string_view bytes);
// Throws ko::Error naming `what` when `text` is not base64.
std::string base64_decode(std::string_view text, std::string_view what);
std::string md5_hex(std::string_view bytes);

}  // namespace ko
