#include "registry/registry_session.hpp"

#include <algorithm>

#include "digest/encoding.hpp"
#include "json/json.hpp"
#include "registry/registry_error.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

std::string url_encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

Challenge parse_challenge(const std::string& header) {
  Challenge challenge;
  size_t space = header.find(' ');
  std::string scheme = header.substr(0, space);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  challenge.scheme = scheme;
  if (space == std::string::npos) return challenge;
  size_t i = space + 1;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = header.substr(i, eq - i);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      for (++i; i < header.size() && header[i] != '"'; ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value.push_back(header[i]);
      }
      ++i;  // closing quote
    } else {
      size_t end = header.find(',', i);
      value = header.substr(i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? header.size() : end;
    }
    challenge.parameters[key] = value;
  }
  return challenge;
}

std::string pull_scope(const std::string& repository) {
  return "repository:" + repository + ":pull";
}
std::string push_scope(const std::string& repository) {
  return "repository:" + repository + ":push,pull";
}

RegistrySession::RegistrySession(HttpClient& http, const Reference& reference,
                                 const RegistryOptions& options)
    : http_(http),
      reference_(reference),
      credential_sources_(options.credentials),
      insecure_(std::ranges::find(options.insecure_registries, reference.registry) !=
                options.insecure_registries.end()) {
  if (insecure_) http_.set_verify_tls(reference.api_host(), false);
}

void RegistrySession::ping() {
  const std::string host = reference_.api_host();
  // Only loopback and listed registries may fall back to HTTP: probe HTTPS once for them.
  const bool may_fall_back = insecure_ || reference_.is_loopback();
  HttpResponse response =
      send_request(http_, HttpRequest{.url = "https://" + host + "/v2/"}, nullptr,
                   RetryPolicy{.max_attempts = may_fall_back ? 1 : RetryPolicy{}.max_attempts});
  if (response.tls_untrusted)
    throw Error(
        "the TLS certificate of registry " + reference_.registry + " is not trusted (" +
        response.transport_error +
        "); set SSL_CERT_FILE to a PEM file with its CA, or list it in KO_INSECURE_REGISTRIES");
  if (response.status == 0 && may_fall_back) {
    HttpResponse plain = send_request(http_, HttpRequest{.url = "http://" + host + "/v2/"});
    if (plain.status != 0) {
      base_url_ = "http://" + host;
      response = std::move(plain);
    }
  }
  if (base_url_.empty()) base_url_ = "https://" + host;
  if (response.status == 0)
    throw Error("cannot reach registry " + reference_.registry + ": " + describe_error(response));
  if (response.status == 401) {
    challenge_ = parse_challenge(response.header("www-authenticate"));
    if (challenge_.scheme == "bearer") realm_ = checked_realm();
  } else if (!response.ok()) {
    throw Error("registry " + reference_.registry + " answered /v2/ with " +
                describe_error(response));
  }
  pinged_ = true;
}

// The realm is where credentials go: an http(s) URL libcurl reads as we do, https unless
// the registry itself is spoken to without verified TLS. Anything else cannot succeed
// however often it is tried, so it is one error, before any token request.
std::string RegistrySession::checked_realm() const {
  auto it = challenge_.parameters.find("realm");
  const std::string realm = it == challenge_.parameters.end() ? "" : it->second;
  const std::string problem = "registry " + reference_.registry + " (its WWW-Authenticate header)";
  if (realm.empty()) throw Error(problem + " asks for a token but names no realm");
  std::optional<HttpUrl> url = parse_http_url(realm);
  if (!url)
    throw Error(problem + " names a token realm that is not an http(s) URL: '" + realm +
                "'; the registry is misconfigured");
  if (url->scheme != "https" && !(insecure_ || reference_.is_loopback()))
    throw Error(problem + " names a token realm without https: '" + realm +
                "'; list the registry in KO_INSECURE_REGISTRIES if that is intended");
  return realm;
}

