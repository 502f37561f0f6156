// A look at a built binary's ELF header, so a binary for the wrong architecture never
// reaches an image (a mis-set GOARCH would otherwise ship an image that cannot start).
#pragma once

#include <filesystem>

#include "oci/platform.hpp"

namespace ko {

// Throws ko::Error naming the file, the machine found and the one expected.
void check_elf_platform(const std::filesystem::path& binary, const Platform& platform);

}  // namespace ko
