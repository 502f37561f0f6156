// Ninja/Make depfiles: "target: dep dep …", which tell Ninja what a step read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ko {

// Formats a depfile, escaping spaces, '#' and '$' the way Ninja's depfile parser expects.
// With `ninja_dir` (the directory Ninja runs in: CMake's top build directory) every path
// under it is written relative to it, as build.ninja names it: Ninja then reads the file
// as is, and CMake need not run `cmake -E cmake_transform_depfile` (10-20 ms) after the step.
std::string format_depfile(const std::filesystem::path& target,
                           const std::vector<std::filesystem::path>& dependencies,
                           const std::filesystem::path& ninja_dir = {});

}  // namespace ko
