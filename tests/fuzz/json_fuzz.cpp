// JSON from registries and base layouts; what we write is canonical and parses back.
#include "fuzz_support.hpp"
#include "json/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  return fuzz::run([&] {
    json::Value value = json::parse(fuzz::as_text(data, size));
    std::string canonical = json::dump(value);
    // Numbers may change form (0e00 is written 0), but writing what we wrote is stable,
    // which is what digests of the JSON we produce depend on.
    json::Value again = json::parse(canonical, "canonical JSON");
    fuzz::require(json::dump(again) == canonical, "canonical form is stable");
  });
}
