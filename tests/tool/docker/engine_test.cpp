#include "docker/engine.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace ko {
namespace {

TEST(ParseDockerHost, DefaultIsTheSystemSocket) {
  DockerHost host = parse_docker_host("");
  EXPECT_EQ(host.unix_socket, "/var/run/docker.sock");
  EXPECT_EQ(host.base_url, "http://localhost");
  EXPECT_EQ(host.shown, "unix:///var/run/docker.sock");
}

TEST(ParseDockerHost, UnixSocket) {
  DockerHost host = parse_docker_host("unix:///tmp/d/sock");
  EXPECT_EQ(host.unix_socket, "/tmp/d/sock");
  EXPECT_EQ(host.base_url, "http://localhost");
}

TEST(ParseDockerHost, PlainTcp) {
  DockerHost host = parse_docker_host("tcp://127.0.0.1:2375/");
  EXPECT_EQ(host.unix_socket, "");
  EXPECT_EQ(host.base_url, "http://127.0.0.1:2375");
}

TEST(ParseDockerHost, RejectsWhatItDoesNotSpeakSayingWhatToDo) {
  for (const char* value : {"ssh://me@build-host", "npipe:////./pipe/docker_engine",
                            "unix://relative/sock", "tcp://"}) {
    try {
      parse_docker_host(value);
      ADD_FAILURE() << value << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("DOCKER_HOST"), std::string::npos) << e.what();
    }
  }
  try {
    parse_docker_host("tcp://docker.example.com:2376", /*tls_verify=*/true);
    ADD_FAILURE() << "TLS was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("docker load"), std::string::npos) << e.what();
  }
}

TEST(DockerEngine, AMissingDaemonIsAClearError) {
  DockerEngine engine(parse_docker_host("unix:///nonexistent/docker.sock"));
  try {
    engine.platform();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot talk to the Docker daemon at unix:///nonexistent/docker.sock"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Set DOCKER_HOST"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace ko
