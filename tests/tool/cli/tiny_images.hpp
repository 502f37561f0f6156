// Tiny images built in code for the subcommand tests: a config, one fake layer and a
// manifest in a blob store, and the image.json descriptor the image step would write.
// Also: what a subcommand prints on stdout.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <string>

#include "json/json.hpp"
#include "oci/blob_store.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"

namespace ko::testing {

// Writes one platform's image into `store` and its descriptor to `descriptor_file`.
inline Descriptor put_tiny_image(BlobStore& store, const std::string& platform_text,
                                 const std::filesystem::path& descriptor_file) {
  const Platform platform = Platform::parse(platform_text);
  const std::string layer = "layer of " + platform_text;
  Descriptor layer_descriptor{.media_type = std::string(media_type::kOciLayerGzip),
                              .digest = store.put(layer),
                              .size = static_cast<int64_t>(layer.size())};
  ImageSettings settings{.entrypoint = "/ko-app/hello",
                         .args = {"--port", "8080"},
                         .user = "65532",
                         .labels = {{"team", "core"}},
                         .created = rfc3339_utc(0),
                         .history_comment = "ko-image: /ko-app/hello"};
  const std::string config = json::dump(
      make_config(json::Value(), platform, Digest::of_bytes("tar of " + platform_text), settings));
  Descriptor config_descriptor{.media_type = std::string(media_type::kOciConfig),
                               .digest = store.put(config),
                               .size = static_cast<int64_t>(config.size())};
  const std::string manifest = json::dump(make_manifest(media_type::Family::kOci, json::Array{},
                                                        config_descriptor, layer_descriptor, {}));
  Descriptor image{.media_type = std::string(media_type::kOciManifest),
                   .digest = store.put(manifest),
                   .size = static_cast<int64_t>(manifest.size()),
                   .platform = make_index_platform(json::Value(), platform)};
  write_file_atomic(descriptor_file, json::dump(image.to_json()) + "\n");
  return image;
}

// What `run` prints on stdout.
inline std::string stdout_of(const std::function<void()>& run) {
  ::testing::internal::CaptureStdout();
  try {
    run();
  } catch (...) {
    std::cout.flush();
    ::testing::internal::GetCapturedStdout();
    throw;
  }
  std::cout.flush();
  return ::testing::internal::GetCapturedStdout();
}

}  // namespace ko::testing
