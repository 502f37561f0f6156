#!/usr/bin/env bash
# examples/monorepo: one cmake --build produces the C++, cgo and pure-Go images; they
# validate and their binaries run from unpacked rootfs, proving the C++ code ran; editing
# the C++ library rebuilds exactly the two images that use it; the images are reproducible
# in another build directory; ko_publish publishes all three and deploy resolves ko://.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

copy_example monorepo "$WORK/src"
configure "$WORK/src" "$WORK/build"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the monorepo build failed"; }
run_in_image() {  # image, command...: runs a binary from the image's unpacked rootfs
  local image=$1
  shift
  rm -rf "$WORK/bundle-$image"
  umoci unpack --rootless --image "$WORK/build/$image.oci:latest" "$WORK/bundle-$image" >/dev/null 2>&1 ||
    fail "umoci could not unpack $image"
  (cd "$WORK/bundle-$image/rootfs" && "./$@")
}
for image in indexer_image api_image web_image; do
  oci-image-tool validate --type image --ref name=latest "$WORK/build/$image.oci" >/dev/null 2>&1 ||
    fail "$image does not validate"
done
assert_eq "$(run_in_image indexer_image ko-app/indexer 4)" "indexer: score_document(4) = 10" "C++ service"
assert_eq "$(run_in_image api_image ko-app/api -once 4)" "api 1.0.0: score_document(4) = 10" "cgo service ran the C++ code"
assert_eq "$(run_in_image web_image ko-app/web -once)" "web: pure Go, no cgo" "pure-Go service"
(cd "$WORK/build" && ctest -R '\.reproducible$' >"$WORK/ctest.log" 2>&1) ||
  { cat "$WORK/ctest.log" >&2; fail "an image of the monorepo is not reproducible"; }
assert_contains "$(cat "$WORK/ctest.log")" "100% tests passed, 0 tests failed out of 3" "three reproducibility tests ran"

# Editing the C++ library: both images that use it change, the pure-Go one does not rebuild.
web=$(cat "$WORK/build/web_image.digest")
api=$(cat "$WORK/build/api_image.digest")
indexer=$(cat "$WORK/build/indexer_image.digest")
sleep 1.1
sed -i 's/weights\[static_cast<std::size_t>(i)\] = words - i;/weights[static_cast<std::size_t>(i)] = words - i + 1;/' \
  "$WORK/src/scoring/scoring.cpp"
log=$(build "$WORK/build")
assert_contains "$log" "ko: go build ./cmd/api" "the cgo binary is relinked"
assert_contains "$log" "ko: layer /ko-app/indexer" "the C++ image's layer is rebuilt"
[[ "$log" != *"cmd/web"* && "$log" != *"web_image"* ]] || fail "the pure-Go image was rebuilt: $log"
assert_ne "$(cat "$WORK/build/api_image.digest")" "$api" "the cgo image changed"
assert_ne "$(cat "$WORK/build/indexer_image.digest")" "$indexer" "the C++ image changed"
assert_eq "$(cat "$WORK/build/web_image.digest")" "$web" "the pure-Go image did not change"
assert_eq "$(run_in_image api_image ko-app/api -once 4)" "api 1.0.0: score_document(4) = 14" "new C++ code in the cgo image"

# ko_publish publishes every image; deploy resolves both ko:// forms.
registry_start "$WORK/registry"
lines=$(KO_DOCKER_REPO="$REGISTRY/mono" cmake --build "$WORK/build" --target ko_publish -- --quiet 2>/dev/null | wc -l)
assert_eq "$lines" 3 "ko_publish printed one reference per image"
KO_DOCKER_REPO="$REGISTRY/mono" cmake --build "$WORK/build" --target deploy >/dev/null 2>&1 || fail "deploy failed"
assert_eq "$(grep -c "image: $REGISTRY/mono/" "$WORK/build/deploy.yaml")" 2 "both Go services resolved"
echo "ok"
