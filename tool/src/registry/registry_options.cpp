#include "registry/registry_options.hpp"

#include <sstream>

#include "util/error.hpp"

namespace ko {

namespace fs = std::filesystem;

namespace {

std::string variable(const Environment& environment, const std::string& name) {
  auto it = environment.find(name);
  return it == environment.end() ? "" : it->second;
}

std::vector<std::string> comma_separated(const std::string& list) {
  std::vector<std::string> entries;
  std::stringstream stream(list);
  std::string entry;
  while (std::getline(stream, entry, ',')) {
    entry.erase(0, entry.find_first_not_of(' '));
    entry.erase(entry.find_last_not_of(' ') + 1);
    if (!entry.empty()) entries.push_back(entry);
  }
  return entries;
}

fs::path default_cache_dir(const Environment& environment) {
  if (std::string dir = variable(environment, "KO_CACHE_DIR"); !dir.empty()) return dir;
  if (std::string xdg = variable(environment, "XDG_CACHE_HOME"); !xdg.empty())
    return fs::path(xdg) / "ko-image";
  if (std::string home = variable(environment, "HOME"); !home.empty())
    return fs::path(home) / ".cache" / "ko-image";
  return {};
}

// Docker's config (or $DOCKER_CONFIG's), then podman's: REGISTRY_AUTH_FILE and
// $XDG_RUNTIME_DIR/containers/auth.json.
std::vector<fs::path> credential_files(const Environment& environment) {
  std::vector<fs::path> files;
  if (std::string docker = variable(environment, "DOCKER_CONFIG"); !docker.empty()) {
    files.push_back(fs::path(docker) / "config.json");
  } else if (std::string home = variable(environment, "HOME"); !home.empty()) {
    files.push_back(fs::path(home) / ".docker" / "config.json");
  }
  if (std::string file = variable(environment, "REGISTRY_AUTH_FILE"); !file.empty())
    files.push_back(file);
  if (std::string runtime = variable(environment, "XDG_RUNTIME_DIR"); !runtime.empty())
    files.push_back(fs::path(runtime) / "containers" / "auth.json");
  return files;
}

std::chrono::seconds registry_timeout(const Environment& environment) {
  const std::string value = variable(environment, "KO_REGISTRY_TIMEOUT");
  if (value.empty()) return RegistryOptions{}.timeout;
  if (value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos)
    throw Error("KO_REGISTRY_TIMEOUT must be a whole number of seconds (0 for no deadline), not '" +
                value + "'");
  return std::chrono::seconds(std::stol(value));
}

}  // namespace

RegistryOptions registry_options(const Environment& environment) {
  return RegistryOptions{
      .insecure_registries = comma_separated(variable(environment, "KO_INSECURE_REGISTRIES")),
      .extra_ca_file = variable(environment, "SSL_CERT_FILE"),
      .cache_dir = default_cache_dir(environment),
      .credentials = CredentialSources{.config_files = credential_files(environment),
                                       .helper_environment = environment},
      .timeout = registry_timeout(environment)};
}

HttpClientOptions http_client_options(const RegistryOptions& options) {
  return HttpClientOptions{.extra_ca_file = options.extra_ca_file, .timeout = options.timeout};
}

const fs::path& cache_dir(const RegistryOptions& options) {
  if (options.cache_dir.empty()) throw Error("no cache directory: set KO_CACHE_DIR (or HOME)");
  return options.cache_dir;
}

}  // namespace ko
