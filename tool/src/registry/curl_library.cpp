#include "registry/curl_library.hpp"

#include <dlfcn.h>

#include <string>

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
  // Never unloaded: libcurl keeps global state (its TLS library) for the process.
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Error(std::string("cannot load ") + kSoname + " (" + (why ? why : "unknown error") +
                "), which registry access needs: install libcurl4 (apt-get install libcurl4)");
  }
  CurlLibrary lib{};
  resolve(handle, lib.global_init, "curl_global_init");
  resolve(handle, lib.version_info, "curl_version_info");
  resolve(handle, lib.easy_init, "curl_easy_init");
  resolve(handle, lib.easy_cleanup, "curl_easy_cleanup");
  resolve(handle, lib.easy_reset, "curl_easy_reset");
  resolve(handle, lib.easy_setopt, "curl_easy_setopt");
  resolve(handle, lib.easy_getinfo, "curl_easy_getinfo");
  resolve(handle, lib.easy_strerror, "curl_easy_strerror");
  resolve(handle, lib.easy_perform, "curl_easy_perform");  // the Docker Engine client
  resolve(handle, lib.multi_init, "curl_multi_init");
  resolve(handle, lib.multi_cleanup, "curl_multi_cleanup");
  resolve(handle, lib.multi_setopt, "curl_multi_setopt");
  resolve(handle, lib.multi_add_handle, "curl_multi_add_handle");
  resolve(handle, lib.multi_remove_handle, "curl_multi_remove_handle");
  resolve(handle, lib.multi_perform, "curl_multi_perform");
  resolve(handle, lib.multi_info_read, "curl_multi_info_read");
  resolve(handle, lib.multi_poll, "curl_multi_poll");
  resolve(handle, lib.slist_append, "curl_slist_append");
  resolve(handle, lib.slist_free_all, "curl_slist_free_all");
  return lib;
}

}  // namespace

const CurlLibrary& curl_library() {
  static const CurlLibrary library = load();
  return library;
}

}  // namespace ko
