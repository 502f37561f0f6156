#include "signing/ec_key.hpp"

#include <mbedtls/asn1write.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/version.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <system_error>

#include "digest/sha256.hpp"
#include "signing/mbedtls_handles.hpp"
#include "util/error.hpp"

// mbedTLS 3 made the context fields private (reachable through MBEDTLS_PRIVATE).
#ifndef MBEDTLS_PRIVATE
#define MBEDTLS_PRIVATE(member) member
#endif

namespace ko {

namespace {

constexpr std::uintmax_t kMaxKeyFileBytes = 64 << 10;

std::string mbedtls_message(int rc) {
  char text[160];
  mbedtls_strerror(rc, text, sizeof text);
  return text;
}

// Key bytes are wiped when the buffer holding them goes away.
struct SecretText {
  std::string bytes;
  ~SecretText() { mbedtls_platform_zeroize(bytes.data(), bytes.size()); }
};

// Reads a key file: a regular, readable, small file. The error names the file only.
void read_key_file(const std::filesystem::path& file, const std::string& what, SecretText& out) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status))
    throw Error(what + " " + file.string() + " does not exist");
  if (!std::filesystem::is_regular_file(status))
    throw Error(what + " " + file.string() + " is not a regular file");
  if (std::filesystem::file_size(file, ec) > kMaxKeyFileBytes || ec)
    throw Error(what + " " + file.string() + " is too large to be a PEM key");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(system_error_text("cannot read " + what + " " + file.string(), errno));
  out.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("cannot read " + what + " " + file.string());
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Names a PEM that is not what we can use, before mbedTLS gives a vaguer message.
void reject_unusable_pem(std::string_view pem, const std::string& origin, bool want_private) {
  if (!contains(pem, "-----BEGIN ")) throw Error(origin + " is not a PEM key (no -----BEGIN line)");
  if (contains(pem, "SIGSTORE PRIVATE KEY-----") || contains(pem, "COSIGN PRIVATE KEY-----"))
    throw Error(origin +
                " is a cosign-encrypted key, which ko-image cannot read: give the PEM EC P-256 "
                "private key it was made from (see README, Signing)");
  if (contains(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
      contains(pem, "Proc-Type: 4,ENCRYPTED"))
    throw Error(origin +
                " is password-protected; ko-image reads only unencrypted PEM keys (keep the file "
                "in your CI's secret store instead)");
  const bool has_private = contains(pem, "PRIVATE KEY-----");
  if (want_private && !has_private && contains(pem, "PUBLIC KEY-----"))
    throw Error(origin + " is a public key; signing needs the private key");
  if (!want_private && has_private)
    throw Error(origin +
                " is a private key; verifying needs only the public key (openssl pkey -in KEY "
                "-pubout)");
}

// The key must be ECDSA-capable and on P-256, the curve cosign's keys use.
void require_p256(const mbedtls_pk_context& pk, const std::string& origin) {
  if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY)
    throw Error(origin + " is an " + mbedtls_pk_get_name(&pk) +
                " key; signatures need an EC P-256 key");
  const mbedtls_ecp_group_id curve = mbedtls_pk_ec(pk)->MBEDTLS_PRIVATE(grp).id;
  if (curve != MBEDTLS_ECP_DP_SECP256R1) {
    const mbedtls_ecp_curve_info* info = mbedtls_ecp_curve_info_from_grp_id(curve);
    throw Error(origin + " is an EC key on " + (info ? info->name : "an unknown curve") +
                "; signatures need P-256 (prime256v1)");
  }
}

std::array<unsigned char, 32> sha256_of(std::string_view message) {
  Sha256 sha;
  sha.update(message);
  return sha.finish();
}

bool verify_with(const mbedtls_pk_context& pk, std::string_view message,
                 std::string_view signature) {
  const auto hash = sha256_of(message);
  // mbedtls_pk_verify takes a non-const context but does not change it.
  return mbedtls_pk_verify(const_cast<mbedtls_pk_context*>(&pk), MBEDTLS_MD_SHA256, hash.data(),
                           hash.size(), reinterpret_cast<const unsigned char*>(signature.data()),
                           signature.size()) == 0;
}

}  // namespace

// --- SigningKey ---------------------------------------------------------------------------

