// ko.lock.json, which lives in the source tree and is edited by people and bots.
#include <fstream>

#include "fuzz_support.hpp"
#include "registry/lock_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  const std::filesystem::path file = fuzz::scratch_dir() / "ko.lock.json";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << fuzz::as_text(data, size);
  return fuzz::run([&] {
    read_lock_entry(file, "registry.example/base:latest");
    read_lock_entry(file, "cgr.dev/chainguard/static:latest");
  });
}
