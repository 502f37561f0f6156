#include "gobuild/go_build.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

namespace fs = std::filesystem;

// --- go_target_environment ---------------------------------------------------------------

TEST(GoTargetEnvironment, FromVariant) {
  using Env = std::map<std::string, std::string>;
  EXPECT_EQ(go_target_environment(Platform::parse("linux/arm/v7")),
            (Env{{"GOOS", "linux"}, {"GOARCH", "arm"}, {"GOARM", "7"}}));
  EXPECT_EQ(go_target_environment(Platform::parse("linux/amd64/v3")),
            (Env{{"GOOS", "linux"}, {"GOARCH", "amd64"}, {"GOAMD64", "v3"}}));
  EXPECT_EQ(go_target_environment(Platform::parse("linux/amd64")),
            (Env{{"GOOS", "linux"}, {"GOARCH", "amd64"}}));
  EXPECT_EQ(go_target_environment(Platform::parse("linux/arm64/v8")),
            (Env{{"GOOS", "linux"}, {"GOARCH", "arm64"}}));
}

// --- hermetic_go_environment ------------------------------------------------------------

Environment ambient() {
  return {
      {"PATH", "/usr/local/go/bin:/usr/bin"},
      {"HOME", "/home/dev"},
      {"GOPROXY", "https://proxy.example.com"},
      {"GOCACHE", "/home/dev/.cache/go-build"},
      {"GOCACHEPROG", "fleet-cache --server cache.internal:8080"},
      {"CCACHE_DIR", "/shared/ccache"},
      {"SCCACHE_BUCKET", "team-cache"},
      {"GOFLAGS", "-mod=mod -tags=debug"},
      {"GOOS", "windows"},
      {"GOARCH", "386"},
      {"GOARM", "5"},
      {"GOAMD64", "v4"},
      {"CGO_ENABLED", "1"},
      {"CGO_CFLAGS", "-O3"},
      {"CC", "clang"},
      {"GOEXPERIMENT", "rangefunc"},
      {"LD_PRELOAD", "/tmp/evil.so"},
  };
}

std::string value_or_absent(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? "<absent>" : it->second;
}

TEST(HermeticGoEnvironment, KeepsLocatingVariables) {
  Environment env = hermetic_go_environment(ambient(), Platform::parse("linux/amd64"));
  EXPECT_EQ(value_or_absent(env, "PATH"), "/usr/local/go/bin:/usr/bin");
  EXPECT_EQ(value_or_absent(env, "HOME"), "/home/dev");
  EXPECT_EQ(value_or_absent(env, "GOPROXY"), "https://proxy.example.com");
  EXPECT_EQ(value_or_absent(env, "GOCACHE"), "/home/dev/.cache/go-build");
  EXPECT_EQ(value_or_absent(env, "GOCACHEPROG"), "fleet-cache --server cache.internal:8080");
  EXPECT_EQ(value_or_absent(env, "CCACHE_DIR"), "/shared/ccache");  // for CC=ccache cc (cgo)
  EXPECT_EQ(value_or_absent(env, "SCCACHE_BUCKET"), "team-cache");
}

TEST(HermeticGoEnvironment, DropsVariablesThatChangeTheBuild) {
  Environment env = hermetic_go_environment(ambient(), Platform::parse("linux/amd64"));
  // GOFLAGS is set, to a flag the build passes anyway: an empty one would let go read the
  // user's `go env -w GOFLAGS=…` file.
  EXPECT_EQ(value_or_absent(env, "GOFLAGS"), "-trimpath");
  for (const char* name : {"CGO_CFLAGS", "CC", "GOARM", "GOAMD64", "GOEXPERIMENT", "LD_PRELOAD"})
    EXPECT_FALSE(env.contains(name)) << name << "=" << env.at(name);
}

TEST(HermeticGoEnvironment, SetsPlatformAndDisablesCgo) {
  Environment env = hermetic_go_environment(ambient(), Platform::parse("linux/arm/v7"));
  EXPECT_EQ(value_or_absent(env, "GOOS"), "linux");
  EXPECT_EQ(value_or_absent(env, "GOARCH"), "arm");
  EXPECT_EQ(value_or_absent(env, "GOARM"), "7");
  EXPECT_EQ(value_or_absent(env, "CGO_ENABLED"), "0");
  EXPECT_FALSE(env.contains("GOAMD64"));

  Environment amd64 = hermetic_go_environment(ambient(), Platform::parse("linux/amd64/v3"));
  EXPECT_EQ(value_or_absent(amd64, "GOARCH"), "amd64");
  EXPECT_EQ(value_or_absent(amd64, "GOAMD64"), "v3");
}

