#!/usr/bin/env bash
# examples/monorepo: one cmake --build produces the C++ and cgo images as linux/amd64 +
# linux/arm64 indexes (the arm64 C++ code compiled in the linux/arm64 tree cmake-ko manages
# inside the build dir) and the pure-Go image; each platform validates and is read by skopeo,
# and every binary runs from its unpacked rootfs (arm64 under qemu-aarch64-static), proving the
# C++ code ran; a no-op build runs no edge; editing the C++ library reruns exactly the edges
# that depend on it, in both trees; the images are reproducible in another build directory;
# ko_publish publishes all three and deploy resolves ko://. Skipped (77) without the cross
# compiler.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
command -v aarch64-linux-gnu-g++ >/dev/null ||
  { echo "skip: aarch64-linux-gnu-g++ is not installed (apt-get install g++-aarch64-linux-gnu)"; exit 77; }

copy_example monorepo "$WORK/src"
configure "$WORK/src" "$WORK/build"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the monorepo build failed"; }
tree="$WORK/build/ko/platforms/linux-arm64"

# platform_layout IMAGE ARCH: the image of one platform, as its own layout (skopeo reads the
# index; Debian's oci-image-tool and umoci take single images).
platform_layout() {
  local image=$1 arch=$2 layout="$WORK/$1-$2.oci"
  if [[ $(jq -r .mediaType "$(blob "$WORK/build/$image.oci" "$(cat "$WORK/build/$image.digest")")") == *index* ]]; then
    rm -rf "$layout"
    skopeo copy --override-arch "$arch" "oci:$WORK/build/$image.oci:latest" "oci:$layout:latest" >/dev/null ||
      fail "skopeo could not read the $arch image of $image"
    echo "$layout"
  else
    echo "$WORK/build/$image.oci"
  fi
}
run_in_image() {  # image arch command...: runs a binary from the image's unpacked rootfs
  local image=$1 arch=$2 layout
  shift 2
  layout=$(platform_layout "$image" "$arch")
  rm -rf "$WORK/bundle-$image-$arch"
  umoci unpack --rootless --image "$layout:latest" "$WORK/bundle-$image-$arch" >/dev/null 2>&1 ||
    fail "umoci could not unpack $image ($arch)"
  if [[ $arch == arm64 ]]; then
    (cd "$WORK/bundle-$image-$arch/rootfs" && run_arm64 "./$1" "${@:2}")
  else
    (cd "$WORK/bundle-$image-$arch/rootfs" && "./$@")
  fi
}
for image in indexer_image api_image; do
  index=$(cat "$(blob "$WORK/build/$image.oci" "$(cat "$WORK/build/$image.digest")")")
  assert_eq "$(jq -r .mediaType <<<"$index")" "application/vnd.oci.image.index.v1+json" "$image is an index"
  assert_eq "$(jq -r '[.manifests[].platform | .os + "/" + .architecture] | join(",")' <<<"$index")" \
    "linux/amd64,linux/arm64" "$image platforms"
  for arch in amd64 arm64; do
    layout=$(platform_layout "$image" "$arch")
    oci-image-tool validate --type image --ref name=latest "$layout" >"$WORK/validate.log" 2>&1 ||
      { cat "$WORK/validate.log" >&2; fail "$image ($arch) does not validate"; }
    assert_eq "$(skopeo inspect --config "oci:$layout:latest" | jq -r .architecture)" "$arch" "$image $arch config"
    assert_eq "$(skopeo inspect "oci:$layout:latest" | jq -r .Digest)" "$(manifest_for "$WORK/build/$image.oci" "$arch")" \
      "$image $arch manifest"
  done
done
oci-image-tool validate --type image --ref name=latest "$WORK/build/web_image.oci" >/dev/null 2>&1 ||
  fail "web_image does not validate"
for binary in indexer ko/api_image/linux-arm64/api; do
  assert_eq "$(elf_machine "$tree/$binary")" 183 "$binary of the linux/arm64 tree is aarch64 (EM_AARCH64)"
  if readelf -l "$tree/$binary" | grep -q "program interpreter"; then
    fail "$binary is dynamically linked; the docs say static"
  fi
done
for arch in amd64 arm64; do
  assert_eq "$(run_in_image indexer_image $arch ko-app/indexer 4)" "indexer: score_document(4) = 10" "C++ service ($arch)"
  assert_eq "$(run_in_image api_image $arch ko-app/api -once 4)" "api 1.0.0: score_document(4) = 10" \
    "cgo service ran the C++ code ($arch)"
done
assert_eq "$(run_in_image web_image amd64 ko-app/web -once)" "web: pure Go, no cgo" "pure-Go service"

# A no-op build runs no edge, in either tree (the linux/arm64 tree's ninja is not even started).
noop=$(ninja -C "$WORK/build" -n -d explain 2>&1)
assert_contains "$noop" "ninja: no work to do." "no-op build"
[[ "$noop" != *"ninja explain"* ]] || fail "a no-op build has something to do: $noop"

(cd "$WORK/build" && ctest -R '\.reproducible$' >"$WORK/ctest.log" 2>&1) ||
  { cat "$WORK/ctest.log" >&2; fail "an image of the monorepo is not reproducible"; }
