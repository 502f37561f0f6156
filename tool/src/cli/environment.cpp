#include "cli/environment.hpp"

#include <cstdlib>

#include "oci/mutate.hpp"
#include "util/subprocess.hpp"

namespace ko::cli {

RegistryOptions registry_options_from_environment() {
  return registry_options(current_environment());
}

int64_t source_date_epoch(const Args& args) {
  std::optional<std::string> value = args.optional("source-date-epoch");
  if (!value) {
    if (const char* text = std::getenv("SOURCE_DATE_EPOCH")) value = text;
  }
  return parse_source_date_epoch(value);
}

}  // namespace ko::cli
