// The process environment, read at the edge: commands turn it into the options the library
// takes (registry/registry_options.hpp lists the variables), so nothing below cli/ reads a
// variable and tests pass options instead of masking the environment.
#pragma once

#include "registry/registry_options.hpp"

namespace ko {

RegistryOptions registry_options_from_environment();

}  // namespace ko
