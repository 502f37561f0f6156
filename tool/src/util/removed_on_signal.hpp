// Files that must not outlive the process when a signal stops it: the temporary files of
// outputs being written (TempFile). Their destructors remove them on every normal exit and
// on every error; a SIGINT (Ctrl-C, Ninja stopping a build), SIGTERM, SIGHUP or SIGQUIT
// runs no destructor, so the handler installed here unlinks them before the process dies
// of the signal as it would have. Without it, an interrupted download left its partial
// blob in the shared cache for good. A SIGKILL cannot be caught: remove_stale_temp_files
// (util/fs.hpp) clears what such a process left on the next use of the directory.
#pragma once

#include <string>

namespace ko {

// Installs the handler (once, from main, before any work starts).
void install_signal_cleanup();

// While alive, `path` is unlinked if a signal stops the process. At most 256 paths are
// held at once (more are simply not covered: the stale-file sweep still gets them).
class RemovedOnSignal {
 public:
  explicit RemovedOnSignal(std::string path);
  ~RemovedOnSignal();
  RemovedOnSignal(const RemovedOnSignal&) = delete;
  RemovedOnSignal& operator=(const RemovedOnSignal&) = delete;

 private:
  std::string path_;  // never changed, so its c_str() stays valid for the handler
  int slot_ = -1;
};

}  // namespace ko
