// Running other programs (the Go toolchain) with an exact environment.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ko {

using Environment = std::map<std::string, std::string>;

struct ProcessResult {
  int exit_code = 0;   // the exit status, or 128 + signal number
  std::string output;  // stdout when captured
};

struct ProcessOptions {
  std::filesystem::path working_directory;
  bool capture_stdout =
      false;               // else the child's stdout goes to our stderr (keeps our stdout clean)
  std::string stdin_data;  // written to the child's stdin (which is otherwise /dev/null)
};

// Runs argv[0] (an absolute path or a name found on the PATH in `environment`) with
// exactly `environment`. The child's stderr is ours, so compiler errors read as printed.
ProcessResult run_process(const std::vector<std::string>& argv, const Environment& environment,
                          const ProcessOptions& options = {});

// The current process environment as a map.
Environment current_environment();

}  // namespace ko
