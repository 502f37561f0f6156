// A base layer's tar (any compression libarchive detects), read for rootfs lookups:
// symlinks, hard links and whiteouts applied, then paths looked up through them.
#include "fuzz_support.hpp"
#include "oci/base_image.hpp"
#include "oci/media_types.hpp"
#include "oci/rootfs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  static BlobStore store(fuzz::scratch_dir() / "blobs");
  fuzz::RemoveAtEnd blobs;
  return fuzz::run([&] {
    Descriptor layer;
    layer.media_type = std::string(media_type::kOciLayerGzip);
    layer.digest = store.put(fuzz::as_text(data, size));
    blobs.add(store.path_of(layer.digest));
    layer.size = static_cast<int64_t>(size);
    BaseImage base;
    base.manifest = Manifest{.layers = {layer}};
    base.blobs = store;
    RootfsIndex rootfs = RootfsIndex::of(base);
    for (const char* path : {"lib64/ld-linux-x86-64.so.2", "lib/ld-musl-x86_64.so.1", "a/b/c",
                             "etc/passwd", "/", "..", "a/../../b"})
      rootfs.exists(path);
  });
}
