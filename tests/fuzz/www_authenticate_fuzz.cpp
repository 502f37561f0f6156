// WWW-Authenticate challenges, as a registry (or anything posing as one) sends them.
#include "fuzz_support.hpp"
#include "registry/registry_session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  return fuzz::run([&] {
    Challenge challenge = parse_challenge(std::string(fuzz::as_text(data, size)));
    fuzz::require(
        challenge.scheme.empty() || challenge.scheme == "basic" || challenge.scheme == "bearer" ||
            challenge.scheme.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos,
        "the scheme is lower case");
  });
}
