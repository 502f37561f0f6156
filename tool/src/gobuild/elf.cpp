#include "gobuild/elf.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>

#include "util/error.hpp"

namespace ko {

void check_elf_platform(const std::filesystem::path& binary, const Platform& platform) {
  unsigned char header[EI_NIDENT + 4] = {};
  std::ifstream in(binary, std::ios::binary);
  in.read(reinterpret_cast<char*>(header), sizeof header);
  if (in.gcount() != sizeof header || std::memcmp(header, ELFMAG, SELFMAG) != 0)
    throw Error(binary.string() + " is not an ELF executable; expected a " + platform.str() +
                " binary");
  bool big_endian = header[EI_DATA] == ELFDATA2MSB;
  // e_machine follows e_type right after e_ident, in the file's byte order.
  unsigned char lo = header[EI_NIDENT + 2], hi = header[EI_NIDENT + 3];
  int machine = big_endian ? (lo << 8 | hi) : (hi << 8 | lo);
  Platform::ElfIdentity expected = platform.elf_identity();
  if (machine != expected.machine || big_endian != expected.big_endian)
    throw Error(binary.string() + " has ELF machine " + std::to_string(machine) +
                (big_endian ? " (big-endian)" : " (little-endian)") + " but " + platform.str() +
                " needs machine " + std::to_string(expected.machine) +
                (expected.big_endian ? " (big-endian)" : " (little-endian)") +
                "; check GOARCH/GOFLAGS or the toolchain");
}

}  // namespace ko
