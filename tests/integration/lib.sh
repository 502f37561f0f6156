# Shared helpers for the integration tests: each test copies an example into its own
# temporary directory, configures it with the cmake-ko build under test, and asserts on
# the results with independent tools (skopeo, umoci, oci-image-tool, jq).
#
# Environment (set by CTest, see CMakeLists.txt): KO_SOURCE_DIR (the repository),
# KO_BUILD_DIR (the cmake-ko build tree, which holds KoImageConfig.cmake).
set -euo pipefail

: "${KO_SOURCE_DIR:?set by ctest}"
: "${KO_BUILD_DIR:?set by ctest}"
KO_IMAGE="$KO_BUILD_DIR/tool/ko-image"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ko-test.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

assert_eq() {  # actual expected what
  [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"
}

assert_ne() {  # actual unexpected what
  [[ "$1" != "$2" ]] || fail "$3: expected something other than '$2'"
}

assert_contains() {  # haystack needle what
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find '$2' in: $1"
}

# copy_example NAME DEST: a private copy of examples/NAME, so tests may edit sources.
copy_example() {
  mkdir -p "$2"
  cp -R "$KO_SOURCE_DIR/examples/$1/." "$2/"
}

# configure SRC BUILD [cmake args...]: a Ninja configure against the cmake-ko build tree.
configure() {
  local src=$1 build=$2
  shift 2
  mkdir -p "$(dirname "$build")"
  cmake -G Ninja -S "$src" -B "$build" -DKoImage_DIR="$KO_BUILD_DIR" "$@" >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; fail "configure of $src failed"; }
}

build() {  # BUILD [ninja targets...]: prints Ninja's output
  cmake --build "$1" "${@:2}" 2>&1
}

digest_of() { cat "$1"; }

# manifest_for LAYOUT PLATFORM-ARCH: the manifest digest of one architecture of a layout.
manifest_for() {
  local layout=$1 arch=$2 top
  top=$(jq -r '.manifests[0].digest' "$layout/index.json")
  jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' \
    "$layout/blobs/sha256/${top#sha256:}"
}

# blob LAYOUT DIGEST: path of a blob in a layout.
blob() { echo "$1/blobs/sha256/${2#sha256:}"; }

# elf_machine FILE: the ELF e_machine field (little-endian files), e.g. 62 for x86-64.
elf_machine() {
  local bytes
  bytes=$(od -An -tu1 -j18 -N2 "$1")
  read -r lo hi <<<"$bytes"
  echo $((hi * 256 + lo))
}

# run_arm64 BINARY [args...]: runs a static arm64 (aarch64) binary here through qemu user-mode
# emulation (Debian's qemu-user-static, installed by scripts/install-deps; no binfmt_misc).
run_arm64() {
  command -v qemu-aarch64-static >/dev/null ||
    fail "qemu-aarch64-static is not installed (scripts/install-deps installs qemu-user-static)"
  qemu-aarch64-static "$@"
}
