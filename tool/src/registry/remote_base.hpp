// Base images from registries: the tag pinned through ko.lock.json, the blobs fetched
// once into the shared cache, so later builds need no network.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "oci/base_image.hpp"
#include "registry/lock_file.hpp"
#include "registry/registry_options.hpp"

namespace ko {

// Resolves `base` (a reference, as written in BASE) to the digest its tag names now, with
// the per-platform digests of an index. Always asks the registry.
LockEntry resolve_base(const std::string& base, const RegistryOptions& options);

// Loads the base for `platform`: the digest comes from `base` itself (…@sha256:…), else
// from `lock_file`, else the tag is resolved and recorded there. Manifests, config and
// layers come from the options' cache, fetched and verified when missing.
BaseImage load_remote_base(const std::string& base, const Platform& platform,
                           const std::optional<std::filesystem::path>& lock_file,
                           const RegistryOptions& options);

}  // namespace ko
