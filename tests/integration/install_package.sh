#!/usr/bin/env bash
# find_package(KoImage) works after `cmake --install` (not only from the build tree), and
# the installed helper builds the same image as the build tree's.
source "$(dirname "$0")/lib.sh"

cmake --install "$KO_BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
[[ -x "$WORK/prefix/bin/ko-image" ]] || fail "ko-image was not installed"
[[ -f "$WORK/prefix/lib/cmake/KoImage/KoImageConfig.cmake" ]] || fail "package config was not installed"
[[ -f "$WORK/prefix/lib/cmake/KoImage/rules/GoBinary.cmake" ]] || fail "rules were not installed"

copy_example hello "$WORK/src"
cmake -G Ninja -S "$WORK/src" -B "$WORK/installed" -DCMAKE_PREFIX_PATH="$WORK/prefix" >"$WORK/configure.log" 2>&1 ||
  { cat "$WORK/configure.log" >&2; fail "configure against the installed package failed"; }
grep -q "KO_IMAGE_EXECUTABLE:FILEPATH=$WORK/prefix/bin/ko-image" "$WORK/installed/CMakeCache.txt" ||
  fail "the installed helper was not picked up"
build "$WORK/installed" >/dev/null

configure "$WORK/src" "$WORK/build-tree"
build "$WORK/build-tree" >/dev/null
assert_eq "$(cat "$WORK/installed/hello_image.digest")" "$(cat "$WORK/build-tree/hello_image.digest")" \
  "installed and build-tree helpers agree"
echo "ok"
