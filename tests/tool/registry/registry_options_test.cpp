#include "registry/registry_options.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;

TEST(RegistryOptionsTest, AnEmptyEnvironmentGivesNothing) {
  RegistryOptions options = registry_options({});
  EXPECT_TRUE(options.insecure_registries.empty());
  EXPECT_TRUE(options.extra_ca_file.empty());
  EXPECT_TRUE(options.credentials.config_files.empty());
  EXPECT_THROW(cache_dir(options), Error);
}

TEST(RegistryOptionsTest, InsecureRegistriesAreCommaSeparatedAndTrimmed) {
  RegistryOptions options =
      registry_options({{"KO_INSECURE_REGISTRIES", " r.io:5000, ,other.io "}});
  EXPECT_EQ(options.insecure_registries, (std::vector<std::string>{"r.io:5000", "other.io"}));
}

TEST(RegistryOptionsTest, CacheDirPrefersKoCacheDirThenXdgThenHome) {
  EXPECT_EQ(cache_dir(registry_options({{"HOME", "/h"}})), fs::path("/h/.cache/ko-image"));
  EXPECT_EQ(cache_dir(registry_options({{"HOME", "/h"}, {"XDG_CACHE_HOME", "/x"}})),
            fs::path("/x/ko-image"));
  EXPECT_EQ(cache_dir(registry_options(
                {{"HOME", "/h"}, {"XDG_CACHE_HOME", "/x"}, {"KO_CACHE_DIR", "/k"}})),
            fs::path("/k"));
}

TEST(RegistryOptionsTest, CredentialFilesAreDockersThenPodmans) {
  RegistryOptions options = registry_options({{"HOME", "/h"},
                                              {"REGISTRY_AUTH_FILE", "/p/auth.json"},
                                              {"XDG_RUNTIME_DIR", "/run/user/1"},
                                              {"SSL_CERT_FILE", "/ca.pem"},
                                              {"PATH", "/bin"}});
  EXPECT_EQ(options.credentials.config_files,
            (std::vector<fs::path>{"/h/.docker/config.json", "/p/auth.json",
                                   "/run/user/1/containers/auth.json"}));
  EXPECT_EQ(options.credentials.helper_environment.at("PATH"), "/bin");
  EXPECT_EQ(options.extra_ca_file, fs::path("/ca.pem"));
  // DOCKER_CONFIG replaces ~/.docker.
  EXPECT_EQ(registry_options({{"HOME", "/h"}, {"DOCKER_CONFIG", "/d"}}).credentials.config_files,
            (std::vector<fs::path>{"/d/config.json"}));
}

TEST(RegistryOptionsTest, RegistryTimeoutIsWholeSecondsWithADefault) {
  EXPECT_EQ(registry_options({}).timeout, std::chrono::seconds(900));
  EXPECT_EQ(registry_options({{"KO_REGISTRY_TIMEOUT", "30"}}).timeout, std::chrono::seconds(30));
  EXPECT_EQ(registry_options({{"KO_REGISTRY_TIMEOUT", "0"}}).timeout, std::chrono::seconds(0));
  for (const char* bad : {"-1", "5m", "1.5", " 3", "9999999999"}) {
    try {
      registry_options({{"KO_REGISTRY_TIMEOUT", bad}});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("KO_REGISTRY_TIMEOUT must be a whole number of seconds"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(http_client_options(registry_options({{"KO_REGISTRY_TIMEOUT", "7"}})).timeout,
            std::chrono::milliseconds(7000));
}

}  // namespace
}  // namespace ko
