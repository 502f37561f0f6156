#include "gobuild/elf.hpp"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>

#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;

TEST(ElfIdentity, MachineAndByteOrderOfEachArchitecture) {
  EXPECT_EQ(elf_identity(Platform::parse("linux/amd64")).machine, EM_X86_64);
  EXPECT_FALSE(elf_identity(Platform::parse("linux/amd64")).big_endian);
  EXPECT_EQ(elf_identity(Platform::parse("linux/arm64")).machine, EM_AARCH64);
  EXPECT_TRUE(elf_identity(Platform::parse("linux/s390x")).big_endian);
  EXPECT_EQ(elf_identity(Platform::parse("linux/ppc64")).machine,
            elf_identity(Platform::parse("linux/ppc64le")).machine);
  EXPECT_NE(elf_identity(Platform::parse("linux/ppc64")).big_endian,
            elf_identity(Platform::parse("linux/ppc64le")).big_endian);
  EXPECT_THROW(elf_identity(Platform{"linux", "sparc", ""}), Error);
}

// Every architecture a platform may name has an ELF identity: the two tables agree.
TEST(ElfIdentity, KnownForEveryArchitecture) {
  for (const std::string& name : Platform::known_architectures())
    EXPECT_NO_THROW(elf_identity(Platform{"linux", name, ""})) << name;
}

// The first bytes of an ELF executable: e_ident, e_type (ET_EXEC) and e_machine in the
// file's byte order, then a little padding. Enough for check_elf_platform, nothing more.
std::string elf_header(int machine, bool big_endian) {
  std::string h(64, '\0');
  h[0] = 0x7f;
  h[1] = 'E';
  h[2] = 'L';
  h[3] = 'F';
  h[EI_CLASS] = ELFCLASS64;
  h[EI_DATA] = big_endian ? ELFDATA2MSB : ELFDATA2LSB;
  h[EI_VERSION] = EV_CURRENT;
  auto put16 = [&](size_t offset, int value) {
    const char lo = static_cast<char>(value & 0xff), hi = static_cast<char>((value >> 8) & 0xff);
    h[offset] = big_endian ? hi : lo;
    h[offset + 1] = big_endian ? lo : hi;
  };
  put16(EI_NIDENT, ET_EXEC);
  put16(EI_NIDENT + 2, machine);
  return h;
}

class ElfTest : public ::testing::Test {
 protected:
  fs::path binary(const std::string& bytes) {
    fs::path path = dir_ / ("bin" + std::to_string(count_++));
    testing::write_file(path, bytes, fs::perms(0755));
    return path;
  }
  testing::TempDir dir_;
  int count_ = 0;
};

TEST_F(ElfTest, AcceptsMatchingMachine) {
  EXPECT_NO_THROW(
      check_elf_platform(binary(elf_header(EM_X86_64, false)), Platform::parse("linux/amd64")));
  EXPECT_NO_THROW(
      check_elf_platform(binary(elf_header(EM_AARCH64, false)), Platform::parse("linux/arm64")));
  EXPECT_NO_THROW(
      check_elf_platform(binary(elf_header(EM_ARM, false)), Platform::parse("linux/arm/v7")));
  EXPECT_NO_THROW(
      check_elf_platform(binary(elf_header(EM_S390, true)), Platform::parse("linux/s390x")));
  EXPECT_NO_THROW(
      check_elf_platform(binary(elf_header(EM_RISCV, false)), Platform::parse("linux/riscv64")));
}

TEST_F(ElfTest, RejectsOtherMachine) {
  fs::path arm64 = binary(elf_header(EM_AARCH64, false));
  try {
    check_elf_platform(arm64, Platform::parse("linux/amd64"));
    FAIL() << "no exception";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(arm64.string()), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(EM_AARCH64)), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(EM_X86_64)), std::string::npos) << message;
  }
}

TEST_F(ElfTest, ByteOrderMatters) {
  // ppc64 and ppc64le share EM_PPC64; only the byte order tells them apart.
  fs::path big = binary(elf_header(EM_PPC64, true));
  fs::path little = binary(elf_header(EM_PPC64, false));
  EXPECT_NO_THROW(check_elf_platform(big, Platform::parse("linux/ppc64")));
  EXPECT_NO_THROW(check_elf_platform(little, Platform::parse("linux/ppc64le")));
  EXPECT_THROW(check_elf_platform(big, Platform::parse("linux/ppc64le")), Error);
  EXPECT_THROW(check_elf_platform(little, Platform::parse("linux/ppc64")), Error);
}

TEST_F(ElfTest, MachineIsReadInTheFilesByteOrder) {
  // EM_X86_64 (62 = 0x003e) written big-endian reads as 0x3e00 when taken little-endian.
  EXPECT_THROW(
      check_elf_platform(binary(elf_header(EM_X86_64, true)), Platform::parse("linux/amd64")),
      Error);
  // A big-endian s390x header is 0x00 0x16; read as little-endian it would be 0x1600.
  EXPECT_NO_THROW(
      check_elf_platform(binary(elf_header(EM_S390, true)), Platform::parse("linux/s390x")));
}

TEST_F(ElfTest, RejectsNonElfShortAndMissingFiles) {
  const Platform amd64 = Platform::parse("linux/amd64");
  EXPECT_THROW(check_elf_platform(binary("#!/bin/sh\necho hello from a script\n"), amd64), Error);
  EXPECT_THROW(check_elf_platform(binary(elf_header(EM_X86_64, false).substr(0, 19)), amd64),
               Error);
  EXPECT_THROW(check_elf_platform(binary(""), amd64), Error);
  EXPECT_THROW(check_elf_platform(dir_ / "missing", amd64), Error);
}

// An ELF64 executable whose only program header is PT_INTERP naming `interpreter`.
std::string elf_with_interpreter(const std::string& interpreter) {
  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_type = ET_EXEC;
  header.e_machine = EM_X86_64;
  header.e_phoff = sizeof(Elf64_Ehdr);
  header.e_phentsize = sizeof(Elf64_Phdr);
  header.e_phnum = 1;
  Elf64_Phdr interp{};
  interp.p_type = PT_INTERP;
  interp.p_offset = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
  interp.p_filesz = interpreter.size() + 1;
  std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
  bytes.append(reinterpret_cast<const char*>(&interp), sizeof interp);
  bytes += interpreter;
  bytes.push_back('\0');
  return bytes;
}

TEST_F(ElfTest, InterpreterOfDynamicExecutable) {
  EXPECT_EQ(elf_interpreter(binary(elf_with_interpreter("/lib64/ld-linux-x86-64.so.2"))),
            std::optional<std::string>("/lib64/ld-linux-x86-64.so.2"));
}

TEST_F(ElfTest, StaticExecutableHasNoInterpreter) {
  EXPECT_EQ(elf_interpreter(binary(elf_header(EM_X86_64, false))), std::nullopt);
}

TEST_F(ElfTest, InterpreterOfARealDynamicProgram) {
  // /bin/sh on Debian is dynamically linked against glibc.
  std::optional<std::string> interpreter = elf_interpreter("/bin/sh");
  ASSERT_TRUE(interpreter.has_value());
  EXPECT_TRUE(interpreter->starts_with("/lib")) << *interpreter;
}

}  // namespace
}  // namespace ko
