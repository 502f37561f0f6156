#!/usr/bin/env bash
# Today's recipe, beside the one-tree build: cross-compiling the monorepo for linux/arm64 in a
# second build tree with a CMake toolchain file (Debian's
# g++-aarch64-linux-gnu): the C++ library and service and the cgo Go service are aarch64
# and statically linked, as documented; the pure-Go image is arm64 too; all validate, all three
# run from their unpacked rootfs under qemu-aarch64-static and print what the amd64 build
# prints, and the cgo image is reproducible in another build directory. Skipped (77) without the compiler.
source "$(dirname "$0")/lib.sh"
command -v aarch64-linux-gnu-g++ >/dev/null ||
  { echo "skip: aarch64-linux-gnu-g++ is not installed (apt-get install g++-aarch64-linux-gnu)"; exit 77; }

copy_example monorepo "$WORK/src"
# The recipe is for images that do not list PLATFORMS: the example's C++ and cgo images list
# linux/amd64 + linux/arm64 for the one-tree build (monorepo_example.sh, platform_tree.sh).
sed -i 's| PLATFORMS linux/amd64 linux/arm64||' "$WORK/src/CMakeLists.txt"
toolchain="$WORK/src/toolchains/aarch64-linux-gnu.cmake"
configure "$WORK/src" "$WORK/arm64" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DKO_DEFAULT_PLATFORMS=linux/arm64
log=$(build "$WORK/arm64") || { echo "$log" >&2; fail "the arm64 monorepo build failed"; }

for image in indexer_image api_image web_image; do
  layout="$WORK/arm64/$image.oci"
  assert_eq "$(skopeo inspect --config "oci:$layout:latest" | jq -r .architecture)" arm64 "$image architecture"
  oci-image-tool validate --type image --ref name=latest "$layout" >/dev/null 2>&1 || fail "$image does not validate"
done
for binary in indexer ko/api_image/linux-arm64/api ko/web_image/linux-arm64/web; do
  assert_eq "$(elf_machine "$WORK/arm64/$binary")" 183 "$binary is aarch64 (EM_AARCH64)"
  if readelf -l "$WORK/arm64/$binary" | grep -q "program interpreter"; then
    fail "$binary is dynamically linked; the docs say static"
  fi
done

# They run: each from its image's unpacked rootfs, under qemu-aarch64-static, printing what the
# native build of the same sources prints (monorepo_example.sh).
for run in "indexer_image ko-app/indexer 4|indexer: score_document(4) = 10" \
  "api_image ko-app/api -once 4|api 1.0.0: score_document(4) = 10" \
  "web_image ko-app/web -once|web: pure Go, no cgo"; do
  read -r image command <<<"${run%%|*}"
  umoci unpack --rootless --image "$WORK/arm64/$image.oci:latest" "$WORK/bundle-$image" >/dev/null 2>&1 ||
    fail "umoci could not unpack $image"
  # shellcheck disable=SC2086  # command is a binary and its arguments
  output=$(cd "$WORK/bundle-$image/rootfs" && run_arm64 ./$command) || fail "$image's binary did not run under qemu"
  assert_eq "$output" "${run#*|}" "$image's arm64 binary run"
done

(cd "$WORK/arm64" && ctest -R '^api_image.reproducible$' >"$WORK/ctest.log" 2>&1) ||
  { cat "$WORK/ctest.log" >&2; fail "the arm64 cgo image is not reproducible"; }
echo "ok"
