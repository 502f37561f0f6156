#include "registry/curl_library.hpp"

#include <dlfcn.h>

#include <string>

#include "digest/sha256.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr const char* kSoname = "libcurl.so.4";  // the ABI every libcurl 7.x/8.x has

template <typename Function>
void resolve(void* handle, Function& function, const char* name) {
  function = reinterpret_cast<Function>(dlsym(handle, name));
  if (!function)
    throw Error(std::string(kSoname) + " has no " + name +
                " (libcurl ≥ 7.66 is needed): upgrade libcurl4");
}

CurlLibrary load() {
  // A command marked Network::kNever skipped OpenSSL's TLS set-up (digest/sha256.hpp): TLS
  // would fail later, in certificate checks, with a far less clear message.
  if (Sha256::tls_setup_skipped())
    throw Error("internal: a command declared to never use the network needs libcurl");
  // Never unloaded: libcurl keeps global state (its TLS library) for the process.
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Error(std::string("cannot load ") + kSoname + " (" + (why ? why : "unknown error") +
                "), which registry access needs: install libcurl4 (apt-get install libcurl4)");
  }
  CurlLibrary lib{};
#define KO_CURL_RESOLVE(name) resolve(handle, lib.name, "curl_" #name);
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
