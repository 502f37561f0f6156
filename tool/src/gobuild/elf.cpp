#include "gobuild/elf.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

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

namespace {

template <typename Ehdr, typename Phdr>
std::optional<std::string> find_interpreter(const std::string& bytes, const std::string& name) {
  if (bytes.size() < sizeof(Ehdr)) throw Error(name + " is a truncated ELF file");
  Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  for (size_t i = 0; i < header.e_phnum; ++i) {
    size_t offset = header.e_phoff + i * header.e_phentsize;
    if (offset + sizeof(Phdr) > bytes.size())
      throw Error(name + " has a truncated program header table");
    Phdr program;
    std::memcpy(&program, bytes.data() + offset, sizeof program);
    if (program.p_type != PT_INTERP) continue;
    if (program.p_offset + program.p_filesz > bytes.size())
      throw Error(name + " has a truncated PT_INTERP");
    std::string interpreter = bytes.substr(program.p_offset, program.p_filesz);
    interpreter.resize(std::strlen(interpreter.c_str()));  // drop the NUL terminator
    return interpreter;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> elf_interpreter(const std::filesystem::path& binary) {
  std::ifstream in(binary, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
    throw Error(binary.string() + " is not an ELF executable");
  if (bytes[EI_DATA] != ELFDATA2LSB) return std::nullopt;  // big-endian hosts: not checked
  return bytes[EI_CLASS] == ELFCLASS64
             ? find_interpreter<Elf64_Ehdr, Elf64_Phdr>(bytes, binary.string())
             : find_interpreter<Elf32_Ehdr, Elf32_Phdr>(bytes, binary.string());
}

}  // namespace ko
