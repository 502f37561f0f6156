#include "registry/credentials.hpp"

#include <filesystem>
#include <map>
#include <tuple>
#include <vector>

#include "digest/encoding.hpp"
#include "json/json.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/subprocess.hpp"

namespace ko {

namespace fs = std::filesystem;

namespace {

// The key a config file uses for a registry: Docker Hub's is historical.
std::string config_key(const Reference& reference) {
  return reference.registry == "docker.io" ? "https://index.docker.io/v1/" : reference.registry;
}

Credentials run_helper(const std::string& helper, const std::string& server,
                       const Environment& env) {
  // The name comes from a config file: it names a program on PATH, never a path.
  if (helper.empty() || helper.find('/') != std::string::npos)
    throw Error("credential helper name '" + helper + "' (configured for " + server +
                ") is not a program name; fix credHelpers/credsStore in the Docker config");
  const std::string program = "docker-credential-" + helper;
  ProcessOptions options{.capture_stdout = true, .stdin_data = server};
  ProcessResult result;
  try {
    result = run_process({program, "get"}, env, options);
  } catch (const Error&) {
    throw Error("credential helper " + program + " (configured for " + server +
                ") is not on PATH; install it or remove it from the Docker config");
  }
  if (result.exit_code != 0) {
    if (result.output.find("credentials not found") != std::string::npos) return {};
    throw Error("credential helper " + program + " failed for " + server + " (exit " +
                std::to_string(result.exit_code) + ")");
  }
  return credentials_from_helper_output(result.output, program);
}

// A helper answers for a host, so its answer is asked for once per process (and PATH):
// publishing many images to one registry must not run, say, docker-credential-gcloud once
// per image.
Credentials from_helper(const std::string& helper, const std::string& server,
                        const Environment& env) {
  static std::map<std::tuple<std::string, std::string, std::string>, Credentials> answers;
  auto path = env.find("PATH");
  auto key = std::make_tuple(helper, server, path == env.end() ? "" : path->second);
  if (auto it = answers.find(key); it != answers.end()) return it->second;
  Credentials credentials = run_helper(helper, server, env);
  answers.emplace(std::move(key), credentials);
  return credentials;
}

std::optional<Credentials> from_auth_entry(const json::Value& entry) {
  Credentials credentials;
  if (std::string token = entry.get_string("identitytoken"); !token.empty()) {
    credentials.identity_token = token;
    return credentials;
  }
  if (std::string auth = entry.get_string("auth"); !auth.empty()) {
    std::string decoded = base64_decode(auth, "registry credentials 'auth'");
    size_t colon = decoded.find(':');
    if (colon == std::string::npos)
      throw Error("registry credentials: 'auth' is not base64 of user:password");
    credentials.username = decoded.substr(0, colon);
    credentials.password = decoded.substr(colon + 1);
    return credentials;
  }
  if (!entry.get_string("username").empty()) {
    credentials.username = entry.get_string("username");
    credentials.password = entry.get_string("password");
    return credentials;
  }
  return std::nullopt;
}

bool is_empty(const Credentials& c) {
  return c.username.empty() && c.password.empty() && c.identity_token.empty();
}

}  // namespace

Credentials credentials_from_helper_output(std::string_view output, const std::string& program) {
  json::Value answer = json::parse(output, program + " output");
  if (!answer.is_object()) throw Error(program + " output is not a JSON object");
  Credentials credentials;
  std::string username = answer.get_string("Username");
  if (username == "<token>") {
    credentials.identity_token = answer.get_string("Secret");
  } else {
    credentials.username = username;
    credentials.password = answer.get_string("Secret");
  }
  return credentials;
}

std::optional<Credentials> find_credentials(const Reference& reference,
                                            const CredentialSources& sources) {
  const std::string key = config_key(reference);
  for (const fs::path& file : sources.config_files) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;
    json::Value config = json::parse(read_file(file), file.string());
    if (const json::Value* helpers = config.get("credHelpers")) {
      std::string helper = helpers->get_string(reference.registry);
      if (helper.empty()) helper = helpers->get_string(key);
      if (!helper.empty()) {
        Credentials c = from_helper(helper, reference.registry, sources.helper_environment);
        return is_empty(c) ? std::nullopt : std::optional(c);
      }
    }
    if (const json::Value* auths = config.get("auths")) {
      for (const std::string& candidate :
           {reference.registry + "/" + reference.repository, key, "https://" + reference.registry,
            "http://" + reference.registry}) {
        if (const json::Value* entry = auths->get(candidate)) {
          if (auto c = from_auth_entry(*entry)) return c;
        }
      }
    }
    if (std::string store = config.get_string("credsStore"); !store.empty()) {
      Credentials c = from_helper(store, reference.registry, sources.helper_environment);
      if (!is_empty(c)) return c;
    }
  }
  return std::nullopt;
}

}  // namespace ko
