// Where registry credentials come from, the way docker, podman, crane and ko find them:
//   the config files of CredentialSources in order (registry_options.hpp lists them:
//   Docker's, then podman's); in each: credHelpers[host] (docker-credential-<name> get), then auths
//   (auth or identitytoken, looked up as "<host>/<repository>" then "<host>"), then credsStore.
// Credentials stay in memory: they are never printed, logged or written anywhere.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/reference.hpp"
#include "util/subprocess.hpp"

namespace ko {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // OAuth2 refresh token ("<token>" user in helpers)
};

struct CredentialSources {
  std::vector<std::filesystem::path> config_files;  // looked at in order; missing ones skipped
  Environment helper_environment;  // what docker-credential-* run with (its PATH finds them)
};

// nullopt when nothing is configured for the registry (anonymous access). A configured
// credential helper that is missing or fails is an error naming the helper.
std::optional<Credentials> find_credentials(const Reference& reference,
                                            const CredentialSources& sources);

// A credential helper's `get` answer, {"ServerURL","Username","Secret"}; a Username of
// "<token>" makes Secret an identity token. `program` names the helper in errors.
Credentials credentials_from_helper_output(std::string_view output, const std::string& program);

}  // namespace ko
