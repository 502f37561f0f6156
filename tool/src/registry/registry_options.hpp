// What the registry code takes from the environment, gathered in one place and passed in
// (as go-containerregistry passes an authn.Keychain and remote.Options): the registry code
// itself never reads a variable. cli/ builds it from the process environment:
//   KO_INSECURE_REGISTRIES   comma-separated hosts spoken to over HTTP / unverified TLS
//   SSL_CERT_FILE            a PEM bundle trusted besides the system's CAs
//   KO_CACHE_DIR             the shared blob cache (else $XDG_CACHE_HOME/ko-image, else
//                            $HOME/.cache/ko-image)
//   DOCKER_CONFIG, HOME, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, PATH: where credentials are
//                            looked up (registry/credentials.hpp)
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "registry/credentials.hpp"
#include "util/subprocess.hpp"

namespace ko {

struct RegistryOptions {
  std::vector<std::string> insecure_registries;
  std::filesystem::path extra_ca_file;
  std::filesystem::path cache_dir;  // empty: no cache can be used (no HOME either)
  CredentialSources credentials;    // empty: anonymous everywhere
};

// The options `environment` (a process environment) says.
RegistryOptions registry_options(const Environment& environment);

// `options.cache_dir`, or an error saying what to set when there is none.
const std::filesystem::path& cache_dir(const RegistryOptions& options);

}  // namespace ko
