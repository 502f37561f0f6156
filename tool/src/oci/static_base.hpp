// The built-in default base image: what a static Go binary needs and nothing else, made
// by the helper itself so a first build needs no network and no registry.
//
// Contents: /etc/passwd and /etc/group with root (0) and nonroot (65532),
// /etc/nsswitch.conf (files before DNS, as Go's resolver expects), /home/nonroot owned
// by 65532, /root, /tmp (1777). Config: User 65532, a standard PATH. One image per Linux
// architecture, all in one index, all sharing one layer. No CA certificates or time
// zone data: use a registry base (e.g. a distroless static image) when you need them.
#pragma once

#include <filesystem>

#include "oci/descriptor.hpp"

namespace ko {

// Writes the base as an OCI image layout at `layout_dir`; returns its index descriptor.
Descriptor write_static_base(const std::filesystem::path& layout_dir);

}  // namespace ko
