#include "registry/http_client.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <fstream>
#include <thread>

#include "registry/curl_handles.hpp"
#include "registry/curl_library.hpp"
#include "registry/trust_store.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace {

constexpr long kMaxCachedConnections = 64;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string host_of(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// One request in flight.
struct Transfer {
  HttpJob* job = nullptr;
  HttpRequest request;
  HttpResponse response;
  CurlEasy easy;
  CurlHeaders headers;
  std::ifstream upload;
  int64_t upload_left = 0;
  std::ofstream download;
  std::unique_ptr<Sha256> download_sha;
  long status = 0;  // of the response whose headers are arriving
  bool too_large = false;
  int64_t limit = 0;  // the one the body exceeded
  char error[CURL_ERROR_SIZE] = {};
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after a redirect or 100 Continue)
    const size_t space = line.find(' ');
    t->status = space == std::string::npos ? 0 : std::atol(line.c_str() + space + 1);
  } else if (size_t colon = line.find(':'); colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    const std::string name = lower(line.substr(0, colon));
    t->response.headers[name] = value;
    // A body announced larger than a streamed download may be is refused before it comes.
    if (name == "content-length" && t->status >= 200 && t->status < 300 &&
        !t->request.response_file.empty() &&
        std::atoll(value.c_str()) > t->request.response_file_limit) {
      t->too_large = true;
      t->limit = t->request.response_file_limit;
      return 0;
    }
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  long status = 0;
  curl_library().easy_getinfo(t->easy.get(), CURLINFO_RESPONSE_CODE, &status);
  bool to_file = !t->request.response_file.empty() && status >= 200 && status < 300;
  if (to_file) {
    if (t->response.response_bytes + static_cast<int64_t>(n) > t->request.response_file_limit) {
      t->too_large = true;
      t->limit = t->request.response_file_limit;
      return 0;
    }
    if (!t->download.is_open()) {
      t->download.open(t->request.response_file, std::ios::binary | std::ios::trunc);
      t->download_sha = std::make_unique<Sha256>();
      if (!t->download) return 0;
    }
    t->download.write(data, static_cast<std::streamsize>(n));
    t->download_sha->update(data, n);
    t->response.response_bytes += static_cast<int64_t>(n);
    return t->download ? n : 0;
  }
  if (t->response.body.size() + n > t->request.max_response_bytes) {
    t->too_large = true;
    t->limit = static_cast<int64_t>(t->request.max_response_bytes);
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

// "5 s", "1.5 s": a deadline as people set it.
std::string seconds_text(std::chrono::milliseconds duration) {
  const long ms = static_cast<long>(duration.count());
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000) text += "." + std::to_string(ms % 1000 + 1000).substr(1, 3);
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.'))
    text.pop_back();
  return text + " s";
}

size_t on_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t want = std::min<int64_t>(static_cast<int64_t>(size * count), t->upload_left);
  if (want == 0) return 0;
  if (!t->request.body_file.empty()) {
    t->upload.read(buffer, static_cast<std::streamsize>(want));
    want = static_cast<size_t>(t->upload.gcount());
    if (want == 0) return CURL_READFUNC_ABORT;
  } else {
    size_t offset = t->request.body.size() - static_cast<size_t>(t->upload_left);
    std::memcpy(buffer, t->request.body.data() + offset, want);
  }
  t->upload_left -= static_cast<int64_t>(want);
  return want;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t uploaded) {
  auto* t = static_cast<Transfer*>(user);
  t->request.on_upload_progress(static_cast<int64_t>(uploaded));
  return 0;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  int64_t total = t->request.body_file.empty() ? static_cast<int64_t>(t->request.body.size())
                                               : t->request.body_length;
  if (offset < 0 || offset > total) return CURL_SEEKFUNC_FAIL;
  if (!t->request.body_file.empty()) {
    t->upload.clear();
    t->upload.seekg(t->request.body_offset + offset);
    if (!t->upload) return CURL_SEEKFUNC_FAIL;
  }
  t->upload_left = total - offset;
  return CURL_SEEKFUNC_OK;
}

}  // namespace

struct HttpClient::Impl {
  CurlMulti multi{curl_library().multi_init()};
  std::vector<CurlEasy> idle;
  TrustStore trust;
  std::map<std::string, bool> verify_tls;  // host → verify
  HttpClientOptions options;
  std::optional<std::chrono::steady_clock::time_point> deadline;

  // Whether `when` is at the deadline, or so close to it that a request would have no time
  // to run (libcurl's own timer may also fire a moment before ours).
  bool past_deadline(std::chrono::steady_clock::time_point when) const {
    constexpr std::chrono::milliseconds kSlack{50};
    return deadline && when + kSlack >= *deadline;
  }
  // The answer of a request the deadline ended, or that would have started after it.
  HttpResponse deadline_failure(const std::string& url) const {
    return HttpResponse{.status = 0,
                        .transport_error = "no complete answer from " + host_of(url) +
                                           " within the deadline of " +
                                           seconds_text(options.timeout),
                        .deadline_passed = true,
                        .url = url};
  }

