#!/usr/bin/env bash
# The example image passes the independent validators and its binary runs from an
# unpacked rootfs, with KODATA at /var/run/ko and ko's config conventions.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
layout="$WORK/build/hello_image.oci"
digest=$(cat "$WORK/build/hello_image.digest")

# The digest file names the single image in the layout, tagged "latest".
assert_eq "$(jq -r '.manifests[0].digest' "$layout/index.json")" "$digest" "index.json digest"
assert_eq "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$layout/index.json")" \
  latest "ref name"
assert_eq "$(sha256sum "$(blob "$layout" "$digest")" | cut -d' ' -f1)" "${digest#sha256:}" "manifest blob hash"

oci-image-tool validate --type image --ref name=latest "$layout" >"$WORK/validate.log" 2>&1 ||
  { cat "$WORK/validate.log" >&2; fail "oci-image-tool rejected the layout"; }

inspect=$(skopeo inspect "oci:$layout:latest")
assert_eq "$(jq -r .Digest <<<"$inspect")" "$digest" "skopeo digest"
assert_eq "$(jq -r .Architecture <<<"$inspect")" "amd64" "architecture"
config=$(skopeo inspect --config "oci:$layout:latest")
assert_eq "$(jq -c .config.Entrypoint <<<"$config")" '["/ko-app/hello"]' "Entrypoint"
assert_eq "$(jq -c .config.Cmd <<<"$config")" '["--addr=:8080"]' "Cmd from ARGS"
assert_eq "$(jq -r .config.User <<<"$config")" 65532 "User"
assert_eq "$(jq -r '.config.Labels["org.opencontainers.image.source"]' <<<"$config")" \
  https://example.com/cmake-ko/examples/hello "label"
assert_contains "$(jq -r '.config.Env | join(" ")' <<<"$config")" "KO_DATA_PATH=/var/run/ko" "Env"
assert_contains "$(jq -r '.config.Env | join(" ")' <<<"$config")" ":/ko-app" "PATH"
assert_eq "$(jq -r .created <<<"$config")" "1970-01-01T00:00:00Z" "created"
assert_eq "$(jq -r '.rootfs.diff_ids | length' <<<"$config")" 2 "static base layer + app layer"
manifest=$(cat "$(blob "$layout" "$digest")")
assert_eq "$(jq -r '.annotations["org.opencontainers.image.title"]' <<<"$manifest")" hello "annotation"

umoci unpack --rootless --image "$layout:latest" "$WORK/bundle" >/dev/null 2>&1 ||
  fail "umoci could not unpack the image"
rootfs="$WORK/bundle/rootfs"
[[ -x "$rootfs/ko-app/hello" ]] || fail "/ko-app/hello missing or not executable"
assert_eq "$(stat -c %a "$rootfs/ko-app/hello")" 555 "binary mode"
assert_eq "$(cat "$rootfs/var/run/ko/message.txt")" "$(cat "$WORK/src/cmd/hello/kodata/message.txt")" "kodata file"
assert_contains "$(cat "$rootfs/etc/passwd")" "nonroot:x:65532" "static base passwd"
assert_eq "$(stat -c %a "$rootfs/tmp")" 1777 "/tmp mode"

output=$(cd "$rootfs" && GREETING=Hi KO_DATA_PATH="$rootfs/var/run/ko" ./ko-app/hello -once)
assert_contains "$output" "Hi from cmake-ko (version 1.0.0)" "program output (LDFLAGS -X applied)"
assert_contains "$output" "Served from /var/run/ko" "program read its kodata"
echo "ok: $digest"
