// ko-image: the helper the build rules run. One subcommand per build step; see --help.
#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "digest/sha256.hpp"
#include "util/error.hpp"
#include "util/removed_on_signal.hpp"

#ifndef KO_IMAGE_VERSION
#define KO_IMAGE_VERSION "dev"
#endif

namespace {

void print_help() {
  std::cout << "ko-image " KO_IMAGE_VERSION
               " — builds OCI images of Go programs, step by step.\n"
               "usage: ko-image <command> [flags]   (ko-image <command> --help for its flags)\n\n";
  for (const auto& command : ko::cli::commands())
    std::cout << "  " << command.name << std::string(14 - std::strlen(command.name), ' ')
              << command.summary << "\n";
  std::cout
      << "\nErrors are one line on stderr with a nonzero exit; outputs are written to a temporary\n"
         "file and renamed, so a failed step never leaves a partial output.\n";
}

}  // namespace

int main(int argc, char** argv) {
  // A child (credential helper) or a registry closing early must give an error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  // A stopped build or publish leaves no temporary file behind (util/removed_on_signal.hpp).
  ko::install_signal_cleanup();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "ko-image " KO_IMAGE_VERSION "\n";
    return 0;
  }
  for (const auto& command : ko::cli::commands()) {
    if (args[0] != command.name) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
      std::cout << command.usage << "\n";
      return 0;
    }
    try {
      if (command.network == ko::cli::Network::kNever) ko::Sha256::skip_tls_setup();
      return command.run(rest);
    } catch (const ko::UsageError& e) {
      std::cerr << "ko-image: error: " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "ko-image: error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "ko-image: error: unknown command '" << args[0] << "' (see ko-image --help)\n";
  return 2;
}
