#!/usr/bin/env bash
# ko_image(CGO LINK_LIBRARIES <lib>): a Go service calling a C++ library of the same CMake
# build through cgo. The static binary runs from the unpacked rootfs and prints what the C++
# code computed; editing the library rebuilds the Go binary and changes the image.
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/src/cmd/api" "$WORK/src/scoring"
cat >"$WORK/src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(cgo LANGUAGES C CXX)
find_package(KoImage REQUIRED)
add_library(scoring STATIC scoring/scoring.cpp)
target_include_directories(scoring PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/scoring)
target_compile_definitions(scoring PUBLIC SCORING_FACTOR=6)
target_link_options(scoring INTERFACE -Wl,--no-undefined)
ko_image(api_image IMPORTPATH ./cmd/api CGO LINK_LIBRARIES scoring)
CMAKE
cat >"$WORK/src/go.mod" <<'GO'
module example.com/cgo

go 1.19
GO
cat >"$WORK/src/scoring/scoring.h" <<'C'
#ifdef __cplusplus
extern "C" {
#endif
int score(int x);
#ifdef __cplusplus
}
#endif
C
cat >"$WORK/src/scoring/scoring.cpp" <<'CPP'
#include "scoring.h"

#include <numeric>
#include <vector>

// C++ on purpose (std::vector needs libstdc++): x parts of SCORING_FACTOR each.
extern "C" int score(int x) {
  std::vector<int> parts(x, SCORING_FACTOR);
  return std::accumulate(parts.begin(), parts.end(), 0);
}
CPP
cat >"$WORK/src/cmd/api/main.go" <<'GO'
package main

/*
#include "scoring.h"
*/
import "C"

import "fmt"

func main() { fmt.Printf("api: score=%d factor-from-cmake=%d\n", int(C.score(7)), int(C.SCORING_FACTOR)) }
GO
configure "$WORK/src" "$WORK/build"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "building the cgo image failed"; }
grep -q -- "--cgo-ldflags=$WORK/build/libscoring.a -Wl,--no-undefined -lstdc++ -lm" "$WORK/build/build.ninja" ||
  fail "CGO_LDFLAGS lacks the library file, its link options or libstdc++"
grep -q -- "--cgo-cflags=-I$WORK/src/scoring -DSCORING_FACTOR=6" "$WORK/build/build.ninja" ||
  fail "CGO_CFLAGS lacks the include directory or the compile definition"
layout="$WORK/build/api_image.oci"
oci-image-tool validate --type image --ref name=latest "$layout" >/dev/null 2>&1 || fail "the cgo image does not validate"
umoci unpack --rootless --image "$layout:latest" "$WORK/bundle" >/dev/null 2>&1 || fail "umoci could not unpack"
assert_eq "$("$WORK/bundle/rootfs/ko-app/api")" "api: score=42 factor-from-cmake=6" "the C++ code ran through cgo"
[[ -z "$(readelf -l "$WORK/bundle/rootfs/ko-app/api" 2>/dev/null | grep 'program interpreter')" ]] ||
  fail "the cgo binary is dynamically linked"
first=$(cat "$WORK/build/api_image.digest")
assert_contains "$(build "$WORK/build")" "no work to do" "no-op build"
configure "$WORK/src" "$WORK/elsewhere/build"
build "$WORK/elsewhere/build" >/dev/null
assert_eq "$(cat "$WORK/elsewhere/build/api_image.digest")" "$first" "reproducible in another build directory"

sleep 1.1
sed -i 's/parts.end(), 0)/parts.end(), 1)/' "$WORK/src/scoring/scoring.cpp"
log=$(build "$WORK/build")
assert_contains "$log" "scoring.cpp" "the library is recompiled"
assert_contains "$log" "ko: go build ./cmd/api" "the Go binary is relinked"
assert_ne "$(cat "$WORK/build/api_image.digest")" "$first" "the image changes"
umoci unpack --rootless --image "$layout:latest" "$WORK/bundle2" >/dev/null 2>&1
assert_eq "$("$WORK/bundle2/rootfs/ko-app/api")" "api: score=43 factor-from-cmake=6" "the new C++ code is in the image"

# CGO for another platform than the toolchain's needs that platform's toolchain file.
echo 'ko_image(arm_image IMPORTPATH ./cmd/api CGO LINK_LIBRARIES scoring PLATFORMS linux/arm64)' >>"$WORK/src/CMakeLists.txt"
if cmake "$WORK/build" >"$WORK/cfg.log" 2>&1; then fail "cgo for another platform configured"; fi
assert_contains "$(tr -s ' \n' ' ' <"$WORK/cfg.log")" "set KO_TOOLCHAIN_linux_arm64 to a CMake toolchain file for linux/arm64" "clear error"
echo "ok"
