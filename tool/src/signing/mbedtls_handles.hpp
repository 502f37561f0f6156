// RAII owners of the mbedTLS contexts the signing code uses (keys, big numbers, the random
// generator that blinds the deterministic signature), in one place: every other file uses
// these and never calls an mbedTLS init/free pair itself. (SHA-256 owns its context in
// digest/sha256.hpp.) The free functions zeroize what they free, so key material does not
// outlive its owner.
#pragma once

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

namespace ko {

template <typename Context, void (*Init)(Context*), void (*Free)(Context*)>
class MbedtlsHandle {
 public:
  MbedtlsHandle() { Init(&context_); }
  ~MbedtlsHandle() { Free(&context_); }
  MbedtlsHandle(const MbedtlsHandle&) = delete;
  MbedtlsHandle& operator=(const MbedtlsHandle&) = delete;

  Context* get() { return &context_; }
  const Context* get() const { return &context_; }

 private:
  Context context_;
};

using PkContext = MbedtlsHandle<mbedtls_pk_context, mbedtls_pk_init, mbedtls_pk_free>;
using Mpi = MbedtlsHandle<mbedtls_mpi, mbedtls_mpi_init, mbedtls_mpi_free>;
using EntropyContext =
    MbedtlsHandle<mbedtls_entropy_context, mbedtls_entropy_init, mbedtls_entropy_free>;
using CtrDrbgContext =
    MbedtlsHandle<mbedtls_ctr_drbg_context, mbedtls_ctr_drbg_init, mbedtls_ctr_drbg_free>;

}  // namespace ko
