// Manifests, image indexes and configs of a base image, read from a blob store as a
// registry pull or an OCI layout leaves them. The input is split into two documents: the
// first byte picks manifest+config or index+manifest. The harness points the first
// document's config (or first child) at the second, so both parsers are reached.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"
#include "oci/base_image.hpp"
#include "oci/media_types.hpp"
#include "oci/rootfs.hpp"

namespace {

using namespace ko;

// Points `document`'s descriptor at `target` when it has one; else leaves it as it is.
std::string linked(const std::string& document, const char* field, bool in_array,
                   const Digest& target, size_t target_size) {
  try {
    json::Value value = json::parse(document);
    json::Value* slot = value.is_object() ? value.get(field) : nullptr;
    if (slot && in_array && slot->is_array() && !slot->as_array().empty())
      slot = &slot->as_array().front();
    if (!slot || !slot->is_object()) return document;
    slot->as_object()["digest"] = target.str();
    slot->as_object()["size"] = static_cast<int64_t>(target_size);
    return json::dump(value);
  } catch (const Error&) {
    return document;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const bool index = input.ConsumeBool();
  std::string first = input.ConsumeRandomLengthString(1 << 16);
  std::string second = input.ConsumeRemainingBytesAsString();

  static BlobStore store(fuzz::scratch_dir() / "blobs");
  fuzz::RemoveAtEnd blobs;
  return fuzz::run([&] {
    Digest second_digest = store.put(second);
    blobs.add(store.path_of(second_digest));
    std::string top = index ? linked(first, "manifests", true, second_digest, second.size())
                            : linked(first, "config", false, second_digest, second.size());
    Descriptor entry;
    entry.media_type = std::string(index ? media_type::kOciIndex : media_type::kOciManifest);
    entry.digest = store.put(top);
    entry.size = static_cast<int64_t>(top.size());
    blobs.add(store.path_of(entry.digest));
    BaseImage base = base_from_store(store, entry, Platform::parse("linux/amd64"), "fuzz");
    RootfsIndex::of(base);  // layers are missing: refused, but after the layer list is read
  });
}
