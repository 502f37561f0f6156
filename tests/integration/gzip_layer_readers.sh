#!/usr/bin/env bash
# The default gzip layer is a multi-member gzip (one member per 1 MiB of tar, libdeflate):
# every reader a user may meet reads all of it — zlib's gzip -d, Python's gzip, Go's
# compress/gzip (what containerd, Docker, ko and crane use), skopeo (containers/image),
# umoci and oci-image-tool — and gets the tar whose SHA-256 is the diffID.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null || fail "building hello_image failed"
layout="$WORK/build/hello_image.oci"
manifest=$(skopeo inspect --raw "oci:$layout:latest")
diff_id=$(skopeo inspect --config "oci:$layout:latest" | jq -r '.rootfs.diff_ids[1]')
layer=$(blob "$layout" "$(jq -r '.layers[1].digest' <<<"$manifest")")
assert_contains "$(jq -r .compression "$WORK/build/ko/hello_image/linux-amd64/layer.json")" \
  "gzip (libdeflate " "the descriptor names the compressor"

# Count the members with Python's zlib (each decompressobj stops at its member's end).
members=$(python3 - "$layer" <<'PY'
import sys, zlib
data = open(sys.argv[1], "rb").read()
count = 0
while data:
    d = zlib.decompressobj(16 + 15)
    d.decompress(data)
    assert d.eof, "truncated member"
    data = d.unused_data
    count += 1
print(count)
PY
)
tar_size=$(gzip -dc "$layer" | wc -c)
assert_eq "$members" "$(((tar_size + (1 << 20) - 1) >> 20))" "one gzip member per MiB of tar"
((members > 1)) || fail "hello's layer should span several members, has $members"

gzip -t "$layer" || fail "gzip -t rejected the layer"
assert_eq "sha256:$(gzip -dc "$layer" | sha256sum | cut -d' ' -f1)" "$diff_id" "gzip -d reads every member"
assert_eq "sha256:$(python3 -c 'import gzip, hashlib, sys; print(hashlib.sha256(gzip.open(sys.argv[1]).read()).hexdigest())' "$layer")" \
  "$diff_id" "Python's gzip reads every member"

mkdir -p "$WORK/gunzip"
cat >"$WORK/gunzip/main.go" <<'GO'
package main

import (
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	r, err := gzip.NewReader(f) // multistream by default, as containerd and Docker read layers
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		panic(err)
	}
	fmt.Printf("sha256:%x\n", h.Sum(nil))
}
GO
assert_eq "$(cd "$WORK/gunzip" && GOFLAGS= GO111MODULE=off go run main.go "$layer")" "$diff_id" \
  "Go's compress/gzip reads every member"

# skopeo decompresses the layers it copies with --dest-decompress: the blob it writes is the tar.
skopeo copy --quiet --dest-decompress "oci:$layout:latest" "dir:$WORK/skopeo-dir" ||
  fail "skopeo could not decompress the layers"
assert_eq "$(sha256sum "$WORK/skopeo-dir/${diff_id#sha256:}" | cut -d' ' -f1)" "${diff_id#sha256:}" \
  "skopeo's decompressed layer is the tar"

oci-image-tool validate --type image --ref name=latest "$layout" >"$WORK/validate.log" 2>&1 ||
  { cat "$WORK/validate.log" >&2; fail "oci-image-tool rejected the layout"; }
oci-image-tool unpack --ref name=latest "$layout" "$WORK/oit-rootfs" ||
  fail "oci-image-tool could not unpack the layers"
umoci unpack --rootless --image "$layout:latest" "$WORK/bundle" >/dev/null 2>&1 ||
  fail "umoci could not unpack the image"
go_binary=$(find "$WORK/build/ko" -path '*linux-amd64*' -type f -name hello | head -1)
[[ -n $go_binary ]] || go_binary=$(find "$WORK/build" -type f -name hello -perm -u+x | head -1)
for rootfs in "$WORK/oit-rootfs" "$WORK/bundle/rootfs"; do
  cmp -s "$rootfs/ko-app/hello" "$go_binary" || fail "$rootfs/ko-app/hello is not the built binary"
done
echo ok
