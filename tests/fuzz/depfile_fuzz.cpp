// Depfiles written for Ninja from paths that go list reported: every path stays one entry.
#include <algorithm>
#include <vector>

#include "fuzz_support.hpp"
#include "gobuild/depfile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  std::vector<std::filesystem::path> paths;
  std::string_view text = fuzz::as_text(data, size);
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find('\0', start), text.size());
    paths.emplace_back(std::string(text.substr(start, end - start)));
    start = end + 1;
  }
  return fuzz::run([&] {
    std::string depfile = format_depfile("out/app", paths);
    size_t lines = std::count(depfile.begin(), depfile.end(), '\n');
    fuzz::require(lines == paths.size() + 1, "one depfile line per path");
  });
}
