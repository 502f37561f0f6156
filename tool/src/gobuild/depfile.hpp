// Ninja/Make depfiles: "target: dep dep …", which tell Ninja what a step read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ko {

// Formats a depfile, escaping spaces, '#' and '$' the way Ninja's depfile parser expects.
std::string format_depfile(const std::filesystem::path& target,
                           const std::vector<std::filesystem::path>& dependencies);

}  // namespace ko
