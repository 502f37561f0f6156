// The `docker load` archive format (docker-archive): manifest.json (config, repo tags,
// layer paths), repositories, and the config and layer blobs, for one platform's image.
// Deterministic: entries sorted, fixed mtime, as every tar we write.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "oci/descriptor.hpp"
#include "oci/layout.hpp"
#include "oci/platform.hpp"

namespace ko {

// The image manifest of `top` for `platform`: `top` itself when it is an image, else the
// index entry for that platform. Throws naming the layout when the index has none.
Descriptor image_for_platform(const Layout& layout, const Descriptor& top,
                              const Platform& platform);

// Writes the archive of `manifest` (an image manifest in `layout`), tagged with every
// `repo_tags` entry (repository:tag), to `out`.
void write_docker_archive(const Layout& layout, const Descriptor& manifest,
                          const std::vector<std::string>& repo_tags, int64_t mtime,
                          const std::filesystem::path& out);

}  // namespace ko
