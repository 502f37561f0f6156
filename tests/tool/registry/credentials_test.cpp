// find_credentials against config files and credential helpers written into a temporary
// directory, with the sources an environment (DOCKER_CONFIG, HOME, REGISTRY_AUTH_FILE,
// XDG_RUNTIME_DIR, PATH) pointing there gives: the machine's own Docker or podman logins
// are never read, and the process environment is left alone.
#include "registry/credentials.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "registry/registry_options.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string current_path_variable() {
  const char* path = std::getenv("PATH");
  return path ? path : "/usr/bin:/bin";
}

class CredentialsTest : public ::testing::Test {
 protected:
  void write_docker_config(const std::string& json) {
    testing::write_file(dir_ / "docker/config.json", json);
  }
  // Installs docker-credential-<name> on PATH, running `body` (a /bin/sh script) for "get".
  void install_helper(const std::string& name, const std::string& body) {
    testing::write_file(dir_ / "bin" / ("docker-credential-" + name),
                        "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread server\n" + body,
                        fs::perms(0755));
  }

  // Looks `image` up as a command in environment_ would.
  std::optional<Credentials> find(const std::string& image) const {
    return find_credentials(Reference::parse(image), registry_options(environment_).credentials);
  }

  TempDir dir_;
  Environment environment_{{"DOCKER_CONFIG", (dir_ / "docker").string()},
                           {"HOME", (dir_ / "home").string()},
                           {"XDG_RUNTIME_DIR", (dir_ / "xdg").string()},
                           {"PATH", (dir_ / "bin").string() + ":" + current_path_variable()}};
};

TEST_F(CredentialsTest, NoConfigAtAllIsAnonymous) {
  EXPECT_FALSE(find("r.io/x").has_value());
}

TEST_F(CredentialsTest, NoEntryForTheRegistryIsAnonymous) {
  write_docker_config(R"({"auths":{"other.io":{"auth":"YWxpY2U6czNjcmV0"}}})");
  EXPECT_FALSE(find("r.io/x").has_value());
}

TEST_F(CredentialsTest, AuthSplitsAtTheFirstColon) {
  // base64("user:pa:ss")
  write_docker_config(R"({"auths":{"r.io":{"auth":"dXNlcjpwYTpzcw=="}}})");
  auto c = find("r.io/x:v1");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "user");
  EXPECT_EQ(c->password, "pa:ss");
  EXPECT_EQ(c->identity_token, "");
}

TEST_F(CredentialsTest, AuthWithoutColonIsAnError) {
  // base64("nocolon")
  write_docker_config(R"({"auths":{"r.io":{"auth":"bm9jb2xvbg=="}}})");
  EXPECT_THROW(find("r.io/x"), Error);
}

TEST_F(CredentialsTest, PlainUsernameAndPasswordFields) {
  write_docker_config(R"({"auths":{"r.io":{"username":"carol","password":"pw"}}})");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "carol");
  EXPECT_EQ(c->password, "pw");
}

TEST_F(CredentialsTest, IdentityToken) {
  write_docker_config(R"({"auths":{"r.io":{"identitytoken":"refresh-me"}}})");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->identity_token, "refresh-me");
  EXPECT_EQ(c->username, "");
  EXPECT_EQ(c->password, "");
}

TEST_F(CredentialsTest, HostAndRepositoryEntryBeatsHostEntry) {
  // "r.io/team/app" → alice:s3cret, "r.io" → host:wide
  write_docker_config(
      R"({"auths":{"r.io":{"auth":"aG9zdDp3aWRl"},"r.io/team/app":{"auth":"YWxpY2U6czNjcmV0"}}})");
  auto specific = find("r.io/team/app:v1");
  ASSERT_TRUE(specific.has_value());
  EXPECT_EQ(specific->username, "alice");
  EXPECT_EQ(specific->password, "s3cret");

  auto host_wide = find("r.io/team/other");
  ASSERT_TRUE(host_wide.has_value());
  EXPECT_EQ(host_wide->username, "host");
}

TEST_F(CredentialsTest, HostWithSchemeAsWrittenByOlderDockerLogins) {
  write_docker_config(R"({"auths":{"https://r.io":{"auth":"aG9zdDp3aWRl"}}})");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "host");
}

TEST_F(CredentialsTest, DockerHubUsesTheHistoricalIndexKey) {
  // base64("bob:hub")
  write_docker_config(R"({"auths":{"https://index.docker.io/v1/":{"auth":"Ym9iOmh1Yg=="}}})");
  auto c = find("golang");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "bob");
  EXPECT_EQ(c->password, "hub");
  EXPECT_FALSE(find("ghcr.io/x").has_value());
}

TEST_F(CredentialsTest, CredHelperGetsTheServerOnStdin) {
  install_helper("kotest",
                 R"(printf '{"ServerURL":"%s","Username":"user-for-%s","Secret":"helper-secret"}' )"
                 R"("$server" "$server")"
                 "\n");
  // The helper wins over an auths entry for the same host.
  write_docker_config(
      R"({"credHelpers":{"r.io":"kotest"},"auths":{"r.io":{"auth":"aG9zdDp3aWRl"}}})");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "user-for-r.io");
  EXPECT_EQ(c->password, "helper-secret");
  EXPECT_EQ(c->identity_token, "");
}

