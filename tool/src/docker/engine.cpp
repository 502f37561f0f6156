#include "docker/engine.hpp"

#include <cstdio>
#include <memory>

#include "json/json.hpp"
#include "registry/curl_handles.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kDefaultHost = "unix:///var/run/docker.sock";
constexpr size_t kMaxResponse = 1 << 20;  // the API's answers here are a few lines of JSON

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > kMaxResponse) return 0;  // aborts the transfer
  body->append(data, size * count);
  return size * count;
}

// The daemon's error message: {"message": "..."} for API errors, else the body itself.
std::string message_of(const std::string& body) {
  try {
    json::Value doc = json::parse(body, "the Docker daemon's answer");
    if (std::string m = doc.get_string("message"); !m.empty()) return m;
  } catch (const Error&) {
  }
  return body.empty() ? "no details" : body;
}

}  // namespace

DockerHost parse_docker_host(const std::string& value, bool tls_verify) {
  const std::string host = value.empty() ? std::string(kDefaultHost) : value;
  if (host.starts_with("unix://")) {
    std::string path = host.substr(7);
    if (path.empty() || path.front() != '/')
      throw Error("DOCKER_HOST " + host +
                  ": a unix socket needs an absolute path (unix:///run/docker.sock)");
    return DockerHost{.unix_socket = path, .base_url = "http://localhost", .shown = host};
  }
  if (host.starts_with("tcp://")) {
    if (tls_verify)
      throw Error("DOCKER_HOST " + host +
                  " with DOCKER_TLS_VERIFY: TLS to the Docker daemon is not supported; use its "
                  "unix socket, "
                  "or load build/<name>.tar with `docker load`");
    std::string address = host.substr(6);
    while (!address.empty() && address.back() == '/') address.pop_back();
    if (address.empty()) throw Error("DOCKER_HOST " + host + " names no host");
    return DockerHost{.base_url = "http://" + address, .shown = host};
  }
  throw Error("DOCKER_HOST " + host +
              " is not supported (only unix:// sockets and plain tcp://); load build/<name>.tar "
              "with `docker load` instead");
}

DockerEngine::Response DockerEngine::request(const std::string& method, const std::string& path,
                                             const std::filesystem::path* body_file) const {
  curl_global_init_once();
  CurlEasy easy(curl_library().easy_init());
  if (!easy) throw Error("libcurl could not create a handle");
  CURL* c = easy.get();
  Response response;
  char error[CURL_ERROR_SIZE] = "";
  const std::string url = host_.base_url + path;
  curl_library().easy_setopt(c, CURLOPT_URL, url.c_str());
  if (!host_.unix_socket.empty())
    curl_library().easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, host_.unix_socket.c_str());
  curl_library().easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_library().easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_library().easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_library().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_library().easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  CurlHeaders headers;
  headers.append("Expect:");
  std::unique_ptr<std::FILE, FileCloser> file;
  if (method == "POST") {
    curl_library().easy_setopt(c, CURLOPT_POST, 1L);
    if (body_file) {
      file.reset(std::fopen(body_file->c_str(), "rb"));
      if (!file) throw Error("cannot read " + body_file->string());
      curl_library().easy_setopt(c, CURLOPT_READDATA,
                                 file.get());  // the default read function: fread
      curl_library().easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                                 static_cast<curl_off_t>(std::filesystem::file_size(*body_file)));
      headers.append("Content-Type: application/x-tar");
    } else {
      curl_library().easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
  }
  curl_library().easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (CURLcode rc = curl_library().easy_perform(c); rc != CURLE_OK)
    throw Error("cannot talk to the Docker daemon at " + host_.shown + " (" +
                (error[0] ? error : curl_library().easy_strerror(rc)) +
                "); is it running? Set DOCKER_HOST to its socket (unix:///path)");
  curl_library().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

Platform DockerEngine::platform() const {
  Response r = request("GET", "/version", nullptr);
  if (r.status != 200)
    throw Error("the Docker daemon at " + host_.shown + " answered GET /version with HTTP " +
                std::to_string(r.status) + ": " + message_of(r.body));
  json::Value version = json::parse(r.body, "the Docker daemon's /version");
  const std::string os = version.get_string("Os"), arch = version.get_string("Arch");
  if (os.empty() || arch.empty())
    throw Error("the Docker daemon at " + host_.shown + " did not say its Os/Arch");
  return Platform::parse(os + "/" + arch);
}

std::string DockerEngine::load(const std::filesystem::path& archive) const {
  Response r = request("POST", "/images/load?quiet=1", &archive);
  if (r.status != 200)
    throw Error("the Docker daemon at " + host_.shown + " refused the image (HTTP " +
                std::to_string(r.status) + "): " + message_of(r.body));
  // A stream of JSON messages, one per line: {"stream": "Loaded image: …\n"} or, when the
  // load fails after it started, {"errorDetail": {...}, "error": "…"} (still HTTP 200).
  std::string loaded;
  for (size_t start = 0; start < r.body.size();) {
    size_t end = r.body.find('\n', start);
    if (end == std::string::npos) end = r.body.size();
    const std::string line = r.body.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json::Value message = json::parse(line, "the Docker daemon's load progress");
    if (std::string e = message.get_string("error"); !e.empty())
      throw Error("the Docker daemon at " + host_.shown + " could not load the image: " + e);
    loaded += message.get_string("stream");
  }
  return loaded;
}

}  // namespace ko
