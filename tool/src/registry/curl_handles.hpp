// RAII owners of libcurl handles and its one-time global initialisation, through the
// dlopen'ed library (registry/curl_library.hpp): the one set, used by the registry's HTTP
// client and the Docker Engine client.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "registry/curl_library.hpp"
#include "util/error.hpp"

namespace ko {

struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_library().easy_cleanup(c); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* m) const { curl_library().multi_cleanup(m); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_library().url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_library().free(s); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlString = std::unique_ptr<char, CurlStringDeleter>;  // what libcurl allocated

// Owns a curl_slist.
class CurlHeaders {
 public:
  CurlHeaders() = default;
  ~CurlHeaders() { curl_library().slist_free_all(list_); }
  CurlHeaders(const CurlHeaders&) = delete;
  CurlHeaders& operator=(const CurlHeaders&) = delete;
  void append(const std::string& header) {
    curl_slist* grown = curl_library().slist_append(list_, header.c_str());
    if (!grown) throw Error("out of memory building HTTP headers");
    list_ = grown;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// curl_global_init, once per process, before the first handle.
inline void curl_global_init_once() {
  static const bool initialised = [] {
    if (curl_library().global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw Error("libcurl failed to initialise");
    return true;
  }();
  (void)initialised;
}

}  // namespace ko