TEST(HermeticGoEnvironment, ToolchainIsLocalUnlessTheUserChose) {
  Environment defaulted = hermetic_go_environment(ambient(), Platform::parse("linux/amd64"));
  EXPECT_EQ(value_or_absent(defaulted, "GOTOOLCHAIN"), "local");
  Environment with_choice = ambient();
  with_choice["GOTOOLCHAIN"] = "go1.22.5";
  Environment chosen = hermetic_go_environment(with_choice, Platform::parse("linux/amd64"));
  EXPECT_EQ(value_or_absent(chosen, "GOTOOLCHAIN"), "go1.22.5");
}

TEST(HermeticGoEnvironment, EmptyAmbient) {
  Environment env = hermetic_go_environment({}, Platform::parse("linux/arm64"));
  EXPECT_FALSE(env.contains("PATH"));
  EXPECT_EQ(value_or_absent(env, "GOARCH"), "arm64");
  EXPECT_EQ(value_or_absent(env, "CGO_ENABLED"), "0");
}

// --- join_ldflags -----------------------------------------------------------------------

TEST(JoinLdflags, PlainItemsAreSpaceSeparated) {
  EXPECT_EQ(join_ldflags({"-s", "-w", "-X=main.version=1.0"}), "-s -w -X=main.version=1.0");
  EXPECT_EQ(join_ldflags({}), "");
}

TEST(JoinLdflags, ItemsWithSpacesAreQuoted) {
  EXPECT_EQ(join_ldflags({"-s", "-X main.version=1.0"}), "-s '-X main.version=1.0'");
  EXPECT_EQ(join_ldflags({"-X", "main.msg=it's here"}), "-X \"main.msg=it's here\"");
  EXPECT_EQ(join_ldflags({"-X", "main.empty=", ""}), "-X main.empty= ''");
}

TEST(JoinLdflags, BothQuoteCharactersThrow) {
  EXPECT_THROW(join_ldflags({"-X main.msg=it's \"quoted\""}), Error);
}

// --- inputs_from_go_list ----------------------------------------------------------------

bool contains(const std::vector<fs::path>& paths, const fs::path& path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

bool any_under(const std::vector<fs::path>& paths, const std::string& prefix) {
  return std::any_of(paths.begin(), paths.end(),
                     [&](const fs::path& p) { return p.string().starts_with(prefix); });
}

class InputsFromGoList : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = dir_ / "app";
    local_ = dir_ / "local/z";
    testing::write_file(app_ / "go.mod", "module example.com/app\n");
    testing::write_file(app_ / "go.sum", "");
    testing::write_file(local_ / "go.mod", "module example.com/z\n");
  }

  // What `go list -deps -json ./cmd/hello` prints: one JSON object per package, in
  // dependency order, concatenated. Abridged to the fields the parser looks at.
  std::string go_list_output() const {
    const std::string app = app_.string(), local = local_.string();
    return R"({
	"Dir": "/usr/local/go/src/fmt",
	"ImportPath": "fmt",
	"Name": "fmt",
	"Root": "/usr/local/go",
	"Standard": true,
	"GoFiles": ["doc.go", "print.go"]
}
{
	"Dir": "/home/dev/go/pkg/mod/github.com/x/y@v1.2.3",
	"ImportPath": "github.com/x/y",
	"Name": "y",
	"Module": {
		"Path": "github.com/x/y",
		"Version": "v1.2.3",
		"Dir": "/home/dev/go/pkg/mod/github.com/x/y@v1.2.3",
		"GoMod": "/home/dev/go/pkg/mod/cache/download/github.com/x/y/@v/v1.2.3.mod",
		"GoVersion": "1.21"
	},
	"GoFiles": ["y.go"],
	"EmbedFiles": ["y.txt"]
}
{
	"Dir": "/home/dev/go/pkg/mod/github.com/fork/w@v0.9.0",
	"ImportPath": "github.com/x/w",
	"Name": "w",
	"Module": {
		"Path": "github.com/x/w",
		"Version": "v1.0.0",
		"Replace": {
			"Path": "github.com/fork/w",
			"Version": "v0.9.0",
			"Dir": "/home/dev/go/pkg/mod/github.com/fork/w@v0.9.0",
			"GoMod": "/home/dev/go/pkg/mod/cache/download/github.com/fork/w/@v/v0.9.0.mod"
		},
		"Dir": "/home/dev/go/pkg/mod/github.com/fork/w@v0.9.0",
		"GoMod": "/home/dev/go/pkg/mod/cache/download/github.com/fork/w/@v/v0.9.0.mod"
	},
	"GoFiles": ["w.go"]
}
{
	"Dir": ")" +
           local + R"(",
	"ImportPath": "example.com/z",
	"Name": "z",
	"Module": {
		"Path": "example.com/z",
		"Version": "v0.0.0",
		"Replace": {
			"Path": "../local/z",
			"Dir": ")" +
           local + R"(",
			"GoMod": ")" +
           local + R"(/go.mod",
			"GoVersion": "1.21"
		},
		"Dir": ")" +
           local + R"(",
		"GoMod": ")" +
           local + R"(/go.mod"
	},
	"GoFiles": ["z.go"]
}
{
	"Dir": ")" +
           app + R"(/cmd/hello",
	"ImportPath": "example.com/app/cmd/hello",
	"Name": "main",
	"Module": {
		"Path": "example.com/app",
		"Main": true,
		"Dir": ")" +
           app + R"(",
		"GoMod": ")" +
           app + R"(/go.mod",
		"GoVersion": "1.21"
	},
	"GoFiles": ["main.go", "serve.go"],
	"SFiles": ["asm_amd64.s"],
	"EmbedFiles": ["static/index.html"],
	"IgnoredGoFiles": ["tools.go"],
	"Deps": ["example.com/z", "fmt", "github.com/x/w", "github.com/x/y"]
}
)";
  }

  testing::TempDir dir_;
  fs::path app_, local_;
};

