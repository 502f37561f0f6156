// Image references as written in BASE, KO_DOCKER_REPO and REPOSITORY.
#include "fuzz_support.hpp"
#include "registry/reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::run([&] {
    Reference ref = Reference::parse(text);
    // What we print (lock file keys, annotations, errors) parses back to the same reference.
    fuzz::require(Reference::parse(ref.str()).str() == ref.str(), "parse(str(r)) == r");
    ref.api_host();
  });
  fuzz::run([&] {
    Reference repo = Reference::parse_repository(text);
    fuzz::require(Reference::parse_repository(repo.name()).name() == repo.name(),
                  "parse_repository(name(r)) == r");
  });
  return 0;
}
