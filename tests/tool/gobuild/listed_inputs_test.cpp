#include "gobuild/listed_inputs.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;

// --- go_list_relevant_part --------------------------------------------------------------

TEST(GoListRelevantPart, EndsAtTheFirstDeclaration) {
  const std::string header = "//go:build linux\n\npackage greeting\n\nimport (\n\t\"fmt\"\n)\n\n";
  EXPECT_EQ(go_list_relevant_part(header + "func Hello() string { return \"hi\" }\n"), header);
  for (const char* keyword : {"type T int\n", "var x = 1\n", "const c = 2\n"})
    EXPECT_EQ(go_list_relevant_part(header + keyword), header) << keyword;
}

TEST(GoListRelevantPart, KeywordsInCommentsAndLiteralsDoNotEndIt) {
  const std::string header =
      "// Package p.\n// func Example() shows how.\npackage p\n\n"
      "/*\nfunc inside a block comment\n*/\n"
      "// #include <stdio.h>\n// static void f(void) {}\nimport \"C\"\n"
      "import (\n\tf `fmt`\n\t_ \"os\" // type\n)\n";
  EXPECT_EQ(go_list_relevant_part(header + "func main() { f.Println('\"') }\n"), header);
}

TEST(GoListRelevantPart, WordsThatOnlyStartWithAKeywordDoNotEndIt) {
  EXPECT_EQ(go_list_relevant_part("package functional\n\nfunc F() {}\n"), "package functional\n\n");
}

TEST(GoListRelevantPart, AFileThatImportsEmbedCountsWhole) {
  const std::string source =
      "package web\n\nimport _ \"embed\"\n\n//go:embed index.html\nvar page string\n";
  EXPECT_EQ(go_list_relevant_part(source), source);
  const std::string grouped = "package web\nimport (\n\t\"embed\"\n)\nvar fs embed.FS\n";
  EXPECT_EQ(go_list_relevant_part(grouped), grouped);
}

TEST(GoListRelevantPart, WithoutADeclarationOrWhenUnterminatedAllOfItCounts) {
  for (const std::string source : {"package p\n\nimport \"fmt\"\n", "package p\n/* open",
                                   "package p\nimport `fmt\nfunc f() {}\n"})
    EXPECT_EQ(go_list_relevant_part(source), source) << source;
}

// --- listed_inputs_fingerprint ----------------------------------------------------------

class ListedInputsFingerprint : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_file(dir_ / "go.mod", "module example.com/app\n\ngo 1.21\n");
    testing::write_file(dir_ / "p/p.go", source("\"fmt\"", "1"));
    testing::write_file(dir_ / "p/asm_amd64.s", "TEXT ·f(SB),0,$0\n");
    inputs_ = {dir_.path(), dir_ / "go.mod", dir_ / "p", dir_ / "p/p.go", dir_ / "p/asm_amd64.s"};
  }

  static std::string source(const std::string& import, const std::string& value) {
    return "package p\n\nimport " + import + "\n\nfunc F() string { return fmt.Sprint(" + value +
           ") }\n";
  }

  std::string fingerprint(const Environment& env = {{"GOOS", "linux"}}) const {
    return listed_inputs_fingerprint(inputs_, {"go", "list", "-deps", "./p"}, env);
  }

  testing::TempDir dir_;
  std::vector<fs::path> inputs_;
};

TEST_F(ListedInputsFingerprint, ACodeEditKeepsIt) {
  const std::string before = fingerprint();
  EXPECT_EQ(fingerprint(), before) << "repeatable";
  testing::write_file(dir_ / "p/p.go", source("\"fmt\"", "2"));
  testing::write_file(dir_ / "p/asm_amd64.s", "TEXT ·f(SB),0,$8\n");
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, AnImportEditChangesIt) {
  const std::string before = fingerprint();
  testing::write_file(dir_ / "p/p.go", source("(\n\t\"fmt\"\n\t\"os\"\n)", "1"));
  EXPECT_NE(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, ABuildConstraintChangesIt) {
  const std::string before = fingerprint();
  testing::write_file(dir_ / "p/p.go", "//go:build ignore\n\n" + source("\"fmt\"", "1"));
  EXPECT_NE(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, ANewFileChangesIt) {
  const std::string before = fingerprint();
  testing::write_file(dir_ / "p/extra.txt", "not even Go");
  EXPECT_NE(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, AGoModEditChangesIt) {
  const std::string before = fingerprint();
  testing::write_file(dir_ / "go.mod", "module example.com/app\n\ngo 1.22\n");
  EXPECT_NE(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, ARemovedInputChangesIt) {
  const std::string before = fingerprint();
  fs::remove(dir_ / "p/asm_amd64.s");
  EXPECT_NE(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, AnyEditOfAFileThatEmbedsChangesIt) {
  testing::write_file(dir_ / "p/p.go",
                      "package p\n\nimport _ \"embed\"\n\n//go:embed a.txt\nvar s string\n");
  const std::string before = fingerprint();
  testing::write_file(dir_ / "p/p.go",
                      "package p\n\nimport _ \"embed\"\n\n//go:embed b.txt\nvar s string\n");
  EXPECT_NE(fingerprint(), before);
}

TEST_F(ListedInputsFingerprint, AnImportBeyondTheFirst64KiBIsSeen) {
  const std::string comment = "// " + std::string(70 * 1024, 'x') + "\n";
  testing::write_file(dir_ / "p/p.go", comment + source("\"fmt\"", "1"));
  const std::string before = fingerprint();
  testing::write_file(dir_ / "p/p.go", comment + source("\"os\"", "1"));
  EXPECT_NE(fingerprint(), before);
  testing::write_file(dir_ / "p/p.go", comment + source("\"os\"", "2"));
  const std::string code_edit = fingerprint();
  testing::write_file(dir_ / "p/p.go", comment + source("\"os\"", "3"));
  EXPECT_EQ(fingerprint(), code_edit);
}

TEST_F(ListedInputsFingerprint, TheEnvironmentAndCommandCount) {
  const std::string before = fingerprint();
  EXPECT_NE(fingerprint({{"GOOS", "darwin"}}), before);
  EXPECT_NE(listed_inputs_fingerprint(inputs_, {"go", "list", "-deps", "-tags=x", "./p"},
                                      {{"GOOS", "linux"}}),
            before);
}

// --- read_listed_inputs / write_listed_inputs ---------------------------------------------

TEST(ListedInputsFile, RoundTrips) {
  testing::TempDir dir;
  const ListedInputs listed{"abc123", {"/src/p", "/src/p/a b.go", "/src/go.mod"}};
  write_listed_inputs(dir / "out.listed", listed);
  const auto read = read_listed_inputs(dir / "out.listed");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->fingerprint, listed.fingerprint);
  EXPECT_EQ(read->inputs, listed.inputs);
}

TEST(ListedInputsFile, MissingOrForeignFilesAreNotRead) {
  testing::TempDir dir;
  EXPECT_FALSE(read_listed_inputs(dir / "none"));
  testing::write_file(dir / "foreign", "something else\n/src/p\n");
  EXPECT_FALSE(read_listed_inputs(dir / "foreign"));
}

TEST(ListedInputsFile, APathWithANewlineKeepsNothing) {
  testing::TempDir dir;
  write_listed_inputs(dir / "out.listed", {"abc", {"/src/p"}});
  write_listed_inputs(dir / "out.listed", {"abc", {"/src/p", "/src/odd\nname.go"}});
  EXPECT_FALSE(fs::exists(dir / "out.listed"));
}

}  // namespace
}  // namespace ko