struct SigningKey::Impl {
  PkContext pk;
  EntropyContext entropy;
  CtrDrbgContext blinding;  // randomizes the computation, not the result
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

SigningKey SigningKey::load(const std::filesystem::path& file) {
  SecretText pem;
  read_key_file(file, "signing key", pem);
  return parse(pem.bytes, "signing key " + file.string());
}

SigningKey SigningKey::parse(std::string_view pem, const std::string& origin) {
  reject_unusable_pem(pem, origin, /*want_private=*/true);
  auto impl = std::make_unique<Impl>();
  int rc = mbedtls_ctr_drbg_seed(impl->blinding.get(), mbedtls_entropy_func, impl->entropy.get(),
                                 nullptr, 0);
  if (rc != 0) throw Error("cannot seed the random generator: " + mbedtls_message(rc));
  SecretText text{std::string(pem)};  // mbedTLS wants the PEM NUL-terminated, NUL counted
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.bytes.c_str());
#if MBEDTLS_VERSION_MAJOR < 3
  rc = mbedtls_pk_parse_key(impl->pk.get(), bytes, text.bytes.size() + 1, nullptr, 0);
#else
  rc = mbedtls_pk_parse_key(impl->pk.get(), bytes, text.bytes.size() + 1, nullptr, 0,
                            mbedtls_ctr_drbg_random, impl->blinding.get());
#endif
  if (rc != 0)
    throw Error(origin + " is not a usable PEM private key (" + mbedtls_message(rc) + ")");
  require_p256(*impl->pk.get(), origin);
  return SigningKey(std::move(impl));
}

std::string SigningKey::sign(std::string_view message) const {
  const auto hash = sha256_of(message);
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(*impl_->pk.get());
  Mpi r, s;
  int rc = mbedtls_ecdsa_sign_det_ext(
      &ec->MBEDTLS_PRIVATE(grp), r.get(), s.get(), &ec->MBEDTLS_PRIVATE(d), hash.data(),
      hash.size(), MBEDTLS_MD_SHA256, mbedtls_ctr_drbg_random, impl_->blinding.get());
  if (rc != 0) throw Error("ECDSA signing failed: " + mbedtls_message(rc));

  // Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, written back to front.
  unsigned char buffer[MBEDTLS_ECDSA_MAX_LEN];
  unsigned char* p = buffer + sizeof buffer;
  size_t length = 0;
  auto add = [&](int written) {
    if (written < 0)
      throw Error("DER encoding of the signature failed: " + mbedtls_message(written));
    length += static_cast<size_t>(written);
  };
  add(mbedtls_asn1_write_mpi(&p, buffer, s.get()));
  add(mbedtls_asn1_write_mpi(&p, buffer, r.get()));
  add(mbedtls_asn1_write_len(&p, buffer, length));
  add(mbedtls_asn1_write_tag(&p, buffer, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
  std::string signature(reinterpret_cast<const char*>(p), length);

  // A signature that does not verify (a fault, a broken build of mbedTLS) never leaves here.
  if (!verify_with(*impl_->pk.get(), message, signature))
    throw Error("internal: the signature just made does not verify");
  return signature;
}

std::string SigningKey::public_key_pem() const {
  unsigned char buffer[1024];
  int rc = mbedtls_pk_write_pubkey_pem(impl_->pk.get(), buffer, sizeof buffer);
  if (rc != 0) throw Error("cannot write the public key: " + mbedtls_message(rc));
  return reinterpret_cast<const char*>(buffer);
}

// --- VerificationKey ----------------------------------------------------------------------

struct VerificationKey::Impl {
  PkContext pk;
};

VerificationKey::VerificationKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VerificationKey::VerificationKey(VerificationKey&&) noexcept = default;
VerificationKey& VerificationKey::operator=(VerificationKey&&) noexcept = default;
VerificationKey::~VerificationKey() = default;

VerificationKey VerificationKey::load(const std::filesystem::path& file) {
  SecretText pem;  // public, but read the same careful way
  read_key_file(file, "public key", pem);
  return parse(pem.bytes, "public key " + file.string());
}

VerificationKey VerificationKey::parse(std::string_view pem, const std::string& origin) {
  reject_unusable_pem(pem, origin, /*want_private=*/false);
  auto impl = std::make_unique<Impl>();
  const std::string text(pem);
  int rc = mbedtls_pk_parse_public_key(
      impl->pk.get(), reinterpret_cast<const unsigned char*>(text.c_str()), text.size() + 1);
  if (rc != 0)
    throw Error(origin + " is not a usable PEM public key (" + mbedtls_message(rc) + ")");
  require_p256(*impl->pk.get(), origin);
  return VerificationKey(std::move(impl));
}

bool VerificationKey::verify(std::string_view message, std::string_view der_signature) const {
  return verify_with(*impl_->pk.get(), message, der_signature);
}

}  // namespace ko
