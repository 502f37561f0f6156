// `go list -json` output, read for the go build step's depfile.
#include "fuzz_support.hpp"
#include "gobuild/go_build.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  return fuzz::run([&] { inputs_from_go_list(fuzz::as_text(data, size)); });
}
