// The CAs that TLS connections to registries trust: the system's, plus an extra PEM bundle
// (SSL_CERT_FILE, as Go programs and ko read it), applied to each curl handle.
#pragma once

#include <curl/curl.h>

#include <filesystem>
#include <string>

namespace ko {

class TrustStore {
 public:
  // `extra_ca_file`: trusted besides the system's CAs; empty for none.
  static TrustStore load(const std::filesystem::path& extra_ca_file);

  void apply(CURL* handle) const;

 private:
  std::string directory_;  // CURLOPT_CAPATH
  std::string file_;       // CURLOPT_CAINFO: the extra file, beside a directory
  std::string bundle_;     // CURLOPT_CAINFO_BLOB: the system bundle + the extra file, without
};

}  // namespace ko
