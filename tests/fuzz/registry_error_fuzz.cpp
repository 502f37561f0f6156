// A registry's error body ({"errors":[{"code","message"}]}) becomes one line of our error.
#include "fuzz_support.hpp"
#include "registry/registry_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  HttpResponse response;
  response.status = 400;
  response.body = std::string(fuzz::as_text(data, size));
  std::string text = describe_error(response);
  fuzz::require(text.find_first_of("\r\n") == std::string::npos, "the error is one line");
  return 0;
}
