#!/usr/bin/env bash
# COMPRESSION zstd: the app layer is application/vnd.oci.image.layer.v1.tar+zstd, holds the
# same tar as the gzip image's, decompresses with the zstd CLI and unpacks into a rootfs
# where the binary runs; KO_DEFAULT_COMPRESSION sets it for every image; a Docker-typed base
# cannot take a zstd layer and the build says what to do.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<'CMAKE'
ko_image(zstd_image IMPORTPATH ./cmd/hello LDFLAGS -s -w -X main.version=${PROJECT_VERSION} COMPRESSION zstd)
set(KO_DEFAULT_COMPRESSION zstd)
ko_image(default_zstd_image IMPORTPATH ./cmd/hello LDFLAGS -s -w -X main.version=${PROJECT_VERSION})
ko_image(gzip_image IMPORTPATH ./cmd/hello LDFLAGS -s -w -X main.version=${PROJECT_VERSION} COMPRESSION gzip)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null || fail "building the zstd images failed"

layer_types() {  # IMAGE: the layers' media types, comma-separated
  skopeo inspect --raw "oci:$WORK/build/$1.oci:latest" | jq -r '[.layers[].mediaType] | join(",")'
}
gzip=application/vnd.oci.image.layer.v1.tar+gzip
zstd=application/vnd.oci.image.layer.v1.tar+zstd
assert_eq "$(layer_types zstd_image)" "$gzip,$zstd" "zstd_image: the static base's gzip layer, our zstd layer"
assert_eq "$(layer_types default_zstd_image)" "$gzip,$zstd" "KO_DEFAULT_COMPRESSION zstd"
assert_eq "$(layer_types gzip_image)" "$gzip,$gzip" "COMPRESSION gzip beats KO_DEFAULT_COMPRESSION"

layout="$WORK/build/zstd_image.oci"
manifest=$(skopeo inspect --raw "oci:$layout:latest")
config=$(skopeo inspect --config "oci:$layout:latest")
layer=$(blob "$layout" "$(jq -r '.layers[1].digest' <<<"$manifest")")
assert_eq "sha256:$(sha256sum "$layer" | cut -d' ' -f1)" "$(jq -r '.layers[1].digest' <<<"$manifest")" "layer digest"
assert_eq "$(stat -c %s "$layer")" "$(jq -r '.layers[1].size' <<<"$manifest")" "layer size"
zstd -q -t "$layer" || fail "zstd -t rejected the layer"
assert_eq "sha256:$(zstd -q -dc "$layer" | sha256sum | cut -d' ' -f1)" "$(jq -r '.rootfs.diff_ids[1]' <<<"$config")" \
  "diffID is the SHA-256 of the decompressed tar"
gzip_config=$(skopeo inspect --config "oci:$WORK/build/gzip_image.oci:latest")
assert_eq "$(jq -r '.rootfs.diff_ids[1]' <<<"$config")" "$(jq -r '.rootfs.diff_ids[1]' <<<"$gzip_config")" \
  "the same tar as the gzip image's"
assert_contains "$(jq -r .compression "$WORK/build/ko/zstd_image/linux-amd64/layer.json")" "zstd (libzstd " \
  "the layer descriptor names the compressor"

# Unpack both layers by hand: umoci 0.4.7 and Debian's oci-image-tool predate tar+zstd.
rootfs="$WORK/rootfs"
mkdir -p "$rootfs"
tar -xzf "$(blob "$layout" "$(jq -r '.layers[0].digest' <<<"$manifest")")" -C "$rootfs"
zstd -q -dc "$layer" | tar -x -C "$rootfs"
output=$(cd "$rootfs" && KO_DATA_PATH="$rootfs/var/run/ko" ./ko-app/hello -once)
assert_contains "$output" "from cmake-ko (version 1.0.0)" "the binary runs from the unpacked rootfs"
skopeo copy "oci:$layout:latest" "oci:$WORK/copy.oci:latest" >/dev/null || fail "skopeo cannot copy the image"

# A Docker schema 2 base has no zstd layer type: the image step fails and says what to do.
"$KO_IMAGE" static-base --output "$WORK/base.oci" --data "$KO_SOURCE_DIR/tool/static-base"
skopeo copy --override-arch amd64 --format v2s2 "oci:$WORK/base.oci:latest" "oci:$WORK/docker-base.oci:latest" >/dev/null
mkdir -p "$WORK/docker"
cp -R "$WORK/src/." "$WORK/docker/"
cat >"$WORK/docker/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(docker_zstd LANGUAGES NONE)
find_package(KoImage REQUIRED)
ko_image(docker_image IMPORTPATH ./cmd/hello BASE oci-layout:$WORK/docker-base.oci PLATFORMS linux/amd64 COMPRESSION zstd)
CMAKE
configure "$WORK/docker" "$WORK/docker-build"
if log=$(build "$WORK/docker-build"); then fail "a zstd layer on a Docker-typed base built"; fi
assert_contains "$log" "base image has Docker media types" "names the problem"
assert_contains "$log" "use COMPRESSION gzip or an OCI base image" "says what to do"
[[ ! -e "$WORK/docker-build/docker_image.digest" ]] || fail "a digest was written for the failed image"
echo ok
