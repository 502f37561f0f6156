// ko:// resolution in Kubernetes, Knative and Cloud Run YAML: whole scalar values that
// say `ko://<import path>` become the pushed `registry/repo@sha256:…` reference. Nothing
// else changes — comments, key order, quoting style, indentation, line endings (CRLF
// stays CRLF) and every other byte are kept, so the output diffs cleanly.
//
// A value is replaced when it is a plain, 'single-' or "double-quoted" scalar that is
// exactly ko://<path> (after `key:`, a `- ` list dash, an anchor `&a` or tag `!t`, or
// inside a flow collection). Text that merely contains ko:// — in a comment, a block
// scalar or a longer string — is left alone.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace ko {

// Import path (as written after ko://) → reference.
using ImageReferences = std::map<std::string, std::string>;

// Resolves one document stream. `source` names it in errors, which say
// "<source>:<line>: ko://<path> has no ko_image() …" when a reference has no image.
std::string resolve_yaml(std::string_view text, const ImageReferences& images,
                         const std::string& source);

}  // namespace ko
