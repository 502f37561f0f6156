#include "registry/curl_library.hpp"

#include "digest/sha256.hpp"
#include "util/error.hpp"
#include "util/shared_library.hpp"

namespace ko {

namespace {

constexpr SharedLibrarySpec kLibcurl{.soname = "libcurl.so.4",  // every libcurl 7.x/8.x
                                     .users = "registry access",
                                     .package = "libcurl4",
                                     .minimum = "libcurl ≥ 7.66"};

CurlLibrary load() {
  // A command marked Network::kNever skipped OpenSSL's TLS set-up (digest/sha256.hpp): TLS
  // would fail later, in certificate checks, with a far less clear message.
  if (Sha256::tls_setup_skipped())
    throw Error("internal: a command declared to never use the network needs libcurl");
  // Never unloaded: libcurl keeps global state (its TLS library) for the process.
  void* handle = open_shared_library(kLibcurl);
  CurlLibrary lib{};
#define KO_CURL_RESOLVE(name) resolve_shared_function(handle, kLibcurl, lib.name, "curl_" #name);
  KO_CURL_FUNCTIONS(KO_CURL_RESOLVE)
#undef KO_CURL_RESOLVE
  return lib;
}

}  // namespace

const CurlLibrary& curl_library() {
  static const CurlLibrary library = load();
  return library;
}

}  // namespace ko
