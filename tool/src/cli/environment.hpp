// The process environment, read at the edge: commands turn it into the options the library
// takes (registry/registry_options.hpp lists the variables), so nothing below cli/ reads a
// variable and tests pass options instead of masking the environment.
#pragma once

#include <cstdint>

#include "cli/args.hpp"
#include "registry/registry_options.hpp"

namespace ko::cli {

RegistryOptions registry_options_from_environment();

// The SOURCE_DATE_EPOCH of a command: its --source-date-epoch (the build rules pass the
// value CMake saw at configure time), else the environment's, else 0.
int64_t source_date_epoch(const Args& args);

}  // namespace ko::cli
