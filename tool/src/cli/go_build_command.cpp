#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "gobuild/go_build.hpp"
#include "util/subprocess.hpp"

namespace ko::cli {

int run_go_build(const Argv& argv) {
  Args args("go-build", argv,
            {"go", "module-dir", "package", "platform", "output", "depfile", "ninja-dir", "cc",
             "cxx", "cgo-cflags", "cgo-ldflags"},
            {"ldflag", "goflag"});
  GoBuildRequest request{
      .go = args.required("go"),
      .module_dir = args.required("module-dir"),
      .package = args.required("package"),
      .platform = Platform::parse(args.required("platform")),
      .output = args.required("output"),
      .depfile = args.optional("depfile").value_or(""),
      .ninja_dir = args.optional("ninja-dir").value_or(""),
      .ldflags = args.all("ldflag"),
      .goflags = args.all("goflag"),
      .ambient = current_environment(),
  };
  if (auto cc = args.optional("cc")) {
    request.cgo = GoBuildRequest::Cgo{.cc = *cc,
                                      .cxx = args.optional("cxx").value_or(""),
                                      .cflags = args.optional("cgo-cflags").value_or(""),
                                      .ldflags = args.optional("cgo-ldflags").value_or("")};
  }
  go_build(request);
  return 0;
}

}  // namespace ko::cli
