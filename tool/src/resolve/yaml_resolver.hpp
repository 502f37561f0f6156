// ko:// resolution in Kubernetes, Knative and Cloud Run YAML: whole scalar values that
// say `ko://<import path>` become the pushed `registry/repo@sha256:…` reference. Nothing
// else changes — comments, key order, quoting style, indentation, line endings (CRLF
// stays CRLF) and every other byte are kept, so the output diffs cleanly.
//
// The input is parsed with libyaml, so input that is not YAML is refused (naming file,
// line and column) instead of being copied through, and the references are exactly the
// scalars YAML sees: a plain, 'single-' or "double-quoted" value (not a mapping key, not
// a block scalar) that is exactly ko://<path>. Its text is replaced in place, inside its
// quotes. Text that merely contains ko:// — a comment, a longer string — is left alone.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace ko {

// Import path (as written after ko://) → reference.
using ImageReferences = std::map<std::string, std::string>;

// Resolves one document stream. `source` names it in errors, which say
// "<source>:<line>: ko://<path> has no ko_image() …" when a reference has no image, and
// "<source>:<line>:<column>: not valid YAML: …" for text that is not YAML.
std::string resolve_yaml(std::string_view text, const ImageReferences& images,
                         const std::string& source);

// The same checks without replacing anything (only the keys of `images` are used): run
// before publishing, so a bad file fails before any image is pushed.
void check_yaml(std::string_view text, const ImageReferences& images, const std::string& source);

}  // namespace ko