TEST_F(InputsFromGoList, IncludesMainModuleFilesDirsAndGoMod) {
  std::vector<fs::path> inputs = inputs_from_go_list(go_list_output());
  for (const fs::path& expected :
       {app_ / "cmd/hello", app_ / "cmd/hello/main.go", app_ / "cmd/hello/serve.go",
        app_ / "cmd/hello/asm_amd64.s", app_ / "cmd/hello/static/index.html", app_ / "go.mod",
        app_ / "go.sum"}) {
    EXPECT_TRUE(contains(inputs, expected)) << expected;
  }
  EXPECT_FALSE(contains(inputs, app_ / "cmd/hello/tools.go")) << "ignored files are not read";
}

TEST_F(InputsFromGoList, IncludesLocallyReplacedModules) {
  std::vector<fs::path> inputs = inputs_from_go_list(go_list_output());
  EXPECT_TRUE(contains(inputs, local_)) << local_;
  EXPECT_TRUE(contains(inputs, local_ / "z.go"));
  EXPECT_TRUE(contains(inputs, local_ / "go.mod"));
  EXPECT_FALSE(contains(inputs, local_ / "go.sum")) << "absent files are not listed";
}

TEST_F(InputsFromGoList, ExcludesStandardLibraryAndModuleCache) {
  std::vector<fs::path> inputs = inputs_from_go_list(go_list_output());
  EXPECT_FALSE(any_under(inputs, "/usr/local/go"));
  EXPECT_FALSE(any_under(inputs, "/home/dev/go/pkg/mod"));
  EXPECT_EQ(inputs.size(), 10u) << "7 of the main module, 3 of the local replacement";
}

TEST_F(InputsFromGoList, ResultIsSortedAndUnique) {
  std::string twice = go_list_output() + go_list_output();
  std::vector<fs::path> inputs = inputs_from_go_list(twice);
  EXPECT_TRUE(std::is_sorted(inputs.begin(), inputs.end()));
  EXPECT_EQ(std::adjacent_find(inputs.begin(), inputs.end()), inputs.end());
  EXPECT_EQ(inputs, inputs_from_go_list(go_list_output()));
}

TEST_F(InputsFromGoList, VendoredPackagesAreLocal) {
  // -mod=vendor: the module has no directory of its own, its package is under vendor/.
  const std::string vendored = (app_ / "vendor/github.com/x/y").string();
  std::vector<fs::path> inputs = inputs_from_go_list(
      R"({"Dir":")" + vendored +
      R"(","ImportPath":"github.com/x/y","Module":{"Path":"github.com/x/y","Version":"v1.2.3"},"GoFiles":["y.go"]})");
  EXPECT_EQ(inputs, (std::vector<fs::path>{vendored, vendored + "/y.go"}));
}

TEST_F(InputsFromGoList, PackageWithoutModuleIsLocal) {
  std::vector<fs::path> inputs =
      inputs_from_go_list(R"({"Dir":"/gopath/src/hello","ImportPath":"hello","GoFiles":["a.go"]})");
  EXPECT_EQ(inputs, (std::vector<fs::path>{"/gopath/src/hello", "/gopath/src/hello/a.go"}));
}

TEST_F(InputsFromGoList, EmptyOutputGivesNoInputs) {
  EXPECT_TRUE(inputs_from_go_list("").empty());
}

TEST_F(InputsFromGoList, MalformedOutputThrows) {
  EXPECT_THROW(inputs_from_go_list(R"({"Dir": "/a", "GoFiles": [} {"Dir": "/b"})"), Error);
}

}  // namespace
}  // namespace ko
