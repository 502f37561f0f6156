#!/usr/bin/env bash
# BASE scratch and BASE oci-layout:<dir> (an index, by platform, by tag and by digest).
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
"$KO_IMAGE" static-base --output "$WORK/base.oci" --data "$KO_SOURCE_DIR/tool/static-base"
base_index=$(jq -r '.manifests[0].digest' "$WORK/base.oci/index.json")
base_amd64=$(manifest_for "$WORK/base.oci" amd64)

# A Docker schema 2 base, as many registries still serve.
skopeo copy --override-arch amd64 --format v2s2 "oci:$WORK/base.oci:latest" "oci:$WORK/docker-base.oci:latest" >/dev/null

cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(docker_image IMPORTPATH ./cmd/hello BASE oci-layout:$WORK/docker-base.oci ANNOTATIONS a=b)
ko_image(scratch_image IMPORTPATH ./cmd/hello BASE scratch)
ko_image(layout_image IMPORTPATH ./cmd/hello BASE oci-layout:$WORK/base.oci PLATFORMS linux/amd64 linux/arm64)
ko_image(tagged_image IMPORTPATH example.com/hello/cmd/hello BASE oci-layout:$WORK/base.oci:latest)
ko_image(pinned_image IMPORTPATH ./cmd/hello BASE oci-layout:$WORK/base.oci@$base_amd64 WORKDIR /srv TAGS v1 stable)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null

config_of() { skopeo inspect --config "oci:$WORK/build/$1.oci:${2:-latest}"; }

scratch=$(config_of scratch_image)
assert_eq "$(jq -r '.rootfs.diff_ids | length' <<<"$scratch")" 1 "scratch: only our layer"
assert_eq "$(jq -r '.config.User // "none"' <<<"$scratch")" none "scratch: no user"
assert_contains "$(jq -r '.config.Env[0]' <<<"$scratch")" "PATH=/usr/local/sbin" "scratch: default PATH"

for arch in amd64 arm64; do
  manifest=$(cat "$(blob "$WORK/build/layout_image.oci" "$(manifest_for "$WORK/build/layout_image.oci" "$arch")")")
  base_manifest=$(cat "$(blob "$WORK/base.oci" "$(manifest_for "$WORK/base.oci" "$arch")")")
  assert_eq "$(jq -c '.layers[0]' <<<"$manifest")" "$(jq -c '.layers[0]' <<<"$base_manifest")" "$arch: base layer kept"
  assert_eq "$(jq -r '.layers | length' <<<"$manifest")" 2 "$arch: base + app layers"
done

# Our layer follows the base's media-type family: a manifest never mixes OCI and Docker.
docker_manifest=$(cat "$(blob "$WORK/build/docker_image.oci" "$(cat "$WORK/build/docker_image.digest")")")
assert_eq "$(jq -r .mediaType <<<"$docker_manifest")" "application/vnd.docker.distribution.manifest.v2+json" "docker manifest"
assert_eq "$(jq -r .config.mediaType <<<"$docker_manifest")" "application/vnd.docker.container.image.v1+json" "docker config"
assert_eq "$(jq -r '[.layers[].mediaType] | unique | join(",")' <<<"$docker_manifest")" \
  "application/vnd.docker.image.rootfs.diff.tar.gzip" "docker layers"
assert_eq "$(jq -r '.annotations // "none"' <<<"$docker_manifest")" none "no annotations in a docker manifest"
assert_eq "$(jq -r '.manifests[0].mediaType' "$WORK/build/docker_image.oci/index.json")" \
  "application/vnd.docker.distribution.manifest.v2+json" "layout entry media type"
# (skopeo 1.9 cannot read Docker-typed entries of an OCI layout, so check blobs by hand.)
for digest in $(jq -r '.config.digest, .layers[].digest' <<<"$docker_manifest"); do
  assert_eq "sha256:$(sha256sum "$(blob "$WORK/build/docker_image.oci" "$digest")" | cut -d' ' -f1)" "$digest" \
    "docker image blob $digest"
done

# All images built in this tree share blobs through hard links, not copies.
layer=$(jq -r '.layers[0].digest' "$(blob "$WORK/build/tagged_image.oci" "$(cat "$WORK/build/tagged_image.digest")")")
assert_eq "$(stat -c %i "$(blob "$WORK/build/tagged_image.oci" "$layer")")" \
  "$(stat -c %i "$(blob "$WORK/build/layout_image.oci" "$layer")")" "blobs are hard-linked from one store"

pinned=$(config_of pinned_image v1)
assert_eq "$(jq -r .config.WorkingDir <<<"$pinned")" /srv "WORKDIR"
assert_eq "$(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | join(",")' \
  "$WORK/build/pinned_image.oci/index.json")" "v1,stable" "TAGS become ref names"

# A platform the base lacks is a clear build error.
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(wrong_image IMPORTPATH ./cmd/hello BASE oci-layout:$WORK/base.oci@$base_amd64 PLATFORMS linux/arm64)
CMAKE
configure "$WORK/src" "$WORK/build"
if log=$(build "$WORK/build" --target wrong_image); then fail "an amd64 base served an arm64 image"; fi
assert_contains "$log" "is for linux/amd64, not linux/arm64" "wrong base platform error"
echo "ok"
