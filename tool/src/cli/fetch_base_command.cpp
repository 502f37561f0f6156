#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "oci/base_image.hpp"
#include "registry/remote_base.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

// Its own build step so that a cold build fetches the base while `go build` runs; the image
// step then finds everything in the cache (and would fetch it itself if the cache were
// emptied in between: this step is only ever an optimization).
int run_fetch_base(const Argv& argv) {
  Args args("fetch-base", argv, {"base", "platform", "lock-file", "output"});
  const std::string base = args.required("base");
  std::optional<std::filesystem::path> lock_file;
  if (auto file = args.optional("lock-file")) lock_file = *file;
  BaseImage image = load_remote_base(base, Platform::parse(args.required("platform")), lock_file,
                                     registry_options_from_environment());
  if (!image.manifest_digest)
    throw Error("internal: registry base " + base + " loaded without a manifest digest");
  // Unchanged content keeps the file's mtime, so the image step does not rerun for nothing.
  write_file_if_changed(args.required("output"), image.manifest_digest->str() + "\n");
  return 0;
}

}  // namespace ko::cli
