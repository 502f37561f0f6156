#!/usr/bin/env bash
# The oldest Go we support, Debian bookworm's Go 1.19 (KO_GO_EXECUTABLE), builds a
# working image. Skipped (exit 77) where that toolchain is not installed.
source "$(dirname "$0")/lib.sh"

go119=/usr/lib/go-1.19/bin/go
[[ -x "$go119" ]] || { echo "skip: $go119 is not installed (apt-get install golang-1.19-go)"; exit 77; }

copy_example hello "$WORK/src"
KO_GO_EXECUTABLE=$go119 configure "$WORK/src" "$WORK/build"
assert_contains "$(cat "$WORK/build.configure.log")" 'found suitable version "1.19' "configure states the Go version"
build "$WORK/build" >/dev/null
binary="$WORK/build/ko/hello_image/linux-amd64/hello"
assert_contains "$(go version "$binary" 2>/dev/null || "$go119" version "$binary")" "go1.19" "built by Go 1.19"
assert_contains "$("$binary" -once)" "Hello from cmake-ko (version 1.0.0)" "the binary runs"
assert_contains "$(build "$WORK/build")" "no work to do" "no-op build with Go 1.19"

# The example with third-party modules builds with Go 1.19 too (its modules' go.mod allow it).
copy_example service "$WORK/service"
KO_GO_EXECUTABLE=$go119 configure "$WORK/service" "$WORK/service-build"
build "$WORK/service-build" >/dev/null
assert_contains "$("$go119" version "$WORK/service-build/ko/api_image/linux-amd64/api")" "go1.19" "service built by Go 1.19"
echo "ok"
