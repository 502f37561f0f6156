#!/usr/bin/env bash
# Several PLATFORMS give an image index; each platform's image validates on its own, and
# each binary carries the right ELF machine.
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

# The arm64 binary inside the image (not just in the build dir) is the aarch64 one.
umoci unpack --rootless --image "$WORK/arm64.oci:latest" "$WORK/bundle" >/dev/null 2>&1
assert_eq "$(elf_machine "$WORK/bundle/rootfs/ko-app/hello")" 183 "arm64 binary in the image"
echo "ok: $digest"
