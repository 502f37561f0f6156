#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "registry/remote_base.hpp"
#include "util/error.hpp"

namespace ko::cli {

int run_lock(const Argv& argv) {
  Args args("lock", argv, {"lock-file"});
  if (args.positionals().empty()) throw UsageError("lock: name the base images to pin");
  const std::filesystem::path lock_file = args.required("lock-file");
  for (const std::string& base : args.positionals()) {
    std::optional<LockEntry> before = read_lock_entry(lock_file, base);
    LockEntry entry =
        write_lock_entry(lock_file, base, resolve_base(base, registry_options_from_environment()),
                         /*keep_existing=*/false);
    std::cerr << "ko-image: " << base << " → " << entry.digest.str()
              << (before && before->digest != entry.digest ? " (was " + before->digest.str() + ")"
                  : before                                 ? " (unchanged)"
                                                           : " (new)")
              << "\n";
  }
  return 0;
}

}  // namespace ko::cli
