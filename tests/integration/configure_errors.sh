#!/usr/bin/env bash
# Mistakes in ko_image() stop configure with a FATAL_ERROR naming the argument, and a Go
# compile error fails the build with Go's own message and leaves no partial output.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
mkdir -p "$WORK/no-module"

# expect_configure_error CASE EXPECTED-TEXT KO_IMAGE-ARGUMENTS...   ($PRELUDE: CMake code
# placed before the ko_image() call; $GENERATOR: another than Ninja)
expect_configure_error() {
  local case=$1 expected=$2
  shift 2
  cat >"$WORK/src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(bad LANGUAGES NONE)
find_package(KoImage REQUIRED)
${PRELUDE:-}
ko_image(bad_image $*)
CMAKE
  rm -rf "$WORK/build-$case"
  if cmake -G "${GENERATOR:-Ninja}" -S "$WORK/src" -B "$WORK/build-$case" -DKoImage_DIR="$KO_BUILD_DIR" >"$WORK/$case.log" 2>&1; then
    fail "$case: configure succeeded but should fail"
  fi
  local log
  log=$(tr -s ' \n' ' ' <"$WORK/$case.log")  # CMake wraps long messages
  assert_contains "$log" "ko_image(bad_image)" "$case names the call"
  assert_contains "$log" "$expected" "$case message"
}

expect_configure_error bad-arch "PLATFORMS entry 'linux/sparc': architecture must be one of" \
  IMPORTPATH ./cmd/hello PLATFORMS linux/sparc
expect_configure_error no-arch "PLATFORMS entry 'linux' is not os/arch[/variant]" \
  IMPORTPATH ./cmd/hello PLATFORMS linux
expect_configure_error bad-variant "unknown variant 'v9' for arm" IMPORTPATH ./cmd/hello PLATFORMS linux/arm/v9
expect_configure_error windows "only linux images are supported" IMPORTPATH ./cmd/hello PLATFORMS windows/amd64
expect_configure_error twice "PLATFORMS lists a platform twice" IMPORTPATH ./cmd/hello PLATFORMS linux/amd64 linux/amd64
expect_configure_error no-go-mod "GO_MODULE_DIR '$WORK/no-module' has no go.mod" \
  IMPORTPATH ./cmd/hello GO_MODULE_DIR "$WORK/no-module"
expect_configure_error other-module "IMPORTPATH 'github.com/other/tool' is outside module 'example.com/hello'" \
  IMPORTPATH github.com/other/tool
expect_configure_error escapes "IMPORTPATH '../elsewhere' is outside the module" IMPORTPATH ../elsewhere
expect_configure_error bad-sbom "SBOM 'cyclonedx' must be spdx or none" IMPORTPATH ./cmd/hello SBOM cyclonedx
PRELUDE="set(KO_DEFAULT_SBOM yes)" expect_configure_error bad-default-sbom \
  "KO_DEFAULT_SBOM 'yes' must be spdx or none" IMPORTPATH ./cmd/hello
expect_configure_error missing-package "IMPORTPATH './cmd/missing' names no directory" IMPORTPATH ./cmd/missing
expect_configure_error no-importpath "IMPORTPATH is required" PLATFORMS linux/amd64
expect_configure_error unknown-argument "unknown argument(s) FOO;bar" FOO bar IMPORTPATH ./cmd/hello
expect_configure_error bad-env "ENV item 'NOEQUALS' is not KEY=VALUE" IMPORTPATH ./cmd/hello ENV NOEQUALS
expect_configure_error bad-label "LABELS item 'x' is not key=value" IMPORTPATH ./cmd/hello LABELS x
expect_configure_error bad-kodata "KODATA '$WORK/src/nothing-here' is not a directory" \
  IMPORTPATH ./cmd/hello KODATA nothing-here
expect_configure_error relative-workdir "WORKDIR 'srv' must be an absolute path" IMPORTPATH ./cmd/hello WORKDIR srv
expect_configure_error bad-base "BASE 'registry//repo' is not an image reference" \
  IMPORTPATH ./cmd/hello BASE registry//repo
expect_configure_error bad-naming "NAMING 'flat' must be default, bare, base or preserve" \
  IMPORTPATH ./cmd/hello NAMING flat
expect_configure_error repository-with-tag "REPOSITORY 'registry.example/app:v1' must be registry/repository" \
  IMPORTPATH ./cmd/hello REPOSITORY registry.example/app:v1
expect_configure_error missing-layout "is not an OCI image layout (no index.json)" \
  IMPORTPATH ./cmd/hello BASE oci-layout:/nonexistent/layout
