#!/usr/bin/env bash
# BASE from a registry: the tag is pinned in ko.lock.json, blobs are cached and verified
# (by a fetch-base edge that runs beside go build),
# a second build works with the registry stopped, ko_lock_update moves the pin, publish
# mounts base layers from the base's repository, and a corrupted blob is rejected.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'proxy_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry"
export KO_CACHE_DIR="$WORK/cache"

# Seed the registry with a multi-platform base.
"$KO_IMAGE" static-base --output "$WORK/base.oci" --data "$KO_SOURCE_DIR/tool/static-base"
skopeo copy --quiet --multi-arch all --dest-tls-verify=false "oci:$WORK/base.oci:latest" "docker://$REGISTRY/base/static:v1"
base_index=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/base/static:v1" | sha256sum | cut -d' ' -f1)

copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(remote_image IMPORTPATH ./cmd/hello BASE $REGISTRY/base/static:v1 PLATFORMS linux/amd64 linux/arm64)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" --target remote_image >/dev/null
lock="$WORK/src/ko.lock.json"
[[ -f "$lock" ]] || fail "no lock file was written"
assert_eq "$(jq -r --arg b "$REGISTRY/base/static:v1" '.bases[$b].digest' "$lock")" "sha256:$base_index" "locked digest"
assert_eq "$(jq -r --arg b "$REGISTRY/base/static:v1" '.bases[$b].platforms["linux/arm64"]' "$lock")" \
  "$(manifest_for "$WORK/base.oci" arm64)" "locked per-platform digest"
first=$(cat "$WORK/build/remote_image.digest")
# The base was fetched by its own edge (beside go build), one per platform.
for arch in amd64 arm64; do
  assert_eq "$(cat "$WORK"/build/ko/bases/*-linux-$arch.digest)" "$(manifest_for "$WORK/base.oci" $arch)" \
    "fetch-base output for $arch"
done

layout="$WORK/build/remote_image.oci"
manifest=$(cat "$(blob "$layout" "$(manifest_for "$layout" amd64)")")
assert_eq "$(jq -r '.annotations["org.opencontainers.image.base.name"]' <<<"$manifest")" "$REGISTRY/base/static:v1" "base.name"
assert_eq "$(jq -r '.annotations["org.opencontainers.image.base.digest"]' <<<"$manifest")" \
  "$(manifest_for "$WORK/base.oci" amd64)" "base.digest is the platform's manifest"
assert_eq "$(jq -r '.layers[0].digest' <<<"$manifest")" \
  "$(jq -r '.layers[0].digest' "$(blob "$WORK/base.oci" "$(manifest_for "$WORK/base.oci" amd64)")")" "base layer kept"
skopeo copy --quiet --override-arch amd64 "oci:$layout:latest" "oci:$WORK/amd64.oci:latest"
oci-image-tool validate --type image --ref name=latest "$WORK/amd64.oci" >/dev/null 2>&1 || fail "image does not validate"

# Publishing next to the base mounts its layer instead of uploading it.
KO_DOCKER_REPO="$REGISTRY/apps" cmake --build "$WORK/build" --target remote_image_publish -- --quiet \
  >/dev/null 2>"$WORK/publish.err"
if [[ $REGISTRY_IMPL == ggcr ]]; then
  # go-containerregistry's registry has one blob store for all repositories: the base layer is
  # there already, and nothing needs mounting.
  assert_contains "$(cat "$WORK/publish.err")" "mounted 0, 1 already present" "the base layer is found in place"
else
  assert_contains "$(cat "$WORK/publish.err")" "mounted 1" "the base layer is mounted from base/static"
  grep -qE '"POST /v2/apps/[^ ]*/blobs/uploads/\?mount=sha256:[0-9a-f]+&from=base/static HTTP/[0-9.]+" 201' \
    "$WORK/registry/registry.log" || fail "no successful cross-repository mount reached the registry"
fi

# The tag moves: ko_lock_update pins the new digest, and the image follows.
skopeo copy --quiet --override-arch amd64 --dest-tls-verify=false "oci:$WORK/base.oci:latest" "docker://$REGISTRY/base/static:v1"
moved=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/base/static:v1" | sha256sum | cut -d' ' -f1)
assert_ne "$moved" "$base_index" "the tag now names a single-platform image"
build "$WORK/build" --target remote_image >/dev/null
assert_eq "$(cat "$WORK/build/remote_image.digest")" "$first" "a moved tag changes nothing until the lock is updated"
cmake --build "$WORK/build" --target ko_lock_update >/dev/null 2>&1
assert_eq "$(jq -r --arg b "$REGISTRY/base/static:v1" '.bases[$b].digest' "$lock")" "sha256:$moved" "ko_lock_update"

# Restore the pin, stop the registry: a fresh build dir still builds from lock + cache.
skopeo copy --quiet --multi-arch all --dest-tls-verify=false "oci:$WORK/base.oci:latest" "docker://$REGISTRY/base/static:v1"
cmake --build "$WORK/build" --target ko_lock_update >/dev/null 2>&1
registry_stop
configure "$WORK/src" "$WORK/offline"
build "$WORK/offline" --target remote_image >/dev/null || fail "the offline build failed"
assert_eq "$(cat "$WORK/offline/remote_image.digest")" "$first" "offline build from lock file and cache"

# A registry (here a proxy) that serves a blob with the wrong bytes is rejected.
registry_start "$WORK/registry2"
skopeo copy --quiet --multi-arch all --dest-tls-verify=false "oci:$WORK/base.oci:latest" "docker://$REGISTRY/base/static:v1"
echo '[{"method": "GET", "path": "/blobs/sha256:", "action": "corrupt", "times": 100}]' >"$WORK/rules.json"
proxy_start "$WORK" "$WORK/rules.json"
mkdir -p "$WORK/corrupt"
cat >"$WORK/corrupt/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(corrupt LANGUAGES NONE)
find_package(KoImage REQUIRED)
ko_image(corrupt_image IMPORTPATH ./cmd/hello GO_MODULE_DIR $WORK/src BASE $PROXY/base/static:v1)
CMAKE
export KO_CACHE_DIR="$WORK/cache2"
configure "$WORK/corrupt" "$WORK/corrupt-build"
if log=$(build "$WORK/corrupt-build"); then fail "a corrupted base blob was accepted"; fi
assert_contains "$log" "should have digest sha256:" "the error names the expected digest"
assert_contains "$log" "but has sha256:" "and the digest received"
for cached in "$WORK"/cache2/blobs/sha256/*; do
  assert_eq "$(sha256sum "$cached" | cut -d' ' -f1)" "$(basename "$cached")" "every cached blob matches its name"
done
echo "ok"
