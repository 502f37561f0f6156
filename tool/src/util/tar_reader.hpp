// Reading tar streams (base layers, our own layers): every entry in order, whatever
// compression libarchive detects. A damaged or truncated stream is an error naming the
// file, never a silent early end that would make a base look like it lacks files.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "util/archive_handles.hpp"

namespace ko {

// Calls `visit` for each entry; `visit` may read the entry's data from `a` (read_tar_data).
// `what` names the stream in errors ("base layer sha256:…").
void read_tar(const std::filesystem::path& file, const std::string& what,
              const std::function<void(archive* a, archive_entry* entry)>& visit);

// Feeds the current entry's data to `consume` in chunks; errors name `what`.
void read_tar_data(archive* a, const std::string& what,
                   const std::function<void(const char* data, size_t size)>& consume);

}  // namespace ko
