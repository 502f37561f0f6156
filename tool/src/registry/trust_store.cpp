#include "registry/trust_store.hpp"

#include "registry/curl_library.hpp"
#include "util/fs.hpp"

namespace ko {

namespace {

// A directory OpenSSL can look CAs up in: it holds <subject hash>.0 links (c_rehash).
bool has_hashed_certificates(const std::filesystem::path& directory) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 10 && name.ends_with(".0") &&
        name.find_first_not_of("0123456789abcdef") == 8)
      return true;
  }
  return false;
}

}  // namespace

// Where the system has a hashed certificate directory (Debian's /etc/ssl/certs), OpenSSL
// looks CAs up there when a handshake needs one: parsing the whole bundle instead costs
// ~40 ms of CPU per process before the first TLS connection, even one that then fails.
TrustStore TrustStore::load(const std::filesystem::path& extra_ca_file) {
  const std::string extra = extra_ca_file.string();
  const curl_version_info_data* info = curl_library().version_info(CURLVERSION_NOW);
  std::error_code ec;
  TrustStore store;
  for (const char* candidate : {info->capath, "/etc/ssl/certs"}) {
    if (candidate && has_hashed_certificates(candidate)) {
      store.directory_ = candidate;
      // An extra file naming the system bundle itself (some environments export
      // SSL_CERT_FILE so) adds nothing to the directory: skip parsing it.
      bool system_bundle =
          !extra.empty() && info->cainfo && std::filesystem::equivalent(extra, info->cainfo, ec);
      if (!system_bundle) store.file_ = extra;
      return store;
    }
  }
  if (extra.empty()) return store;  // curl's built-in default
  for (const char* candidate : {info->cainfo, "/etc/ssl/certs/ca-certificates.crt"}) {
    if (candidate && std::filesystem::is_regular_file(candidate, ec)) {
      store.bundle_ = read_file(candidate);
      break;
    }
  }
  store.bundle_ += "\n" + read_file(extra);
  return store;
}

void TrustStore::apply(CURL* handle) const {
  if (!directory_.empty()) {
    curl_library().easy_setopt(handle, CURLOPT_CAPATH, directory_.c_str());
    curl_library().easy_setopt(handle, CURLOPT_CAINFO, file_.empty() ? nullptr : file_.c_str());
  } else if (!bundle_.empty()) {
    curl_blob blob{const_cast<char*>(bundle_.data()), bundle_.size(), CURL_BLOB_NOCOPY};
    curl_library().easy_setopt(handle, CURLOPT_CAINFO_BLOB, &blob);
  }
}

}  // namespace ko
