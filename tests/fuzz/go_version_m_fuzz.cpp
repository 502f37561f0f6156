// `go version -m` output, read for the SBOM; the SBOM written from it must be JSON.
#include "fuzz_support.hpp"
#include "json/json.hpp"
#include "sbom/spdx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  return fuzz::run([&] {
    GoBuildInfo info = parse_go_version_m(fuzz::as_text(data, size));
    std::string document =
        spdx_document(info, "linux/amd64", std::string(64, 'b'), "1970-01-01T00:00:00Z", "fuzz");
    json::parse(document, "SPDX document");  // throws (and so aborts below) if not JSON
  });
}
