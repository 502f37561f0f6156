// A look at a built binary's ELF header, so a binary for the wrong architecture never
// reaches an image (a mis-set GOARCH would otherwise ship an image that cannot start).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "oci/platform.hpp"

namespace ko {

// The ELF e_machine and byte order a binary for a platform carries.
struct ElfIdentity {
  int machine;
  bool big_endian;
};
// Throws ko::Error for an architecture we cannot build for.
ElfIdentity elf_identity(const Platform& platform);

// Throws ko::Error naming the file, the machine found and the one expected.
void check_elf_platform(const std::filesystem::path& binary, const Platform& platform);

// The program interpreter (PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2) of a dynamically
// linked executable; nullopt for a static one. A dynamic binary only starts in an image
// whose base has that file.
std::optional<std::string> elf_interpreter(const std::filesystem::path& binary);

}  // namespace ko
