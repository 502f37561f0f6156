// What a registry says when a request fails, turned into our one-line errors: the
// distribution spec's error body ({"errors":[{"code","message"}]}) parsed in this one place,
// and RegistryError, the error every failed registry request becomes.
#pragma once

#include <string>
#include <vector>

#include "registry/http_client.hpp"
#include "util/error.hpp"

namespace ko {

struct RegistryErrorEntry {
  std::string code;  // MANIFEST_UNKNOWN, DENIED, …
  std::string message;
};

// The errors[] of a registry's error body; empty when the body is not one.
std::vector<RegistryErrorEntry> parse_error_body(const std::string& body);

// "HTTP <status> CODE: message; CODE: message" (the registry's words made one bounded
// line), or the transport error when no response arrived; "(after N attempts)" when the
// request was retried.
std::string describe_error(const HttpResponse& response);

// A registry request that failed: "<what>: <description>", or, for a 401, that `registry`
// refused the credentials (by then authorization has been tried and refreshed).
class RegistryError : public Error {
 public:
  RegistryError(const std::string& registry, const HttpResponse& response, const std::string& what);

  long status() const { return status_; }
  const std::vector<RegistryErrorEntry>& errors() const { return errors_; }

 private:
  long status_;
  std::vector<RegistryErrorEntry> errors_;
};

}  // namespace ko
