#include "gobuild/elf.hpp"

#include <elf.h>

#include <array>
#include <cstring>
#include <fstream>
#include <string_view>

#include "util/error.hpp"

namespace ko {

namespace {

struct Machine {
  std::string_view architecture;  // Go's GOARCH, as in Platform::known_architectures()
  ElfIdentity identity;
};

// Go's Linux architectures (Platform::known_architectures(); a test checks both agree).
// clang-format off
constexpr std::array<Machine, 13> kMachines{{
    {"amd64", {EM_X86_64, false}}, {"arm64", {EM_AARCH64, false}}, {"arm", {EM_ARM, false}},
    {"386", {EM_386, false}},      {"riscv64", {EM_RISCV, false}}, {"loong64", {258, false}},
    {"ppc64le", {EM_PPC64, false}},  {"ppc64", {EM_PPC64, true}},  {"s390x", {EM_S390, true}},
    {"mips64le", {EM_MIPS, false}},  {"mips64", {EM_MIPS, true}},
    {"mipsle", {EM_MIPS, false}},    {"mips", {EM_MIPS, true}},
}};  // 258: EM_LOONGARCH, which older <elf.h> lack
// clang-format on

}  // namespace

ElfIdentity elf_identity(const Platform& platform) {
  for (const Machine& m : kMachines)
    if (m.architecture == platform.architecture) return m.identity;
  throw Error("unsupported architecture '" + platform.architecture + "'");
}

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
  ElfIdentity expected = elf_identity(platform);
  if (machine != expected.machine || big_endian != expected.big_endian)
    throw Error(binary.string() + " has ELF machine " + std::to_string(machine) +
                (big_endian ? " (big-endian)" : " (little-endian)") + " but " + platform.str() +
                " needs machine " + std::to_string(expected.machine) +
                (expected.big_endian ? " (big-endian)" : " (little-endian)") +
                "; check GOARCH/GOFLAGS or the toolchain");
}

namespace {

// Reads `size` bytes at `offset`; only the headers are read, never the whole binary (a
// layer may hold a binary of hundreds of MB, and the helper streams).
void read_at(std::ifstream& in, uint64_t offset, void* out, size_t size, const std::string& what) {
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(static_cast<char*>(out), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) throw Error(what);
}

template <typename Ehdr, typename Phdr>
std::optional<std::string> find_interpreter(std::ifstream& in, const std::string& name) {
  Ehdr header;
  read_at(in, 0, &header, sizeof header, name + " is a truncated ELF file");
  for (size_t i = 0; i < header.e_phnum; ++i) {
    Phdr program;
    read_at(in, header.e_phoff + i * header.e_phentsize, &program, sizeof program,
            name + " has a truncated program header table");
    if (program.p_type != PT_INTERP) continue;
    if (program.p_filesz > 4096) throw Error(name + " has an implausible PT_INTERP");
    std::string interpreter(program.p_filesz, '\0');
    read_at(in, program.p_offset, interpreter.data(), interpreter.size(),
            name + " has a truncated PT_INTERP");
    interpreter.resize(std::strlen(interpreter.c_str()));  // drop the NUL terminator
    return interpreter;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> elf_interpreter(const std::filesystem::path& binary) {
  std::ifstream in(binary, std::ios::binary);
  unsigned char ident[EI_NIDENT] = {};
  in.read(reinterpret_cast<char*>(ident), sizeof ident);
  if (in.gcount() != EI_NIDENT || std::memcmp(ident, ELFMAG, SELFMAG) != 0)
    throw Error(binary.string() + " is not an ELF executable");
  if (ident[EI_DATA] != ELFDATA2LSB) return std::nullopt;  // big-endian hosts: not checked
  return ident[EI_CLASS] == ELFCLASS64
             ? find_interpreter<Elf64_Ehdr, Elf64_Phdr>(in, binary.string())
             : find_interpreter<Elf32_Ehdr, Elf32_Phdr>(in, binary.string());
}

}  // namespace ko
