// Which entry of an image index serves a platform: the one rule of every step that picks
// an image out of an index (the image step's base, the registry base, `docker load`,
// EXPECT_DIGEST per platform, SBOM attachment).
//
// Entries without a platform, and attestation entries (os or architecture "unknown"),
// never match. Of the others, the first in index order wins in the first tier that has one:
//   1. os, architecture and variant all equal;
//   2. os and architecture equal and one side without a variant: a request without one
//      takes any variant (linux/arm64 takes linux/arm64/v8, as Docker does), and an entry
//      without one serves every variant (linux/arm/v7 takes a plain linux/arm; arm64's
//      only variant, v8, is what a plain linux/arm64 entry is).
// Our own indexes list each platform once, exactly as requested, so for them only tier 1
// ever applies. Tier 2 is for bases: real ones list each architecture once, and then the
// tiers give what a runtime would pull.
#pragma once

#include <vector>

#include "oci/descriptor.hpp"
#include "oci/platform.hpp"

namespace ko {

// The entry serving `platform`, or nullptr when none does.
const Descriptor* select_platform(const std::vector<Descriptor>& entries, const Platform& platform);

}  // namespace ko
