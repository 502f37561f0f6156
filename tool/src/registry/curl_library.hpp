// libcurl, loaded with dlopen on first use instead of linked: libcurl.so.4 pulls in ~25
// shared libraries (nghttp2, ssh2, rtmp, krb5, ldap, idn2, psl, gnutls...) whose loading
// and relocation every helper process paid at start-up, while only the commands that talk
// to a registry (fetch-base, publish, lock, resolve) need them. The HTTP layer
// (http_client.cpp) and the Docker Engine client (docker/engine.cpp) are its users; the headers
// give the types and the ABI (soname 4).
#pragma once

#include <curl/curl.h>

namespace ko {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_version_info) version_info;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_setopt) multi_setopt;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// Loads libcurl.so.4 the first time (thread-safe) and stays loaded for the process. Throws
// ko::Error saying what to install when it is missing or lacks a function we use.
const CurlLibrary& curl_library();

}  // namespace ko
