#include "scoring.h"

#include <cstddef>
#include <numeric>
#include <vector>

namespace {
// Each word weighs a little less than the one before; C++ on purpose (libstdc++ is linked).
int weighted_sum(int words) {
  std::vector<int> weights(static_cast<std::size_t>(words));
  for (int i = 0; i < words; ++i) weights[static_cast<std::size_t>(i)] = words - i;
  return std::accumulate(weights.begin(), weights.end(), 0);
}
}  // namespace

extern "C" int score_document(int words) {
  return words <= 0 ? 0 : weighted_sum(words);
}