  CurlEasy take_easy() {
    if (idle.empty()) return CurlEasy(curl_library().easy_init());
    CurlEasy easy = std::move(idle.back());
    idle.pop_back();
    curl_library().easy_reset(easy.get());
    return easy;
  }

  void configure(Transfer& t, TransportCounters& counters) {
    CURL* c = t.easy.get();
    const HttpRequest& r = t.request;
    t.response.url = r.url;
    curl_library().easy_setopt(c, CURLOPT_URL, r.url.c_str());
    curl_library().easy_setopt(c, CURLOPT_PRIVATE, &t);
    curl_library().easy_setopt(c, CURLOPT_ERRORBUFFER, t.error);
    curl_library().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_library().easy_setopt(c, CURLOPT_USERAGENT, "ko-image (cmake-ko)");
    // Registries speak HTTP: no other protocol, not even through a redirect or a realm.
    curl_library().easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_library().easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_library().easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_library().easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes_per_second);
    curl_library().easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                               static_cast<long>(options.low_speed_window.count()));
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
      curl_library().easy_setopt(c, CURLOPT_TIMEOUT_MS, std::max<long>(1, left.count()));
    }
    if (!r.response_file.empty() && r.response_file_limit < 0)
      throw Error("internal: a download to " + r.response_file.string() + " needs a size limit");
    curl_library().easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_library().easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_library().easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_library().easy_setopt(c, CURLOPT_WRITEDATA, &t);
    // Over HTTP/2 (TLS registries that offer it), wait for a connection being set up
    // instead of opening another one beside it, so parallel requests share it.
    curl_library().easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
    if (r.follow_redirects) {
      curl_library().easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
      curl_library().easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
      curl_library().easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH,
                                 0L);  // no credentials to other hosts
    }
    trust.apply(c);
    auto verify = verify_tls.find(host_of(r.url));
    if (verify != verify_tls.end() && !verify->second) {
      curl_library().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_library().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    for (const std::string& h : r.headers) t.headers.append(h);
    t.headers.append("Expect:");  // no 100-continue round trip before bodies

    int64_t length = r.body_file.empty() ? static_cast<int64_t>(r.body.size()) : r.body_length;
    if (!r.body_file.empty()) {
      t.upload.open(r.body_file, std::ios::binary);
      if (!t.upload) throw Error("cannot read " + r.body_file.string());
      t.upload.seekg(r.body_offset);
    }
    t.upload_left = length;
    if (r.method == "HEAD") {
      curl_library().easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (r.method == "PUT" || r.method == "POST" || r.method == "PATCH") {
      // UPLOAD with an explicit size sends Content-Length (0 for bodyless requests).
      curl_library().easy_setopt(c, CURLOPT_UPLOAD, 1L);
      curl_library().easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
      curl_library().easy_setopt(c, CURLOPT_READFUNCTION, on_upload);
      curl_library().easy_setopt(c, CURLOPT_READDATA, &t);
      curl_library().easy_setopt(c, CURLOPT_SEEKFUNCTION, on_seek);
      curl_library().easy_setopt(c, CURLOPT_SEEKDATA, &t);
      if (r.method != "PUT") curl_library().easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      if (r.on_upload_progress) {
        curl_library().easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_library().easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_library().easy_setopt(c, CURLOPT_XFERINFODATA, &t);
      }
      counters.bytes_sent += length;
    } else if (r.method != "GET") {
      curl_library().easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    curl_library().easy_setopt(c, CURLOPT_HTTPHEADER, t.headers.get());
    counters.requests++;
  }
};

HttpClient::HttpClient(const HttpClientOptions& options) {
  curl_global_init_once();
  impl_ = std::make_unique<Impl>();
  impl_->options = options;
  if (options.timeout.count() > 0)
    impl_->deadline = std::chrono::steady_clock::now() + options.timeout;
  impl_->trust = TrustStore::load(options.extra_ca_file);
  if (!impl_->multi) throw Error("libcurl: cannot create a multi handle");
  // The multi handle's connection cache is what reuses connections across requests and
  // runs. Its default size follows the number of transfers added at the moment (4 each);
  // a fixed size keeps a parallel run's connections for the next run whatever came between.
  curl_library().multi_setopt(impl_->multi.get(), CURLMOPT_MAXCONNECTS, kMaxCachedConnections);
}

HttpClient::~HttpClient() = default;

void HttpClient::set_verify_tls(const std::string& host, bool verify) {
  impl_->verify_tls[host] = verify;
}

void HttpClient::run(const std::vector<HttpJob*>& jobs, int parallelism) {
  using Clock = std::chrono::steady_clock;
  struct Waiting {
    Clock::time_point due;
    HttpJob* job;
    HttpRequest request;
  };
  std::deque<HttpJob*> queue(jobs.begin(), jobs.end());
  std::vector<Waiting> waiting;
  std::map<CURL*, std::unique_ptr<Transfer>> active;
  int running_jobs = 0;

  auto schedule = [&](HttpJob* job, std::optional<HttpRequest> request) {
    if (!request) {
      --running_jobs;
      return;
    }
    Clock::time_point due = Clock::now() + request->delay;
    waiting.push_back({due, job, std::move(*request)});
  };
  auto start_jobs = [&] {
    while (running_jobs < parallelism && !queue.empty()) {
      HttpJob* job = queue.front();
      queue.pop_front();
      ++running_jobs;
      schedule(job, job->next(nullptr));
    }
  };

  start_jobs();
  while (!waiting.empty() || !active.empty() || !queue.empty()) {
    Clock::time_point now = Clock::now();
    for (size_t i = 0; i < waiting.size();) {
      if (impl_->past_deadline(waiting[i].due)) {  // no request starts after the deadline
        HttpJob* job = waiting[i].job;
        const HttpResponse failed = impl_->deadline_failure(waiting[i].request.url);
        waiting.erase(waiting.begin() + static_cast<long>(i));
        schedule(job, job->next(&failed));
        start_jobs();
        continue;
      }
      if (waiting[i].due > now) {
        ++i;
        continue;
      }
      auto t = std::make_unique<Transfer>();
      t->job = waiting[i].job;
      t->request = std::move(waiting[i].request);
      t->easy = impl_->take_easy();
      impl_->configure(*t, counters_);
      curl_library().multi_add_handle(impl_->multi.get(), t->easy.get());
      active.emplace(t->easy.get(), std::move(t));
      waiting.erase(waiting.begin() + static_cast<long>(i));
    }

    int still_running = 0;
    if (curl_library().multi_perform(impl_->multi.get(), &still_running) != CURLM_OK)
      throw Error("libcurl multi transfer failed");
    int left = 0;
    while (CURLMsg* message = curl_library().multi_info_read(impl_->multi.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      auto node = active.extract(easy);
      Transfer& t = *node.mapped();
      curl_library().multi_remove_handle(impl_->multi.get(), easy);
      long connects = 0;
      if (curl_library().easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK)
        counters_.connections_opened += static_cast<int>(connects);
      if (message->data.result == CURLE_OK) {
        curl_library().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &t.response.status);
      } else {
        const CURLcode result = message->data.result;
        if (result == CURLE_OPERATION_TIMEDOUT && impl_->past_deadline(Clock::now())) {
          t.response = impl_->deadline_failure(t.request.url);
        } else {
          t.response.status = 0;
          t.response.tls_untrusted = result == CURLE_PEER_FAILED_VERIFICATION;
          t.response.request_invalid =
              result == CURLE_URL_MALFORMAT || result == CURLE_UNSUPPORTED_PROTOCOL;
          t.response.too_large = t.too_large;
          t.response.transport_error =
              t.too_large  ? "response larger than " + std::to_string(t.limit) + " bytes"
              : t.error[0] ? std::string(t.error)
                           : curl_library().easy_strerror(result);
        }
      }
      if (t.download.is_open()) {
        t.download.close();
        t.response.response_sha256_hex = t.download_sha->finish_hex();
      }
      impl_->idle.push_back(std::move(t.easy));
      schedule(t.job, t.job->next(&t.response));
      start_jobs();
    }

    if (!active.empty() || !waiting.empty()) {
      int timeout_ms = 1000;
      for (const Waiting& w : waiting) {
        auto until =
            std::chrono::duration_cast<std::chrono::milliseconds>(w.due - Clock::now()).count();
        timeout_ms = std::clamp<int>(static_cast<int>(until), 0, timeout_ms);
      }
      if (active.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      } else {
        curl_library().multi_poll(impl_->multi.get(), nullptr, 0, timeout_ms, nullptr);
      }
    }
  }
}

namespace {
// A job of one request.
class SingleRequest : public HttpJob {
 public:
  explicit SingleRequest(HttpRequest request) : request_(std::move(request)) {}
  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return request_;
    response_ = *previous;
    return std::nullopt;
  }
  HttpResponse take() { return std::move(response_); }

 private:
  HttpRequest request_;
  HttpResponse response_;
};
}  // namespace

