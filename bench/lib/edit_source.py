#!/usr/bin/env python3
"""The benchmark's one-file edit: changes MARKER in FILE (inside a string literal) to
MARKER-<n>, with n one more each time, so every incremental run changes real code that
Go's build cache has never seen, and the binary, layer and image change.

    edit_source.py FILE MARKER
"""
import re
import sys

path, marker = sys.argv[1:3]
with open(path) as f:
    text = f.read()
pattern = re.compile(re.escape(marker) + r"(-(\d+))?")
found = pattern.search(text)
if not found:
    sys.exit(f"edit_source.py: {marker!r} is not in {path}")
count = int(found.group(2) or 0) + 1
with open(path, "w") as f:
    f.write(text[: found.start()] + f"{marker}-{count}" + text[found.end():])
