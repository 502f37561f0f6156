// EC P-256 keys for cosign-compatible signatures (ECDSA over SHA-256, ASN.1 DER), via mbedTLS.
//
// Signing is deterministic (RFC 6979: the nonce is derived from the key and the message),
// so the same key and payload always give the same signature bytes; that is what makes a
// signature manifest as reproducible as the image it signs. A random generator is used
// only to blind the computation against side channels; it does not change the result.
//
// Key files are PEM: PKCS#8 ("PRIVATE KEY", what `openssl genpkey -algorithm EC -pkeyopt
// ec_paramgen_curve:P-256` writes) or SEC1 ("EC PRIVATE KEY", `openssl ecparam -genkey`);
// public keys as SubjectPublicKeyInfo ("PUBLIC KEY", what `cosign public-key` and
// `openssl pkey -pubout` write). Errors name the file and what is wrong with it, never its
// contents; the bytes read are zeroized once parsed.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace ko {

class SigningKey {
 public:
  // Throws ko::Error (one line) when the file is missing or unreadable, or holds no
  // unencrypted EC P-256 private key (an RSA, P-384, public or encrypted key, …).
  static SigningKey load(const std::filesystem::path& file);
  // The same, from PEM text; `origin` names it in errors.
  static SigningKey parse(std::string_view pem, const std::string& origin);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  // The DER-encoded ECDSA signature of SHA-256(message).
  std::string sign(std::string_view message) const;
  // The public half, PEM SubjectPublicKeyInfo (what `cosign verify --key` takes).
  std::string public_key_pem() const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class VerificationKey {
 public:
  // Throws ko::Error when the file holds no EC P-256 public key.
  static VerificationKey load(const std::filesystem::path& file);
  static VerificationKey parse(std::string_view pem, const std::string& origin);

  VerificationKey(VerificationKey&&) noexcept;
  VerificationKey& operator=(VerificationKey&&) noexcept;
  ~VerificationKey();

  // Whether `der_signature` is a valid signature of SHA-256(message) under this key.
  bool verify(std::string_view message, std::string_view der_signature) const;

 private:
  struct Impl;
  explicit VerificationKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ko
