#!/usr/bin/env bash
# Several IMPORTPATHs in one image: one layer per binary, the first is the Entrypoint, all
# are in /ko-app (on PATH); KODATA comes with the first; ko:// of either resolves to the
# image; editing one binary's source changes only its layer.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<'CMAKE'
ko_image(tools_image IMPORTPATH ./cmd/hello example.com/hello/cmd/healthcheck)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" --target tools_image >/dev/null || fail "building an image of two binaries failed"
layout="$WORK/build/tools_image.oci"
oci-image-tool validate --type image --ref name=latest "$layout" >/dev/null 2>&1 || fail "the image does not validate"
manifest=$(cat "$(blob "$layout" "$(cat "$WORK/build/tools_image.digest")")")
assert_eq "$(jq -r '.layers | length' <<<"$manifest")" 3 "static base + one layer per binary"
config=$(skopeo inspect --config "oci:$layout:latest")
assert_eq "$(jq -c .config.Entrypoint <<<"$config")" '["/ko-app/hello"]' "the first binary is the Entrypoint"
assert_eq "$(jq -r '[.history[].comment // empty] | join(",")' <<<"$config")" \
  "ko-image: /ko-app/hello,ko-image: /ko-app/healthcheck" "one history entry per binary"
umoci unpack --rootless --image "$layout:latest" "$WORK/bundle" >/dev/null 2>&1 || fail "umoci could not unpack"
[[ -x "$WORK/bundle/rootfs/ko-app/hello" && -x "$WORK/bundle/rootfs/ko-app/healthcheck" ]] || fail "a binary is missing"
[[ -f "$WORK/bundle/rootfs/var/run/ko/message.txt" ]] || fail "KODATA of the first package is missing"
assert_contains "$("$WORK/bundle/rootfs/ko-app/healthcheck" -url http://127.0.0.1:1/ 2>&1 || true)" "unhealthy" "the second binary runs"

# Editing the second binary changes its layer only.
hello_layer=$(jq -r '.layers[1].digest' <<<"$manifest")
check_layer=$(jq -r '.layers[2].digest' <<<"$manifest")
sed -i 's/"healthy"/"healthy!"/' "$WORK/src/cmd/healthcheck/main.go"
log=$(build "$WORK/build" --target tools_image)
assert_contains "$log" "go build example.com/hello/cmd/healthcheck" "the edited binary is rebuilt"
[[ "$log" != *"go build ./cmd/hello"* ]] || fail "the unchanged binary was rebuilt: $log"
manifest=$(cat "$(blob "$layout" "$(cat "$WORK/build/tools_image.digest")")")
assert_eq "$(jq -r '.layers[1].digest' <<<"$manifest")" "$hello_layer" "the first binary's layer is unchanged"
assert_ne "$(jq -r '.layers[2].digest' <<<"$manifest")" "$check_layer" "the edited binary's layer changed"

# ko:// of either binary names the image.
printf 'a: ko://./cmd/hello\nb: ko://example.com/hello/cmd/healthcheck\n' >"$WORK/src/two.yaml"
echo 'ko_resolve(two FILES two.yaml IMAGES tools_image)' >>"$WORK/src/CMakeLists.txt"
configure "$WORK/src" "$WORK/build"
grep -q -- "--image-ref-file=ko://example.com/hello/cmd/healthcheck=" "$WORK/build/build.ninja" ||
  fail "the second binary's import path is not mapped to the image"
grep -q -- "--image-ref-file=ko://./cmd/hello=" "$WORK/build/build.ninja" || fail "the first binary's ./ form is not mapped"

# Two IMPORTPATHs with the same binary name are a configure error.
echo 'ko_image(clash IMPORTPATH ./cmd/hello example.com/hello/cmd/hello)' >>"$WORK/src/CMakeLists.txt"
if cmake "$WORK/build" >"$WORK/cfg.log" 2>&1; then fail "two binaries named hello configured"; fi
assert_contains "$(tr -s ' \n' ' ' <"$WORK/cfg.log")" "two IMPORTPATHs give the binary name 'hello'" "name clash error"
echo "ok"
