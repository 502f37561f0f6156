#!/usr/bin/env bash
# The bearer-token flow the big registries use (Docker Hub, GHCR, GCR): a token-demanding
# front (the test proxy in --bearer mode, in front of a real docker-registry) challenges
# with WWW-Authenticate: Bearer realm/service/scope. Pulls get anonymous tokens; pushes need
# a token obtained with Basic credentials from config.json; one token per scope set per run.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'proxy_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry"
echo '[]' >"$WORK/rules.json"
proxy_start "$WORK" "$WORK/rules.json" --bearer "bob:t0ken-pass"
export DOCKER_CONFIG="$WORK/docker" KO_CACHE_DIR="$WORK/cache"
mkdir -p "$DOCKER_CONFIG"
echo '{}' >"$DOCKER_CONFIG/config.json"

# Anonymous pull of a base image through the token flow.
"$KO_IMAGE" static-base --output "$WORK/base.oci" --data "$KO_SOURCE_DIR/tool/static-base"
skopeo copy --quiet --multi-arch all --dest-tls-verify=false "oci:$WORK/base.oci:latest" "docker://$REGISTRY/base:v1"
copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(bearer_image IMPORTPATH ./cmd/hello BASE $PROXY/base:v1 REPOSITORY $PROXY/apps/hello)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" --target bearer_image >/dev/null || fail "pulling the base anonymously failed"
grep -q "^TOKEN repository:base:pull 200$" "$WORK/proxy.log" || fail "no anonymous pull token: $(cat "$WORK/proxy.log")"

# Push without credentials: the token server refuses, and we say so.
if cmake --build "$WORK/build" --target bearer_image_publish >"$WORK/out.log" 2>&1; then
  fail "an unauthenticated push succeeded"
fi
assert_contains "$(cat "$WORK/out.log")" "refused the credentials" "push without credentials"

# With credentials: one push token for the run, covering the push and the base mount.
printf '{"auths": {"%s": {"auth": "%s"}}}' "$PROXY" "$(printf 'bob:t0ken-pass' | base64)" >"$DOCKER_CONFIG/config.json"
: >"$WORK/proxy.log"
ref=$(cmake --build "$WORK/build" --target bearer_image_publish -- --quiet 2>"$WORK/err") ||
  { cat "$WORK/err" >&2; fail "publish with bearer tokens failed"; }
assert_eq "$ref" "$PROXY/apps/hello@$(cat "$WORK/build/bearer_image.digest")" "reference"
assert_eq "$(grep -c '^TOKEN ' "$WORK/proxy.log")" 1 "one token for the whole push"
grep -q "^TOKEN repository:apps/hello:push,pull repository:base:pull 200$" "$WORK/proxy.log" ||
  fail "the token did not cover push and the mount source: $(grep TOKEN "$WORK/proxy.log")"
assert_contains "$(cat "$WORK/err")" "mounted 1" "base layer mounted with the token's pull scope"
served=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/apps/hello:latest" | sha256sum | cut -d' ' -f1)
assert_eq "sha256:$served" "$(cat "$WORK/build/bearer_image.digest")" "the registry holds the image"
echo "ok"
