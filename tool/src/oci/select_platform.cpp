#include "oci/select_platform.hpp"

namespace ko {

const Descriptor* select_platform(const std::vector<Descriptor>& entries,
                                  const Platform& platform) {
  const Descriptor* compatible = nullptr;  // the first of tier 2
  for (const Descriptor& entry : entries) {
    if (entry.platform.is_null()) continue;
    const Platform candidate = Platform::from_json(entry.platform);
    if (candidate.os == "unknown" || candidate.architecture == "unknown") continue;
    if (candidate.os != platform.os || candidate.architecture != platform.architecture) continue;
    if (candidate.variant == platform.variant) return &entry;
    if (!compatible && (candidate.variant.empty() || platform.variant.empty())) compatible = &entry;
  }
  return compatible;
}

}  // namespace ko