expect_configure_error missing-value "USER needs a value" IMPORTPATH ./cmd/hello USER
expect_configure_error bad-compression "COMPRESSION 'lz4' must be gzip or zstd" \
  IMPORTPATH ./cmd/hello COMPRESSION lz4
# TARGET and CGO images for a platform other than the toolchain's need that platform's
# toolchain file (the host here is linux/amd64).
c_prelude='enable_language(C)
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/tool.c" "int main(void) { return 0; }\n")
add_executable(tool "${CMAKE_CURRENT_BINARY_DIR}/tool.c")'
PRELUDE="$c_prelude" expect_configure_error target-no-toolchain \
  "PLATFORMS linux/arm64: TARGET tool needs a compiler for linux/arm64, and the CMake toolchain builds for linux/amd64: set KO_TOOLCHAIN_linux_arm64 to a CMake toolchain file" \
  TARGET tool PLATFORMS linux/amd64 linux/arm64
PRELUDE="$c_prelude" expect_configure_error cgo-no-toolchain \
  "PLATFORMS linux/arm64: CGO needs a compiler for linux/arm64, and the CMake toolchain builds for linux/amd64: set KO_TOOLCHAIN_linux_arm64" \
  IMPORTPATH ./cmd/hello CGO PLATFORMS linux/arm64
PRELUDE="$c_prelude
set(KO_TOOLCHAIN_linux_arm64 nowhere/arm64.cmake)" expect_configure_error missing-toolchain-file \
  "KO_TOOLCHAIN_linux_arm64 '$WORK/src/nowhere/arm64.cmake' does not exist" TARGET tool PLATFORMS linux/arm64
# Tags follow the distribution-spec grammar, checked before anything is built or pushed.
case=0
for tag in '"bad tag!"' v1/2 -lead .lead a:b "$(printf 'x%.0s' {1..200})"; do
  expect_configure_error "bad-tag-$((case += 1))" "TAGS entry '$(tr -d '"' <<<"$tag")' is not a valid tag" \
    IMPORTPATH ./cmd/hello TAGS v1 "$tag"
done
GENERATOR="Ninja Multi-Config" expect_configure_error multi-config \
  "the 'Ninja Multi-Config' generator is not supported; configure with -G Ninja" IMPORTPATH ./cmd/hello
GENERATOR="Unix Makefiles" expect_configure_error makefiles "needs the Ninja generator (cmake -G Ninja)" \
  IMPORTPATH ./cmd/hello

# A Go compile error: Go's message as Go printed it, a one-line summary, a failed build,
# and no half-written outputs.
cp "$KO_SOURCE_DIR/examples/hello/CMakeLists.txt" "$WORK/src/CMakeLists.txt"
configure "$WORK/src" "$WORK/build"
echo 'func broken() { undefinedFunction() }' >>"$WORK/src/cmd/hello/main.go"
if log=$(build "$WORK/build"); then fail "the build succeeded despite a compile error"; fi
assert_contains "$log" "undefined: undefinedFunction" "Go's own compiler message"
assert_contains "$log" "ko-image: error: go build failed for ./cmd/hello (linux/amd64)" "one-line summary"
[[ ! -e "$WORK/build/ko/hello_image/linux-amd64/hello" ]] || fail "a binary was left behind"
[[ ! -e "$WORK/build/hello_image.digest" ]] || fail "a digest was written"
leftovers=$(find "$WORK/build" -name '*.tmp-*' | head -n 3)
assert_eq "$leftovers" "" "temporary files left behind"

# An IMPORTPATH that is a library package: named as such, not as a bad ELF file.
cat >"$WORK/src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(library LANGUAGES NONE)
find_package(KoImage REQUIRED)
ko_image(library_image IMPORTPATH ./internal/greeting)
CMAKE
configure "$WORK/src" "$WORK/build-library"
if log=$(build "$WORK/build-library"); then fail "a library package built as an image"; fi
assert_contains "$log" "./internal/greeting is package greeting, not package main" "non-main package"
[[ ! -e "$WORK/build-library/library_image.digest" ]] || fail "a digest was written for a library"

# The ambient Go environment does not reach FindGo's version probe: a GOTOOLCHAIN naming a
# toolchain that does not exist (Go would try to download it) and a GOFLAGS go rejects.
GOTOOLCHAIN=go1.99.0 GOFLAGS=-no-such-flag configure "$WORK/src" "$WORK/build-ambient"
assert_contains "$(cat "$WORK/build-ambient.configure.log")" \
  "found suitable version \"$(go env GOVERSION | sed 's/^go//')\"" "the local toolchain's version"
echo "ok"
