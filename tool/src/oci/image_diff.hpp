// Explaining why two images differ — the first differing blob, and for a layer the first
// differing tar entry and field — for reproducibility checks (`ko-image diff`, `verify`,
// ko_add_reproducibility_test) and EXPECT_DIGEST failures.
#pragma once

#include <functional>
#include <string>

#include "oci/blob_store.hpp"
#include "oci/descriptor.hpp"

namespace ko {

struct ImageSide {
  const BlobStore& store;
  Descriptor top;
  std::string label;  // e.g. the layout path or a registry reference
  // Makes a blob available in `store` before it is read (a registry fetch); may be empty.
  std::function<void(const Descriptor&)> ensure;
};

// An empty string when both sides are the same image; else lines explaining the first
// difference, most specific last, e.g.
//   image for linux/amd64: sha256:… vs sha256:…
//   layer 2 of 2 (/ko-app): sha256:… vs sha256:…
//   tar entry ko-app/hello: content differs (sha256:… vs sha256:…)
std::string explain_difference(const ImageSide& a, const ImageSide& b);

}  // namespace ko
