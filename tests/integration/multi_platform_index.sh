#!/usr/bin/env bash
# Several PLATFORMS give an image index; each platform's image validates on its own, and
# each binary carries the right ELF machine, and both run from their unpacked rootfs (arm64
# through qemu-aarch64-static).
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build" "-DKO_DEFAULT_PLATFORMS=linux/amd64;linux/arm64"
build "$WORK/build" >/dev/null
layout="$WORK/build/hello_image.oci"
digest=$(cat "$WORK/build/hello_image.digest")
index=$(cat "$(blob "$layout" "$digest")")

assert_eq "$(jq -r .mediaType <<<"$index")" "application/vnd.oci.image.index.v1+json" "index media type"
assert_eq "$(jq -r '[.manifests[].platform | .os + "/" + .architecture] | join(",")' <<<"$index")" \
  "linux/amd64,linux/arm64" "index platforms"
assert_eq "$(jq -r '.annotations["org.opencontainers.image.title"]' <<<"$index")" hello "index annotation"

# Debian's oci-image-tool validates single images only: split the index per architecture.
for arch in amd64 arm64; do
  skopeo copy --override-arch "$arch" "oci:$layout:latest" "oci:$WORK/$arch.oci:latest" >/dev/null
  oci-image-tool validate --type image --ref name=latest "$WORK/$arch.oci" >"$WORK/validate.log" 2>&1 ||
    { cat "$WORK/validate.log" >&2; fail "oci-image-tool rejected the $arch image"; }
  assert_eq "$(skopeo inspect "oci:$WORK/$arch.oci:latest" | jq -r .Digest)" \
    "$(manifest_for "$layout" "$arch")" "$arch image digest survives the copy"
  assert_eq "$(skopeo inspect --config "oci:$WORK/$arch.oci:latest" | jq -r .architecture)" "$arch" "$arch config"
done

assert_eq "$(elf_machine "$WORK/build/ko/hello_image/linux-amd64/hello")" 62 "amd64 ELF machine (EM_X86_64)"
assert_eq "$(elf_machine "$WORK/build/ko/hello_image/linux-arm64/hello")" 183 "arm64 ELF machine (EM_AARCH64)"

# The arm64 binary inside the image (not just in the build dir) is the aarch64 one, and it
# runs (under qemu-user) from the unpacked rootfs as the amd64 one does natively.
for arch in amd64 arm64; do
  umoci unpack --rootless --image "$WORK/$arch.oci:latest" "$WORK/bundle-$arch" >/dev/null 2>&1 ||
    fail "umoci could not unpack the $arch image"
done
rootfs="$WORK/bundle-arm64/rootfs"
assert_eq "$(elf_machine "$rootfs/ko-app/hello")" 183 "arm64 binary in the image"
amd64=$(cd "$WORK/bundle-amd64/rootfs" && GREETING=Hi KO_DATA_PATH=var/run/ko ./ko-app/hello -once)
arm64=$(cd "$rootfs" && GREETING=Hi KO_DATA_PATH=var/run/ko run_arm64 ./ko-app/hello -once) ||
  fail "the arm64 binary did not run under qemu-aarch64-static"
assert_contains "$arm64" "Hi from cmake-ko (version 1.0.0)" "the arm64 binary's output"
assert_contains "$arm64" "Served from /var/run/ko" "the arm64 binary read its kodata"
assert_eq "$arm64" "$amd64" "arm64 and amd64 binaries print the same"
echo "ok: $digest"
