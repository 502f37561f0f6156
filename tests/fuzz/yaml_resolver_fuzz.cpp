// ko:// resolution of Kubernetes / Cloud Run YAML.
#include "fuzz_support.hpp"
#include "resolve/yaml_resolver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  const ImageReferences images{
      {"./cmd/app", "registry.example/app@sha256:" + std::string(64, 'a')},
      {"example.com/m/cmd/app", "registry.example/app@sha256:" + std::string(64, 'a')}};
  return fuzz::run([&] {
    std::string out = resolve_yaml(fuzz::as_text(data, size), images, "fuzz.yaml");
    // The result is YAML again, and holds nothing more to resolve.
    fuzz::require(resolve_yaml(out, images, "fuzz.yaml") == out, "resolving twice changes nothing");
  });
}
