// Docker's config.json (auths, credHelpers, credsStore) and a credential helper's answer.
// The first byte picks which; the rest is the document.
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
  // Only the fuzzed config.json is read, and no credential helper can be found.
  static const CredentialSources sources{
      .config_files = {fuzz::scratch_dir() / "config.json"},
      .helper_environment = {{"PATH", fuzz::scratch_dir().string()}}};
  std::ofstream(fuzz::scratch_dir() / "config.json", std::ios::binary | std::ios::trunc)
      << document;
  return fuzz::run([&] {
    find_credentials(Reference::parse("registry.example/team/app"), sources);
    find_credentials(Reference::parse("golang"), sources);  // Docker Hub's key
  });
}
