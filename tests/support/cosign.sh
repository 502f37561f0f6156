# cosign, the independent verifier of the signatures publish makes: v2.4.1 built once from the
# Go module proxy (`go install`, about 3 minutes on 2 cores) into KO_TEST_TOOLS_DIR (default
# ~/.cache/cmake-ko/test-tools, outside the source tree, shared with go_test_tool of
# registry.sh), and reused by every later run.
#
#   source tests/support/cosign.sh
#   cosign_path        prints where cosign is (or will be after cosign_install)
#   cosign_install     builds it unless it is there; parallel callers wait for one build
#   bash tests/support/cosign.sh install   the same, as a command (the CTest fixture
#                      integration.cosign_setup, which the signing tests require)

COSIGN_VERSION=v2.4.1

cosign_path() {
  echo "${KO_TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmake-ko/test-tools}/cosign-$COSIGN_VERSION/cosign"
}

cosign_install() {
  local path dir
  path=$(cosign_path)
  dir=$(dirname "$path")
  [[ -x "$path" ]] && return 0
  command -v go >/dev/null || { echo "cosign_install: needs Go on PATH" >&2; return 1; }
  # cosign v2.4.1 needs Go 1.22.7; Go >= 1.21 fetches that toolchain itself (GOTOOLCHAIN=auto).
  local minor
  minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  if [[ -z "$minor" || "$minor" -lt 21 ]]; then
    echo "cosign_install: cosign $COSIGN_VERSION needs Go >= 1.22 (or >= 1.21 with GOTOOLCHAIN=auto); $(command -v go) is $(go env GOVERSION)" >&2
    return 1
  fi
  mkdir -p "$dir"
  (
    flock 9
    [[ -x "$path" ]] && exit 0
    rm -rf "$dir/bin"
    echo "building cosign $COSIGN_VERSION into $dir (once; about 3 minutes)" >&2
    GOFLAGS= CGO_ENABLED=0 GOBIN="$dir/bin" \
      go install "github.com/sigstore/cosign/v2/cmd/cosign@$COSIGN_VERSION" >"$dir/build.log" 2>&1 ||
      { echo "cosign_install: go install failed (needs the Go module proxy the first time):" >&2
        tail -20 "$dir/build.log" >&2; exit 1; }
    mv "$dir/bin/cosign" "$path"
    rmdir "$dir/bin"
  ) 9>"$dir/.lock" || return 1
  "$path" version 2>&1 | grep -q "${COSIGN_VERSION#v}" ||
    { echo "cosign_install: $path is not cosign $COSIGN_VERSION" >&2; return 1; }
}

if [[ "${BASH_SOURCE[0]}" == "$0" && "${1:-}" == install ]]; then
  set -euo pipefail
  cosign_install
  echo "cosign $COSIGN_VERSION: $(cosign_path)"
fi
