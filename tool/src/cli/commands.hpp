// The helper's subcommands: one per build step, plus tools to look at results.
// Each takes its arguments (after the subcommand name) and returns the exit status.
#pragma once

#include <string>
#include <vector>

namespace ko::cli {

using Argv = std::vector<std::string>;

// Whether a command can reach the network (a registry, a Docker daemon). One that never
// does starts faster: it skips OpenSSL's TLS set-up (Sha256::skip_tls_setup).
enum class Network { kMayUse, kNever };

struct Command {
  const char* name;
  const char* summary;
  const char* usage;  // full --help text
  int (*run)(const Argv& args);
  Network network;
};

int run_go_build(const Argv& args);
int run_layer(const Argv& args);
int run_image(const Argv& args);
int run_index(const Argv& args);
int run_layout(const Argv& args);
int run_static_base(const Argv& args);
int run_digest(const Argv& args);
int run_inspect(const Argv& args);
int run_publish(const Argv& args);
int run_fetch_base(const Argv& args);
int run_lock(const Argv& args);
int run_resolve(const Argv& args);
int run_diff(const Argv& args);
int run_verify(const Argv& args);
int run_tarball(const Argv& args);
int run_sbom(const Argv& args);

const std::vector<Command>& commands();

}  // namespace ko::cli
