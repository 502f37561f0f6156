// A content digest such as "sha256:9f86d0…": the name of every blob we write or read.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ko {

class Digest {
 public:
  // Parses "sha256:<64 lowercase hex>"; throws ko::Error naming the text otherwise.
  static Digest parse(std::string_view text);
  static Digest from_hex(std::string hex);  // validates like parse
  static Digest of_bytes(std::string_view bytes);
  static Digest of_file(const std::filesystem::path& path);
  static bool is_valid(std::string_view text);

  const std::string& hex() const { return hex_; }
  std::string str() const { return "sha256:" + hex_; }
  auto operator<=>(const Digest&) const = default;

 private:
  explicit Digest(std::string hex) : hex_(std::move(hex)) {}
  std::string hex_;
};

}  // namespace ko
