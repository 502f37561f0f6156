#include "gobuild/go_build.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <thread>

#include "gobuild/depfile.hpp"
#include "gobuild/elf.hpp"
#include "gobuild/listed_inputs.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace fs = std::filesystem;

namespace {

// Variables that locate things (toolchain, caches, proxies, credentials, temp space)
// rather than change what is built. GOCACHEPROG (Go >= 1.24) names the program serving the
// build cache — a fleet's shared cache; the go command keys its entries by the same action
// IDs it would use on disk, so it changes where outputs come from, never what they are.
constexpr std::array<std::string_view, 34> kPassThrough{
    "PATH",         "HOME",       "USER",           "TMPDIR",          "LANG",
    "LC_ALL",       "GOROOT",     "GOPATH",         "GOCACHE",         "GOCACHEPROG",
    "GOMODCACHE",   "GOENV",      "GOTOOLCHAIN",    "GOPROXY",         "GOPRIVATE",
    "GONOPROXY",    "GONOSUMDB",  "GOSUMDB",        "GOINSECURE",      "GOVCS",
    "GOAUTH",       "GOWORK",     "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "SSL_CERT_FILE",
    "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY",    "NO_PROXY",        "http_proxy",
    "https_proxy",  "no_proxy",   "NETRC",          "SSH_AUTH_SOCK",
};

// And the settings of compiler launchers (ccache, sccache: their cache directory, base
// directory, server), which cgo builds run in front of CC when CMake is configured with
// CMAKE_<LANG>_COMPILER_LAUNCHER: they choose where objects come from, not what they are.
constexpr std::array<std::string_view, 2> kPassThroughPrefixes{"CCACHE_", "SCCACHE_"};

bool outside_module_cache(simdjson::dom::element package) {
  simdjson::dom::element module;
  if (package["Module"].get(module)) return true;  // GOPATH mode or no module: local files
  bool is_main = false;
  if (!module["Main"].get(is_main) && is_main) return true;
  simdjson::dom::element replace;
  if (!module["Replace"].get(replace)) {
    std::string_view version;
    // A replacement without a version is a local directory, edited like our own code.
    if (replace["Version"].get(version)) return true;
    module = replace;
  }
  // A module without a directory of its own is vendored (-mod=vendor): its packages live
  // in the main module's vendor/, which is edited and committed like our own code.
  std::string_view module_dir;
  return module["Dir"].get(module_dir) || module_dir.empty();
}

void add_module_files(simdjson::dom::element module, std::set<fs::path>& inputs) {
  simdjson::dom::element replace;
  if (!module["Replace"].get(replace)) module = replace;
  std::string_view go_mod;
  if (module["GoMod"].get(go_mod)) return;
  fs::path mod(go_mod);
  inputs.insert(mod);
  std::error_code ec;
  fs::path sum = mod.parent_path() / "go.sum";
  if (fs::exists(sum, ec)) inputs.insert(sum);
  fs::path vendor = mod.parent_path() / "vendor" / "modules.txt";
  if (fs::exists(vendor, ec)) inputs.insert(vendor);
}

// `go build -o` of a non-main package writes the package's archive instead of failing.
bool is_package_archive(const fs::path& file) {
  char magic[8] = {};
  std::ifstream in(file, std::ios::binary);
  in.read(magic, sizeof magic);
  return in.gcount() == sizeof magic && std::string_view(magic, sizeof magic) == "!<arch>\n";
}

// "package greeting", as go list names it; asked only on this error path.
std::string package_clause(const GoBuildRequest& request, const Environment& env,
                           ProcessOptions options) {
  options.capture_stdout = true;
  ProcessResult listed =
      run_process({request.go.string(), "list", "-f", "{{.Name}}", request.package}, env, options);
  std::string name = listed.output.substr(0, listed.output.find('\n'));
  return listed.exit_code == 0 && !name.empty() ? "package " + name : "not a command";
}

// Keeps go list's answer for the next run, unless an input changed while it ran: then the
// fingerprint (taken now) might describe newer files than the answer did.
void keep_listed_inputs(const fs::path& cache, const std::vector<fs::path>& inputs,
                        const std::vector<std::string>& list, const Environment& env,
                        fs::file_time_type list_started) {
  std::error_code ec;
  for (const fs::path& input : inputs) {
    const auto mtime = fs::last_write_time(input, ec);
    if (!ec && mtime >= list_started) {
      fs::remove(cache, ec);
      return;
    }
  }
  write_listed_inputs(cache, {listed_inputs_fingerprint(inputs, list, env), inputs});
}

}  // namespace