TEST_F(CredentialsTest, CredHelperIsAskedOncePerRegistry) {
  // Publishing many images to one registry must not run a slow helper once per image.
  const fs::path calls = dir_ / "calls";
  install_helper("kocount", "echo x >>'" + calls.string() +
                                "'\n"
                                R"(printf '{"Username":"u-%s","Secret":"s"}' "$server")"
                                "\n");
  write_docker_config(R"({"credHelpers":{"r.io":"kocount","s.io":"kocount"}})");
  for (const char* image : {"r.io/a", "r.io/b/c", "r.io/a"})
    EXPECT_EQ(find(image)->username, "u-r.io");
  EXPECT_EQ(find("s.io/a")->username, "u-s.io");
  EXPECT_EQ(testing::read_bytes(calls), "x\nx\n");  // once for r.io, once for s.io
}

TEST_F(CredentialsTest, CredHelperTokenUserGivesAnIdentityToken) {
  install_helper("kotoken",
                 R"(printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-%s"}' )"
                 R"("$server" "$server")"
                 "\n");
  write_docker_config(R"({"credHelpers":{"r.io":"kotoken"}})");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->identity_token, "refresh-r.io");
  EXPECT_EQ(c->username, "");
  EXPECT_EQ(c->password, "");
}

TEST_F(CredentialsTest, CredHelperWithoutCredentialsIsAnonymous) {
  install_helper("konone", "echo 'credentials not found in native keychain'\nexit 1\n");
  write_docker_config(R"({"credHelpers":{"r.io":"konone"}})");
  EXPECT_FALSE(find("r.io/x").has_value());
}

TEST_F(CredentialsTest, HelperNameWithASlashIsRefusedNotRun) {
  write_docker_config(R"({"credHelpers":{"r.io":"../../bin/sh"}})");
  EXPECT_THROW(find("r.io/x"), Error);
  write_docker_config(R"({"credsStore":"x/y"})");
  EXPECT_THROW(find("r.io/x"), Error);
}

TEST(CredentialHelperOutput, TokenUserMeansIdentityToken) {
  Credentials c = credentials_from_helper_output(R"({"Username":"<token>","Secret":"t"})", "h");
  EXPECT_EQ(c.identity_token, "t");
  EXPECT_THROW(credentials_from_helper_output("[1]", "h"), Error);
  EXPECT_THROW(credentials_from_helper_output("{", "h"), Error);
}

TEST_F(CredentialsTest, FailingCredHelperIsAnErrorNamingIt) {
  install_helper("kobroken", "echo 'keychain locked'\nexit 3\n");
  write_docker_config(R"({"credHelpers":{"r.io":"kobroken"}})");
  try {
    find("r.io/x");
    FAIL() << "expected ko::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("docker-credential-kobroken"), std::string::npos)
        << e.what();
  }
}

TEST_F(CredentialsTest, CredHelperMissingFromPathIsAnErrorNamingIt) {
  write_docker_config(R"({"credHelpers":{"r.io":"ko-test-not-installed"}})");
  try {
    find("r.io/x");
    FAIL() << "expected ko::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("docker-credential-ko-test-not-installed"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(CredentialsTest, CredsStoreIsTheFallbackAfterAuths) {
  install_helper("kostore", R"(printf '{"ServerURL":"%s","Username":"store-%s","Secret":"s"}' )"
                            R"("$server" "$server")"
                            "\n");
  write_docker_config(R"({"credsStore":"kostore","auths":{"r.io":{"auth":"aG9zdDp3aWRl"}}})");
  auto from_auths = find("r.io/x");
  ASSERT_TRUE(from_auths.has_value());
  EXPECT_EQ(from_auths->username, "host");

  auto from_store = find("other.io/x");
  ASSERT_TRUE(from_store.has_value());
  EXPECT_EQ(from_store->username, "store-other.io");
}

TEST_F(CredentialsTest, RegistryAuthFileIsReadWhenDockerConfigHasNothing) {
  write_docker_config(R"({"auths":{"other.io":{"auth":"aG9zdDp3aWRl"}}})");
  // base64("podman:pw")
  testing::write_file(dir_ / "podman/auth.json", R"({"auths":{"r.io":{"auth":"cG9kbWFuOnB3"}}})");
  environment_["REGISTRY_AUTH_FILE"] = (dir_ / "podman/auth.json").string();
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "podman");
  EXPECT_EQ(c->password, "pw");
}

TEST_F(CredentialsTest, DockerConfigBeatsRegistryAuthFile) {
  write_docker_config(R"({"auths":{"r.io":{"auth":"aG9zdDp3aWRl"}}})");
  testing::write_file(dir_ / "podman/auth.json", R"({"auths":{"r.io":{"auth":"cG9kbWFuOnB3"}}})");
  environment_["REGISTRY_AUTH_FILE"] = (dir_ / "podman/auth.json").string();
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "host");
}

TEST_F(CredentialsTest, XdgRuntimeContainersAuthIsReadLast) {
  testing::write_file(dir_ / "xdg/containers/auth.json",
                      R"({"auths":{"r.io":{"auth":"cG9kbWFuOnB3"}}})");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "podman");
}

TEST_F(CredentialsTest, HomeDockerConfigIsUsedOnlyWithoutDockerConfig) {
  testing::write_file(dir_ / "home/.docker/config.json",
                      R"({"auths":{"r.io":{"auth":"aG9zdDp3aWRl"}}})");
  EXPECT_FALSE(find("r.io/x").has_value());
  environment_.erase("DOCKER_CONFIG");
  auto c = find("r.io/x");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->username, "host");
}

}  // namespace
}  // namespace ko
