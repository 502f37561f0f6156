// An HTTP/1.1 server in the test process, on 127.0.0.1 (port chosen by the kernel), for
// tests of code that talks HTTP: one connection at a time, each request answered by a
// handler with a whole response ("Connection: close"). TLS handshakes are dropped at once,
// so a client probing HTTPS first falls back to HTTP without waiting. The destructor stops
// the accept loop and joins the thread, so a failed assertion never leaves it running.
// With `keep_alive`, a connection carries further requests as long as the responses do not
// say "Connection: close" (http_response(…, /*close=*/false)); as connections are served one
// at a time, that suits clients sending one request after the other, which must close their
// connections before the server goes (or it waits for its 5 s receive timeout).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ko::testing {

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct ReceivedRequest {
  std::string method;
  std::string target;  // path and query
  std::string path;    // without the query
  std::string query;   // after '?', or empty
  std::string head;    // request line and headers, each line ending in CRLF
  std::string body;
};

// "HTTP/1.1 <status> <reason>" with the given headers, Content-Length and (when `close`)
// Connection: close.
inline std::string http_response(int status, const std::string& reason,
                                 const std::string& body = "",
                                 const std::vector<std::string>& headers = {}, bool close = true) {
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const std::string& header : headers) text += header + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (close) text += "Connection: close\r\n";
  return text + "\r\n" + body;
}

class LoopbackHttpServer {
 public:
  using Handler = std::function<std::string(const ReceivedRequest&)>;

  explicit LoopbackHttpServer(Handler handler, bool keep_alive = false)
      : handler_(std::move(handler)), keep_alive_(keep_alive) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(listener_);
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackHttpServer() {
    ::shutdown(listener_, SHUT_RDWR);  // makes the blocking accept() return
    thread_.join();
    ::close(listener_);
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path) const { return "http://" + host() + path; }
  // Every request received so far, in order.
  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // How many connections were accepted so far.
  int connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }

 private:
  void serve() {
    for (;;) {
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // shut down
      }
      {
        std::lock_guard lock(mutex_);
        ++connections_;
      }
      timeval timeout{.tv_sec = 5, .tv_usec = 0};  // a stuck client cannot hang the server
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      std::string data;  // bytes received on this connection and not yet answered
      while (answer(fd, data) && keep_alive_) {
      }
      ::close(fd);
    }
  }

  // Answers one request; false when the connection is to be closed.
  bool answer(int fd, std::string& data) {
    char buffer[16384];
    size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      data.append(buffer, static_cast<size_t>(n));
      if (data[0] == '\x16') return false;  // a TLS ClientHello: not spoken here
    }
    ReceivedRequest request;
    request.head = data.substr(0, head_end + 2);
    request.method = request.head.substr(0, request.head.find(' '));
    size_t target_start = request.method.size() + 1;
    request.target =
        request.head.substr(target_start, request.head.find(' ', target_start) - target_start);
    size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    size_t content_length = 0;
    const std::string lower_head = lower(request.head);
    if (size_t at = lower_head.find("\r\ncontent-length:"); at != std::string::npos)
      content_length = std::stoul(lower_head.substr(at + 17));
    while (data.size() < head_end + 4 + content_length) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
    }
    request.body = data.substr(head_end + 4, content_length);
    data.erase(0, std::min(data.size(), head_end + 4 + content_length));
    {
      std::lock_guard lock(mutex_);
      received_.push_back(request);
    }
    const std::string reply = handler_(request);
    for (size_t sent = 0; sent < reply.size();) {
      // MSG_NOSIGNAL: a client that hangs up early must not SIGPIPE the test process.
      ssize_t n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    const std::string reply_head = lower(reply.substr(0, reply.find("\r\n\r\n") + 2));
    return reply_head.find("\r\nconnection: close\r\n") == std::string::npos;
  }

  Handler handler_;
  bool keep_alive_ = false;
  int connections_ = 0;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> received_;
};

// Answers request n with canned response n (the last one repeats).
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::string> responses)
      : responses_(std::move(responses)), server_([this](const ReceivedRequest&) {
          size_t index = static_cast<size_t>(requests_++);
          return responses_[std::min(index, responses_.size() - 1)];
        }) {}

  std::string url(const std::string& path) const { return server_.url(path); }
  int requests() const { return requests_.load(); }
  std::vector<ReceivedRequest> received() const { return server_.received(); }

 private:
  std::vector<std::string> responses_;
  std::atomic<int> requests_{0};
  LoopbackHttpServer server_;  // last: it stops before the members it uses go
};

}  // namespace ko::testing
