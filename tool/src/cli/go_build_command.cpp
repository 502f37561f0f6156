#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "gobuild/go_build.hpp"

namespace ko::cli {

int run_go_build(const Argv& argv) {
  Args args("go-build", argv, {"go", "module-dir", "package", "platform", "output", "depfile"},
            {"ldflag", "goflag"});
  GoBuildRequest request{
      .go = args.required("go"),
      .module_dir = args.required("module-dir"),
      .package = args.required("package"),
      .platform = Platform::parse(args.required("platform")),
      .output = args.required("output"),
      .depfile = args.optional("depfile").value_or(""),
      .ldflags = args.all("ldflag"),
      .goflags = args.all("goflag"),
  };
  go_build(request);
  return 0;
}

}  // namespace ko::cli