HttpRequest RegistrySession::token_request(const std::vector<std::string>& scopes) const {
  auto parameter = [&](const std::string& name) {
    auto it = challenge_.parameters.find(name);
    return it == challenge_.parameters.end() ? std::string() : it->second;
  };
  const std::string service = parameter("service");
  HttpRequest request;
  if (credentials_ && !credentials_->identity_token.empty()) {
    request.method = "POST";
    request.url = realm_;
    request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    request.body = "grant_type=refresh_token&client_id=ko-image&service=" + url_encode(service) +
                   "&refresh_token=" + url_encode(credentials_->identity_token);
    for (const std::string& scope : scopes) request.body += "&scope=" + url_encode(scope);
  } else {
    request.url = realm_ + (realm_.find('?') == std::string::npos ? "?" : "&") +
                  "service=" + url_encode(service);
    for (const std::string& scope : scopes) request.url += "&scope=" + url_encode(scope);
    if (credentials_)
      request.headers.push_back(
          "Authorization: Basic " +
          base64_encode(credentials_->username + ":" + credentials_->password));
  }
  return request;
}

std::string RegistrySession::token_from(const HttpResponse& response) const {
  const std::string realm = response.url.substr(0, response.url.find('?'));
  if (response.status == 401 || response.status == 403)
    throw Error(
        "registry " + reference_.registry + " refused the credentials" +
        (credentials_ ? "" : " (none are configured: log in or add them to the Docker config)") +
        " (" + describe_error(response) + ")");
  if (!response.ok())
    throw Error("token request to " + realm + " for registry " + reference_.registry +
                " failed: " + describe_error(response));
  json::Value body = json::parse(
      response.body, "the token response from " + realm + " for registry " + reference_.registry);
  std::string token = body.get_string("token");
  if (token.empty()) token = body.get_string("access_token");
  if (token.empty()) throw Error("token response from " + realm + " has no token");
  return token;
}

void RegistrySession::set_authorization(std::string header) {
  authorization_ = std::move(header);
  ++generation_;
}

void RegistrySession::adopt_ping(const RegistrySession& other) {
  if (pinged_ || !other.pinged_ || other.reference_.registry != reference_.registry) return;
  base_url_ = other.base_url_;
  challenge_ = other.challenge_;
  realm_ = other.realm_;
  pinged_ = true;
  if (other.credentials_loaded_) {
    credentials_ = other.credentials_;
    credentials_loaded_ = true;
  }
}

void RegistrySession::authorize(const std::vector<std::string>& scopes) {
  if (!pinged_) ping();
  if (!credentials_loaded_) {
    credentials_ = find_credentials(reference_, credential_sources_);
    credentials_loaded_ = true;
  }
  // A token for more scopes serves too (a push's token also covers attaching its SBOM).
  const bool covered = std::ranges::all_of(scopes, [&](const std::string& scope) {
    return std::ranges::find(scopes_, scope) != scopes_.end();
  });
  if (covered && !authorization_.empty()) return;
  scopes_ = scopes;
  if (challenge_.scheme == "bearer") {
    set_authorization("Authorization: Bearer " +
                      token_from(send_request(http_, token_request(scopes))));
  } else if (challenge_.scheme == "basic") {
    if (!credentials_)
      throw Error("registry " + reference_.registry +
                  " needs a user name and password: add them to the Docker config (docker login) "
                  "or a credential helper");
    set_authorization("Authorization: Basic " +
                      base64_encode(credentials_->username + ":" + credentials_->password));
  } else {
    set_authorization("");
  }
}

void RegistrySession::add_authorization(HttpRequest& request) const {
  if (!authorization_.empty() && request.url.starts_with(base_url_ + "/"))
    request.headers.push_back(authorization_);
}

std::optional<HttpRequest> RegistrySession::refresh_request() {
  if (challenge_.scheme != "bearer") return std::nullopt;
  return token_request(scopes_);
}

void RegistrySession::accept_refresh(const HttpResponse& response) {
  set_authorization("Authorization: Bearer " + token_from(response));
}

HttpResponse RegistrySession::send(HttpRequest request) {
  HttpResponse response = send_request(http_, std::move(request), this);
  if (response.status == 401) throw RegistryError(reference_.registry, response, "");
  return response;
}

}  // namespace ko
