#!/usr/bin/env bash
# ko_image(TARGET <executable>): a C++ program of the same CMake build as an image. A
# statically linked one runs from the unpacked rootfs; editing the C++ library it links
# rebuilds exactly the library, the executable, its layer and its image; a dynamically
# linked one on a base without its ELF interpreter fails the build with a clear message.
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/src"
cat >"$WORK/src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(cxx LANGUAGES CXX)
find_package(KoImage REQUIRED)
add_library(scoring STATIC scoring.cpp)
add_executable(indexer indexer.cpp)
target_link_libraries(indexer PRIVATE scoring)
target_link_options(indexer PRIVATE -static)
add_executable(dynamic indexer.cpp)
target_link_libraries(dynamic PRIVATE scoring)
ko_image(indexer_image TARGET indexer ARGS --verbose)
ko_image(dynamic_image TARGET dynamic)
CMAKE
cat >"$WORK/src/scoring.cpp" <<'CPP'
int score(int x) { return x * 6; }
CPP
cat >"$WORK/src/indexer.cpp" <<'CPP'
#include <iostream>
int score(int x);
int main(int argc, char**) { std::cout << "indexer: score=" << score(7) << " args=" << argc - 1 << "\n"; }
CPP
configure "$WORK/src" "$WORK/build"
log=$(build "$WORK/build" --target indexer_image) || { echo "$log" >&2; fail "building the C++ image failed"; }
layout="$WORK/build/indexer_image.oci"
oci-image-tool validate --type image --ref name=latest "$layout" >/dev/null 2>&1 || fail "the C++ image does not validate"
config=$(skopeo inspect --config "oci:$layout:latest")
assert_eq "$(jq -c .config.Entrypoint <<<"$config")" '["/ko-app/indexer"]' "Entrypoint"
assert_eq "$(jq -c .config.Cmd <<<"$config")" '["--verbose"]' "Cmd"
umoci unpack --rootless --image "$layout:latest" "$WORK/bundle" >/dev/null 2>&1 || fail "umoci could not unpack"
assert_eq "$("$WORK/bundle/rootfs/ko-app/indexer" --verbose)" "indexer: score=42 args=1" "the C++ code ran from the rootfs"
[[ ! -e "$WORK/build/indexer_image.spdx.json" ]] || fail "a Go SBOM was written for a C++ image"

# Editing the library rebuilds it, the executable, the layer and the image — and nothing Go.
assert_contains "$(build "$WORK/build" --target indexer_image)" "no work to do" "no-op"
sleep 1.1
sed -i 's/x \* 6/x * 7/' "$WORK/src/scoring.cpp"
log=$(build "$WORK/build" --target indexer_image)
for step in "scoring.cpp" "Linking CXX executable indexer" "ko: layer /ko-app/indexer" "ko: image" "ko: OCI layout indexer_image.oci"; do
  assert_contains "$log" "$step" "editing scoring.cpp reruns: $step"
done
[[ "$log" != *"go build"* ]] || fail "a C++ edit ran go build: $log"
umoci unpack --rootless --image "$layout:latest" "$WORK/bundle2" >/dev/null 2>&1
assert_eq "$("$WORK/bundle2/rootfs/ko-app/indexer")" "indexer: score=49 args=0" "the new code is in the image"

# Dynamically linked, on the static base (no C library): a clear build error, no digest.
if log=$(build "$WORK/build" --target dynamic_image); then fail "a dynamic executable was put on a base without libc"; fi
interpreter=$(readelf -l "$WORK/build/dynamic" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
assert_contains "$log" "/ko-app/dynamic is dynamically linked and needs ${interpreter:-/lib}" "names the interpreter"
assert_contains "$log" "link it statically (-static)" "says what to do"
[[ ! -e "$WORK/build/dynamic_image.digest" ]] || fail "a digest was written"

# A CMake target for another platform than the toolchain's needs that platform's toolchain file.
sed -i 's|ko_image(dynamic_image TARGET dynamic)|ko_image(dynamic_image TARGET dynamic PLATFORMS linux/arm64)|' "$WORK/src/CMakeLists.txt"
if cmake "$WORK/build" >"$WORK/cfg.log" 2>&1; then fail "a TARGET image for another platform configured"; fi
assert_contains "$(tr -s ' \n' ' ' <"$WORK/cfg.log")" "the CMake toolchain builds for linux/amd64: set KO_TOOLCHAIN_linux_arm64" "platform error"
echo "ok"
