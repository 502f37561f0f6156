#include "cli/environment.hpp"

#include "util/subprocess.hpp"

namespace ko {

RegistryOptions registry_options_from_environment() {
  return registry_options(current_environment());
}

}  // namespace ko