HttpResponse HttpClient::send(HttpRequest request) {
  SingleRequest job(std::move(request));
  run({&job}, 1);
  return job.take();
}

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string resolve_url(const std::string& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  size_t scheme_end = base.find("://");
  size_t host_end = base.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  std::string origin = base.substr(0, host_end);
  if (location.starts_with('/')) return origin + location;
  // Relative to the base's directory.
  std::string path = base.substr(0, base.find('?'));
  return path.substr(0, path.rfind('/') + 1) + location;
}

std::optional<HttpUrl> parse_http_url(const std::string& text) {
  curl_global_init_once();
  CurlUrl url(curl_library().url());
  if (!url) throw Error("out of memory parsing a URL");
  if (curl_library().url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return std::nullopt;
  auto part = [&](CURLUPart which) -> std::string {
    char* value = nullptr;
    if (curl_library().url_get(url.get(), which, &value, 0) != CURLUE_OK || !value) return "";
    CurlString owned(value);
    return std::string(owned.get());
  };
  HttpUrl parsed{.scheme = lower(part(CURLUPART_SCHEME)), .host = part(CURLUPART_HOST)};
  if ((parsed.scheme != "http" && parsed.scheme != "https") || parsed.host.empty())
    return std::nullopt;
  return parsed;
}

}  // namespace ko