std::map<std::string, std::string> go_target_environment(const Platform& platform) {
  std::map<std::string, std::string> env{{"GOOS", platform.os}, {"GOARCH", platform.architecture}};
  if (platform.architecture == "arm" && !platform.variant.empty())
    env["GOARM"] = platform.variant.substr(1);
  if (platform.architecture == "amd64" && !platform.variant.empty())
    env["GOAMD64"] = platform.variant;
  return env;
}

Environment hermetic_go_environment(const Environment& ambient, const Platform& platform) {
  Environment env;
  for (std::string_view name : kPassThrough) {
    auto it = ambient.find(std::string(name));
    if (it != ambient.end()) env.insert(*it);
  }
  for (const auto& [name, value] : ambient)
    for (std::string_view prefix : kPassThroughPrefixes)
      if (name.starts_with(prefix)) env.emplace(name, value);
  env.emplace("GOTOOLCHAIN", "local");  // kept when the user set one
  env["CGO_ENABLED"] = "0";
  // Not empty: go reads an empty GOFLAGS from the `go env -w` file (GOENV) instead, so a
  // user's GOFLAGS=-mod=mod there would reach the build. -trimpath is set anyway.
  env["GOFLAGS"] = "-trimpath";
  for (const auto& [name, value] : go_target_environment(platform)) env[name] = value;
  return env;
}

std::string join_ldflags(const std::vector<std::string>& ldflags) {
  std::string joined;
  for (const std::string& flag : ldflags) {
    if (!joined.empty()) joined += ' ';
    bool needs_quotes = flag.empty() || flag.find_first_of(" \t\n'\"") != std::string::npos;
    if (!needs_quotes) {
      joined += flag;
    } else if (flag.find('\'') == std::string::npos) {
      joined += "'" + flag + "'";
    } else if (flag.find('"') == std::string::npos) {
      joined += "\"" + flag + "\"";
    } else {
      throw Error("ldflag '" + flag + "' contains both quote characters; Go cannot read it");
    }
  }
  return joined;
}

std::vector<fs::path> inputs_from_go_list(std::string_view go_list_json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(go_list_json);
  simdjson::dom::document_stream stream;
  if (auto error = parser.parse_many(padded).get(stream))
    throw Error(std::string("cannot read `go list` output: ") + simdjson::error_message(error));
  std::set<fs::path> inputs;
  for (auto document : stream) {
    simdjson::dom::element package;
    if (auto error = document.get(package))
      throw Error(std::string("cannot read `go list` output: ") + simdjson::error_message(error));
    bool standard = false;
    if (!package["Standard"].get(standard) && standard) continue;
    if (!outside_module_cache(package)) continue;
    std::string_view dir;
    if (package["Dir"].get(dir)) continue;
    inputs.insert(fs::path(dir));
    for (const char* field : {"GoFiles", "CgoFiles", "CFiles", "CXXFiles", "HFiles", "SFiles",
                              "SysoFiles", "EmbedFiles"}) {
      simdjson::dom::array files;
      if (package[field].get(files)) continue;
      for (auto file : files) {
        std::string_view name;
        if (!file.get(name)) inputs.insert(fs::path(dir) / name);
      }
    }
    simdjson::dom::element module;
    if (!package["Module"].get(module)) add_module_files(module, inputs);
  }
  return {inputs.begin(), inputs.end()};
}