assert_contains "$(cat "$WORK/ctest.log")" "100% tests passed, 0 tests failed out of 3" "three reproducibility tests ran"

# Editing the C++ library reruns exactly: in each tree the library, the indexer and the cgo
# binary; in the main graph the linux/arm64 tree's edge and, for both platforms, the layers,
# images and SBOMs of the two images that use it, their indexes and layouts. Nothing of the
# pure-Go image. (Ninja's logs list every edge that ran, one line per output.)
ran_since() {  # LOG LINES: the outputs of the edges logged after the first LINES lines
  tail -n +"$(($2 + 1))" "$1" | cut -f4 | sed "s|^$(dirname "$1")/||" | sort -u | tr '\n' ' '
}  # (CMake gives custom commands' outputs a second, absolute name: one entry each)
main_log=$(wc -l <"$WORK/build/.ninja_log")
tree_log=$(wc -l <"$tree/.ninja_log")
web=$(cat "$WORK/build/web_image.digest")
api=$(cat "$WORK/build/api_image.digest")
indexer=$(cat "$WORK/build/indexer_image.digest")
api_arm64=$(manifest_for "$WORK/build/api_image.oci" arm64)
indexer_arm64=$(manifest_for "$WORK/build/indexer_image.oci" arm64)
sleep 1.1
sed -i 's/weights\[static_cast<std::size_t>(i)\] = words - i;/weights[static_cast<std::size_t>(i)] = words - i + 1;/' \
  "$WORK/src/scoring/scoring.cpp"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the build after editing scoring.cpp failed"; }
expected_main="CMakeFiles/scoring.dir/scoring/scoring.cpp.o api_image-linux-amd64.spdx.json \
api_image-linux-arm64.spdx.json api_image.digest api_image.oci/index.json indexer indexer_image.digest \
indexer_image.oci/index.json ko/api_image/index.json \
ko/api_image/linux-amd64/api ko/api_image/linux-amd64/image.json ko/api_image/linux-amd64/layer.json \
ko/api_image/linux-arm64/image.json ko/api_image/linux-arm64/layer.json ko/indexer_image/index.json \
ko/indexer_image/linux-amd64/image.json ko/indexer_image/linux-amd64/layer.json \
ko/indexer_image/linux-arm64/image.json ko/indexer_image/linux-arm64/layer.json ko/platforms/linux-arm64.built \
ko/platforms/linux-arm64/indexer ko/platforms/linux-arm64/ko/api_image/linux-arm64/api libscoring.a "
assert_eq "$(ran_since "$WORK/build/.ninja_log" "$main_log")" "$(tr -s ' \n' ' ' <<<"$expected_main")" \
  "the edges the edit reran in the main graph"
assert_eq "$(ran_since "$tree/.ninja_log" "$tree_log")" \
  "CMakeFiles/scoring.dir/scoring/scoring.cpp.o indexer ko/api_image/linux-arm64/api libscoring.a " \
  "the edges the edit reran in the linux/arm64 tree"
assert_contains "$log" "[linux/arm64 1/4] Building CXX object CMakeFiles/scoring.dir/scoring/scoring.cpp.o" \
  "the linux/arm64 tree's steps are shown"
assert_ne "$(cat "$WORK/build/api_image.digest")" "$api" "the cgo image changed"
assert_ne "$(cat "$WORK/build/indexer_image.digest")" "$indexer" "the C++ image changed"
assert_ne "$(manifest_for "$WORK/build/api_image.oci" arm64)" "$api_arm64" "the arm64 cgo image changed"
assert_ne "$(manifest_for "$WORK/build/indexer_image.oci" arm64)" "$indexer_arm64" "the arm64 C++ image changed"
assert_eq "$(cat "$WORK/build/web_image.digest")" "$web" "the pure-Go image did not change"
for arch in amd64 arm64; do
  assert_eq "$(run_in_image api_image $arch ko-app/api -once 4)" "api 1.0.0: score_document(4) = 14" \
    "new C++ code in the cgo image ($arch)"
  assert_eq "$(run_in_image indexer_image $arch ko-app/indexer 4)" "indexer: score_document(4) = 14" \
    "new C++ code in the C++ image ($arch)"
done
noop=$(ninja -C "$WORK/build" -n -d explain 2>&1)
[[ "$noop" != *"ninja explain"* ]] || fail "the build after the edit left something to do: $noop"

# ko_publish publishes every image; deploy resolves both ko:// forms.
registry_start "$WORK/registry"
lines=$(KO_DOCKER_REPO="$REGISTRY/mono" cmake --build "$WORK/build" --target ko_publish -- --quiet 2>/dev/null | wc -l)
assert_eq "$lines" 3 "ko_publish printed one reference per image"
KO_DOCKER_REPO="$REGISTRY/mono" cmake --build "$WORK/build" --target deploy >/dev/null 2>&1 || fail "deploy failed"
assert_eq "$(grep -c "image: $REGISTRY/mono/" "$WORK/build/deploy.yaml")" 2 "both Go services resolved"
echo "ok"
