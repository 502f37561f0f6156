// Docker's config.json (auths, credHelpers, credsStore) and a credential helper's answer.
// The first byte picks which; the rest is the document.
#include <cstdlib>
#include <fstream>

#include "fuzz_support.hpp"
#include "registry/credentials.hpp"
#include "registry/reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  if (size == 0) return 0;
  const std::string_view document = fuzz::as_text(data + 1, size - 1);
  if (data[0] & 1) {
    return fuzz::run([&] { credentials_from_helper_output(document, "docker-credential-fuzz"); });
  }
  static const bool environment = [] {
    // Only the fuzzed config.json is read, and no credential helper can be found.
    setenv("DOCKER_CONFIG", fuzz::scratch_dir().c_str(), 1);
    setenv("PATH", fuzz::scratch_dir().c_str(), 1);
    unsetenv("REGISTRY_AUTH_FILE");
    unsetenv("XDG_RUNTIME_DIR");
    return true;
  }();
  (void)environment;
  std::ofstream(fuzz::scratch_dir() / "config.json", std::ios::binary | std::ios::trunc)
      << document;
  return fuzz::run([&] {
    find_credentials(Reference::parse("registry.example/team/app"));
    find_credentials(Reference::parse("golang"));  // Docker Hub's key
  });
}
