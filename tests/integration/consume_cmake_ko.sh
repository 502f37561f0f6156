#!/usr/bin/env bash
# cmake-ko consumed the ways CMake users consume a dependency, each from a consumer project
# that builds examples/hello: add_subdirectory(cmake-ko) + include(KoImage);
# FetchContent_Declare(cmake_ko SOURCE_DIR …) + FetchContent_MakeAvailable with
# FIND_PACKAGE_ARGS, once building cmake-ko from source and once preferring an installed
# cmake-ko. (find_package(KoImage) from a build tree is how every other test runs; from an
# install, install_package.sh.) As a subproject cmake-ko builds no tests, the rules run
# its ko-image target, and a change to the helper reruns the steps. Every way gives the
# digest the cmake-ko build under test gives.
source "$(dirname "$0")/lib.sh"

# A copy of cmake-ko without build trees or .git, as a vendored or fetched copy would be.
mkdir -p "$WORK/cmake-ko"
tar -C "$KO_SOURCE_DIR" --exclude=./.git --exclude-tag-all=CMakeCache.txt -cf - . | tar -C "$WORK/cmake-ko" -xf -
# The helper is compiled again per consumer: ccache (relative to $WORK) makes that cheap.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$WORK" CCACHE_NOHASHDIR=true
fi

copy_example hello "$WORK/reference"
configure "$WORK/reference" "$WORK/reference/build"
build "$WORK/reference/build" --target hello_image >/dev/null
expected=$(cat "$WORK/reference/build/hello_image.digest")

# consumer NAME PRELUDE: examples/hello whose CMakeLists.txt brings cmake-ko in by PRELUDE
# instead of find_package(KoImage REQUIRED).
consumer() {
  copy_example hello "$WORK/$1"
  PRELUDE="$2" perl -0pi -e 's/^find_package\(KoImage REQUIRED\)$/$ENV{PRELUDE}/m' "$WORK/$1/CMakeLists.txt"
  grep -qF "$(head -n1 <<<"$2")" "$WORK/$1/CMakeLists.txt" || fail "$1: the prelude was not put in"
}
# configure_consumer NAME [cmake args…]: configured without KoImage_DIR.
configure_consumer() {
  local name=$1
  shift
  cmake -G Ninja -S "$WORK/$name" -B "$WORK/$name/build" "${launcher[@]}" "$@" >"$WORK/$name.configure.log" 2>&1 ||
    { cat "$WORK/$name.configure.log" >&2; fail "configure of the $name consumer failed"; }
}

# --- add_subdirectory + include(KoImage) ------------------------------------------------
consumer subdirectory 'add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../cmake-ko cmake-ko)
include(KoImage)'
configure_consumer subdirectory
assert_eq "$(sed -n 's/^KO_BUILD_TESTS:BOOL=//p' "$WORK/subdirectory/build/CMakeCache.txt")" OFF "KO_BUILD_TESTS as a subproject"
targets=$(cmake --build "$WORK/subdirectory/build" --target help)
assert_contains "$targets" "ko-image:" "the helper target is there"
[[ "$targets" != *ko-image-unit-tests* ]] || fail "a subproject build has cmake-ko's unit tests"
log=$(build "$WORK/subdirectory/build") || { echo "$log" >&2; fail "the add_subdirectory consumer does not build"; }
assert_contains "$log" "Linking CXX executable cmake-ko/tool/ko-image" "the helper is built as part of the consumer"
assert_eq "$(cat "$WORK/subdirectory/build/hello_image.digest")" "$expected" "add_subdirectory digest"
assert_contains "$(ninja -C "$WORK/subdirectory/build" -t commands hello_image | grep ' image ' | head -n1)" \
  "$WORK/subdirectory/build/cmake-ko/tool/ko-image image" "the rules run the helper target"
# A change to the helper reruns the steps that use it.
echo "// a change" >>"$WORK/cmake-ko/tool/src/main.cpp"
log=$(build "$WORK/subdirectory/build")
assert_contains "$log" "Linking CXX executable cmake-ko/tool/ko-image" "the changed helper is rebuilt"
assert_contains "$log" "ko: built-in static base image" "the static base reruns"
assert_contains "$log" "ko: image (linux/amd64) for hello_image" "the image step reruns"
assert_contains "$(build "$WORK/subdirectory/build")" "no work to do" "then nothing is left to do"

# --- FetchContent from source (no installed cmake-ko) -----------------------------------
fetch_prelude="include(FetchContent)
FetchContent_Declare(cmake_ko SOURCE_DIR \"$WORK/cmake-ko\" FIND_PACKAGE_ARGS NAMES KoImage)
FetchContent_MakeAvailable(cmake_ko)
find_package(KoImage REQUIRED)"
consumer fetched "$fetch_prelude"
configure_consumer fetched -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
log=$(build "$WORK/fetched/build") || { echo "$log" >&2; fail "the FetchContent consumer does not build"; }
assert_contains "$log" "Linking CXX executable _deps/cmake_ko-build/tool/ko-image" "FetchContent builds the helper"
assert_eq "$(cat "$WORK/fetched/build/hello_image.digest")" "$expected" "FetchContent digest"
# Configure again (the package redirect must not make it look installed) and build: no work.
configure_consumer fetched -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
assert_contains "$(build "$WORK/fetched/build")" "no work to do" "a second configure changes nothing"
[[ ! -e "$WORK/fetched/build/_deps/cmake_ko-build/tests" ]] || fail "FetchContent configured cmake-ko's tests"

# --- FetchContent with an installed cmake-ko: find_package wins, nothing is compiled ----
cmake --install "$KO_BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
consumer preferred "$fetch_prelude"
configure_consumer preferred -DCMAKE_PREFIX_PATH="$WORK/prefix"
grep -q "KO_IMAGE_EXECUTABLE:FILEPATH=$WORK/prefix/bin/ko-image" "$WORK/preferred/build/CMakeCache.txt" ||
  fail "FIND_PACKAGE_ARGS did not prefer the installed cmake-ko"
log=$(build "$WORK/preferred/build")
[[ "$log" != *"Building CXX"* ]] || fail "the helper was compiled although cmake-ko is installed"
assert_eq "$(cat "$WORK/preferred/build/hello_image.digest")" "$expected" "installed-package digest"
echo "ok"
