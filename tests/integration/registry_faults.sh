#!/usr/bin/env bash
# A flaky registry: a fault-injecting proxy in front of a real one answers 429 with
# Retry-After, 500 once, and drops a connection in the middle of a blob upload. Publishing
# still succeeds and the registry holds a valid image. A 4xx is not retried and is reported
# with the registry's error code.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'proxy_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
digest=$(cat "$WORK/build/hello_image.digest")
layout="$WORK/build/hello_image.oci"

cat >"$WORK/rules.json" <<'JSON'
[
  {"method": "HEAD", "path": "/manifests/", "action": "status", "status": 429, "headers": {"Retry-After": "1"}},
  {"method": "POST", "path": "/blobs/uploads/", "action": "status", "status": 500},
  {"method": "PUT", "path": "/blobs/uploads/", "action": "drop"},
  {"method": "PUT", "path": "/manifests/latest", "action": "status", "status": 503}
]
JSON
proxy_start "$WORK" "$WORK/rules.json"
start=$(date +%s%N)
"$KO_IMAGE" publish --layout "$layout" --repository "$PROXY/flaky" >"$WORK/ref" 2>"$WORK/err" ||
  { cat "$WORK/err" >&2; fail "publish through the flaky proxy failed"; }
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
assert_eq "$(cat "$WORK/ref")" "$PROXY/flaky@$digest" "reference"
for fault in "HEAD .*/manifests/.* 429" "POST .*/blobs/uploads/ 500" "PUT .*/blobs/uploads/.* 0" "PUT .*/manifests/latest 503"; do
  grep -qE "^$fault\$" "$WORK/proxy.log" || fail "the fault '$fault' was not injected: $(cat "$WORK/proxy.log")"
done
((elapsed_ms >= 1000)) || fail "Retry-After: 1 was not honoured (took ${elapsed_ms} ms)"

# The registry itself (not the proxy) holds a complete, valid image.
served=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/flaky:latest" | sha256sum | cut -d' ' -f1)
assert_eq "sha256:$served" "$digest" "the registry holds the image"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY/flaky:latest" "oci:$WORK/copy.oci:latest"
oci-image-tool validate --type image --ref name=latest "$WORK/copy.oci" >/dev/null 2>&1 || fail "the pushed image is not valid"
proxy_stop

# A 400 with an error body is reported, not retried.
cat >"$WORK/rules.json" <<'JSON'
[{"method": "PUT", "path": "/manifests/", "action": "status", "status": 400, "times": 10,
  "body": "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\"}]}"}]
JSON
: >"$WORK/proxy.log"
proxy_start "$WORK" "$WORK/rules.json"
if "$KO_IMAGE" publish --layout "$layout" --repository "$PROXY/rejected" >/dev/null 2>"$WORK/err"; then
  fail "a rejected manifest was reported as published"
fi
assert_contains "$(cat "$WORK/err")" "MANIFEST_INVALID: manifest invalid" "the registry's error code and message"
assert_eq "$(grep -c '^PUT .*/manifests/' "$WORK/proxy.log")" 1 "a 4xx is not retried"
echo "ok"
