// A client of the Docker Engine API, for loading images into a local daemon (ko's
// KO_DOCKER_REPO=ko.local): the daemon named by DOCKER_HOST — unix:///path/to/socket (the
// default is unix:///var/run/docker.sock) or tcp://host:port without TLS — spoken to over
// HTTP by libcurl (CURLOPT_UNIX_SOCKET_PATH for sockets). Unversioned paths: the daemon
// answers them at its own API version.
#pragma once

#include <filesystem>
#include <string>

#include "oci/platform.hpp"

namespace ko {

// Where a DOCKER_HOST value points.
struct DockerHost {
  std::string unix_socket;  // empty for tcp://
  std::string base_url;     // http://localhost for a socket, http://host:port for tcp://
  std::string shown;        // as given (or the default), for messages
};

// Parses DOCKER_HOST ("" means the default socket); throws ko::Error for the forms we do not
// speak (ssh://, npipe://, tcp:// with DOCKER_TLS_VERIFY), naming what to do instead.
DockerHost parse_docker_host(const std::string& value, bool tls_verify = false);

class DockerEngine {
 public:
  explicit DockerEngine(DockerHost host) : host_(std::move(host)) {}

  // The daemon's platform (GET /version: Os/Arch), the one image of an index it should get.
  Platform platform() const;

  // Loads a docker-archive (POST /images/load); returns what the daemon said it loaded, one
  // "Loaded image: …" line per tag. Throws ko::Error with the daemon's message on refusal.
  std::string load(const std::filesystem::path& archive) const;

  const DockerHost& host() const { return host_; }

 private:
  struct Response {
    long status = 0;
    std::string body;
  };
  Response request(const std::string& method, const std::string& path,
                   const std::filesystem::path* body_file) const;

  DockerHost host_;
};

}  // namespace ko