GoBuildResult go_build(const GoBuildRequest& request) {
  Environment env = hermetic_go_environment(request.ambient, request.platform);
  std::vector<std::string> goflags = request.goflags;
  std::vector<std::string> ldflags = request.ldflags;
  if (request.cgo) {
    env["CGO_ENABLED"] = "1";
    env["CC"] = request.cgo->cc;
    if (!request.cgo->cxx.empty()) env["CXX"] = request.cgo->cxx;
    env["CGO_CFLAGS"] = request.cgo->cflags;
    env["CGO_CXXFLAGS"] = request.cgo->cflags;
    env["CGO_LDFLAGS"] = request.cgo->ldflags;
    goflags.push_back(
        "-tags=netgo,osusergo");  // pure-Go DNS and user lookup: no glibc NSS at run time
    // The Go build ID hashes the cgo flags, which name this build tree's library paths:
    // leaving it empty keeps the binary the same in every build directory.
    ldflags.insert(ldflags.end(), {"-linkmode=external", "-extldflags=-static", "-buildid="});
  }
  const std::string what = request.package + " (" + request.platform.str() + ")";
  ProcessOptions in_module{.working_directory = request.module_dir};

  // go runs in the module directory: every path we hand it must be absolute.
  const fs::path output = fs::absolute(request.output);
  TempFile binary(output);

  // `go list` (for the depfile) runs while `go build` does: it only reads what the build
  // reads, and the build dominates the step's time. Its answer from the last run is kept
  // beside the output and reused while nothing it depends on changed (listed_inputs.hpp).
  ProcessResult listed;
  std::thread lister;
  std::vector<std::string> list;
  const fs::path listed_cache = fs::path(output).concat(".listed");
  std::optional<ListedInputs> kept;
  fs::file_time_type list_started;
  const bool wants_depfile = !request.depfile.empty();
  if (wants_depfile) {
    // -e: problems go into the JSON, so a broken package is reported once, by go build.
    // Naming the fields (Go ≥ 1.19) lets go list skip the rest: 3× faster for net/http.
    list = {request.go.string(), "list", "-e", "-deps",
            "-json=Dir,Standard,Module,GoFiles,CgoFiles,CFiles,CXXFiles,HFiles,SFiles,"
            "SysoFiles,EmbedFiles"};
    list.insert(list.end(), goflags.begin(), goflags.end());
    list.push_back(request.package);
    kept = read_listed_inputs(listed_cache);
    if (kept && listed_inputs_fingerprint(kept->inputs, list, env) != kept->fingerprint)
      kept.reset();
  }
  if (wants_depfile && !kept) {
    // Emptied now, so its time tells when go list started, on the clock file times come from
    // (the kernel's coarse one, a tick behind the system clock).
    write_file_atomic(listed_cache, "");
    list_started = fs::last_write_time(listed_cache);
    ProcessOptions capture = in_module;
    capture.capture_stdout = true;
    lister = std::thread([list, env, capture, &listed] {
      try {
        listed = run_process(list, env, capture);
      } catch (const Error&) {
        listed.exit_code = -1;
      }
    });
  }
  struct JoinOnExit {
    std::thread& thread;
    ~JoinOnExit() {
      if (thread.joinable()) thread.join();
    }
  } join_lister{lister};

  std::vector<std::string> build{request.go.string(), "build", "-trimpath",
                                 "-buildvcs=false",   "-o",    binary.path().string()};
  if (!ldflags.empty()) build.push_back("-ldflags=" + join_ldflags(ldflags));
  build.insert(build.end(), goflags.begin(), goflags.end());
  build.push_back(request.package);
  if (run_process(build, env, in_module).exit_code != 0)
    throw Error("go build failed for " + what + " (Go's message is above)");
  std::error_code ec;
  if (!fs::is_regular_file(binary.path(), ec))
    throw Error("go build wrote no binary for " + what + "; is it a main package?");
  if (is_package_archive(binary.path()))
    throw Error(request.package + " is " + package_clause(request, env, in_module) +
                ", not package main: IMPORTPATH must name a command (a main package)");
  check_elf_platform(binary.path(), request.platform);

  GoBuildResult result;
  if (kept) {
    result.inputs = std::move(kept->inputs);
  } else if (wants_depfile) {
    lister.join();
    if (listed.exit_code != 0) throw Error("go list failed for " + what);
    result.inputs = inputs_from_go_list(listed.output);
    result.inputs.push_back(fs::absolute(request.go));  // a new toolchain rebuilds
    keep_listed_inputs(listed_cache, result.inputs, list, env, list_started);
  }
  if (wants_depfile)
    write_file_atomic(request.depfile,
                      format_depfile(request.output, result.inputs, request.ninja_dir));

  // Keep the old file (and its mtime) when the bytes are the same: with Ninja's restat
  // the layer and image steps then do not run.
  if (files_equal(binary.path(), output)) return result;
  fs::permissions(binary.path(), fs::perms(0755));
  binary.commit();
  result.output_changed = true;
  return result;
}

}  // namespace ko
