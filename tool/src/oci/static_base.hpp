// The built-in default base image: what a static Go binary needs and nothing else, made
// by the helper itself so a first build needs no network and no registry.
//
// Contents: /etc/passwd and /etc/group with root (0) and nonroot (65532),
// /etc/nsswitch.conf (files before DNS, as Go's resolver expects), /home/nonroot owned
// by 65532, /root, /tmp (1777), and the pinned snapshot of static_base_data.hpp:
// /etc/ssl/certs/ca-certificates.crt, /usr/share/zoneinfo and /etc/os-release. Config:
// User 65532, a standard PATH, labels naming the CA bundle's date and the tzdata version.
// One image per Linux architecture, all in one index, all sharing one layer.
#pragma once

#include <filesystem>

#include "oci/descriptor.hpp"

namespace ko {

// Writes the base as an OCI image layout at `layout_dir` with the snapshot in `data_dir`
// (tool/static-base); returns its index descriptor.
Descriptor write_static_base(const std::filesystem::path& layout_dir,
                             const std::filesystem::path& data_dir);

}  // namespace ko
