#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "digest/digest.hpp"
#include "gobuild/go_build.hpp"
#include "oci/mutate.hpp"
#include "sbom/spdx.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

#ifndef KO_IMAGE_VERSION
#define KO_IMAGE_VERSION "dev"
#endif

namespace ko::cli {

int run_sbom(const Argv& argv) {
  Args args("sbom", argv, {"go", "binary", "platform", "output", "source-date-epoch", "go-sum"});
  const std::filesystem::path binary = args.required("binary");
  const Platform platform = Platform::parse(args.required("platform"));
  ProcessOptions capture{.capture_stdout = true};
  ProcessResult result =
      run_process({args.optional("go").value_or("go"), "version", "-m", binary.string()},
                  hermetic_go_environment(current_environment(), platform), capture);
  if (result.exit_code != 0) throw Error("`go version -m " + binary.string() + "` failed");
  GoBuildInfo info = parse_go_version_m(result.output);
  if (auto go_sum = args.optional("go-sum")) add_go_sum_hashes(info, read_file(*go_sum));
  std::string document = spdx_document(
      info, platform.str(), platform.slug() + "/" + Digest::of_file(binary).hex(),
      rfc3339_utc(source_date_epoch(args)), KO_IMAGE_VERSION);
  write_file_if_changed(args.required("output"), document);
  return 0;
}

}  // namespace ko::cli
