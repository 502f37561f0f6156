// libcurl, loaded with dlopen on first use instead of linked: libcurl.so.4 pulls in ~25
// shared libraries (nghttp2, ssh2, rtmp, krb5, ldap, idn2, psl, gnutls...) whose loading
// and relocation every helper process paid at start-up, while only the commands that talk
// to a registry (fetch-base, publish, lock, resolve) need them. The HTTP layer
// (http_client.cpp) and the Docker Engine client (docker/engine.cpp) are its users; the headers
// give the types and the ABI (soname 4).
#pragma once

#include <curl/curl.h>

namespace ko {

// The libcurl functions we use, listed once: the struct's members and the symbols
// load() resolves are both made from this list.
#define KO_CURL_FUNCTIONS(X) \
  X(global_init)             \
  X(version_info)            \
  X(easy_init)               \
  X(easy_cleanup)            \
  X(easy_reset)              \
  X(easy_setopt)             \
  X(easy_getinfo)            \
  X(easy_strerror)           \
  X(easy_perform)            \
  X(multi_init)              \
  X(multi_cleanup)           \
  X(multi_setopt)            \
  X(multi_add_handle)        \
  X(multi_remove_handle)     \
  X(multi_perform)           \
  X(multi_info_read)         \
  X(multi_poll)              \
  X(slist_append)            \
  X(slist_free_all)          \
  X(url)                     \
  X(url_cleanup)             \
  X(url_set)                 \
  X(url_get)                 \
  X(free)

struct CurlLibrary {
#define KO_CURL_MEMBER(name) decltype(&::curl_##name) name;
  KO_CURL_FUNCTIONS(KO_CURL_MEMBER)
#undef KO_CURL_MEMBER
};

// Loads libcurl.so.4 the first time (thread-safe) and stays loaded for the process. Throws
// ko::Error saying what to install when it is missing or lacks a function we use.
const CurlLibrary& curl_library();

}  // namespace ko
