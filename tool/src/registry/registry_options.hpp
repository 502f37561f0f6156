// What the registry code takes from the environment, gathered in one place and passed in
// (as go-containerregistry passes an authn.Keychain and remote.Options): the registry code
// itself never reads a variable. cli/ builds it from the process environment:
//   KO_INSECURE_REGISTRIES   comma-separated hosts spoken to over HTTP / unverified TLS
//   SSL_CERT_FILE            a PEM bundle trusted besides the system's CAs
//   KO_REGISTRY_TIMEOUT      seconds a command's registry work may take in all (default
//                            900; 0: no deadline), retries and token requests included
//   KO_CACHE_DIR             the shared blob cache (else $XDG_CACHE_HOME/ko-image, else
//                            $HOME/.cache/ko-image)
//   DOCKER_CONFIG, HOME, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, PATH: where credentials are
//                            looked up (registry/credentials.hpp)
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "registry/credentials.hpp"
#include "registry/http_client.hpp"
#include "util/subprocess.hpp"

namespace ko {

struct RegistryOptions {
  std::vector<std::string> insecure_registries;
  std::filesystem::path extra_ca_file;
  std::filesystem::path cache_dir;    // empty: no cache can be used (no HOME either)
  CredentialSources credentials;      // empty: anonymous everywhere
  std::chrono::seconds timeout{900};  // 0: none
};

// The options `environment` (a process environment) says. Throws ko::Error for a
// KO_REGISTRY_TIMEOUT that is not a number of seconds.
RegistryOptions registry_options(const Environment& environment);

// The HTTP client of a command's registry work: the options' CAs, and its deadline
// counted from now.
HttpClientOptions http_client_options(const RegistryOptions& options);

// `options.cache_dir`, or an error saying what to set when there is none.
const std::filesystem::path& cache_dir(const RegistryOptions& options);

}  // namespace ko
