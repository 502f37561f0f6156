// ko.lock.json: base image tags pinned to digests, in the source tree, as rules_oci and
// apko do. A tag is resolved once; later builds use the digest (and need no network once
// the blobs are cached). Tag and digest sit side by side so tools like Renovate can bump
// them:
//   {
//     "version": 1,
//     "bases": {
//       "cgr.dev/chainguard/static:latest": {
//         "reference": "cgr.dev/chainguard/static:latest",
//         "digest": "sha256:…",
//         "mediaType": "application/vnd.oci.image.index.v1+json",
//         "platforms": { "linux/amd64": "sha256:…", "linux/arm64": "sha256:…" }
//       }
//     }
//   }
// Keys are the BASE strings exactly as written in CMakeLists.txt.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "digest/digest.hpp"

namespace ko {

struct LockEntry {
  std::string reference;  // normalised
  Digest digest = Digest::of_bytes("");
  std::string media_type;
  std::map<std::string, std::string> platforms;  // "linux/amd64" → manifest digest
};

// The entry for `base`, or nullopt when the file or the entry does not exist.
std::optional<LockEntry> read_lock_entry(const std::filesystem::path& lock_file,
                                         const std::string& base);

// Adds or replaces entries under an exclusive lock (parallel build steps may race), and
// rewrites the file atomically. `keep_existing` keeps an entry another step wrote first
// and returns that one instead of `entry`.
LockEntry write_lock_entry(const std::filesystem::path& lock_file, const std::string& base,
                           const LockEntry& entry, bool keep_existing);

}  // namespace ko
