#!/usr/bin/env bash
# Publishing to a TLS registry with htpasswd auth: credentials from config.json and from a
# credential helper work, wrong or missing ones fail clearly, an untrusted certificate is
# reported as such, and the password appears nowhere in the build dir or the output.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
password="pw-$RANDOM-s3cret"
registry_start "$WORK/registry" --tls --htpasswd alice "$password"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
digest=$(cat "$WORK/build/hello_image.digest")
publish() {  # publishes hello_image to $REGISTRY/$1; output to $WORK/out.log
  KO_DOCKER_REPO="$REGISTRY/$1" cmake --build "$WORK/build" --target hello_image_publish -- --quiet >"$WORK/out.log" 2>&1
}

export SSL_CERT_FILE="$REGISTRY_CA"
export DOCKER_CONFIG="$WORK/docker"
mkdir -p "$DOCKER_CONFIG"

# No credentials at all.
echo '{}' >"$DOCKER_CONFIG/config.json"
if publish anonymous; then fail "an anonymous push to an htpasswd registry succeeded"; fi
assert_contains "$(cat "$WORK/out.log")" "needs a user name and password" "missing credentials"

# Wrong password in config.json.
printf '{"auths": {"%s": {"auth": "%s"}}}' "$REGISTRY" "$(printf 'alice:wrong' | base64)" >"$DOCKER_CONFIG/config.json"
if publish wrong; then fail "a wrong password was accepted"; fi
assert_contains "$(cat "$WORK/out.log")" "refused the credentials" "wrong password"

# Right password in config.json.
printf '{"auths": {"%s": {"auth": "%s"}}}' "$REGISTRY" "$(printf 'alice:%s' "$password" | base64)" >"$DOCKER_CONFIG/config.json"
publish config || { cat "$WORK/out.log" >&2; fail "publish with config.json credentials failed"; }
assert_contains "$(cat "$WORK/out.log")" "$REGISTRY/config/hello-" "reference printed"
served=$(skopeo inspect --raw --tls-verify=false --creds "alice:$password" \
  "docker://$(cat "$WORK/build/hello_image.ref")" | sha256sum | cut -d' ' -f1)
assert_eq "sha256:$served" "$digest" "the TLS registry serves the built manifest"

# A credential helper (docker-credential-<name> get, server on stdin, JSON on stdout).
mkdir -p "$WORK/bin"
cat >"$WORK/bin/docker-credential-kotest" <<HELPER
#!/bin/sh
[ "\$1" = get ] || exit 1
read -r server
echo "\$server" >"$WORK/helper-asked"
printf '{"ServerURL":"%s","Username":"alice","Secret":"%s"}' "\$server" "$password"
HELPER
chmod +x "$WORK/bin/docker-credential-kotest"
printf '{"credHelpers": {"%s": "kotest"}}' "$REGISTRY" >"$DOCKER_CONFIG/config.json"
PATH="$WORK/bin:$PATH" publish helper || { cat "$WORK/out.log" >&2; fail "publish through a credential helper failed"; }
assert_eq "$(cat "$WORK/helper-asked")" "$REGISTRY" "the helper was asked for this registry"

# A configured helper that is not installed.
printf '{"credHelpers": {"%s": "nosuch"}}' "$REGISTRY" >"$DOCKER_CONFIG/config.json"
if publish missing-helper; then fail "a missing credential helper was ignored"; fi
assert_contains "$(cat "$WORK/out.log")" "docker-credential-nosuch" "names the missing helper"

# Without the CA the certificate is not trusted, and we say so (no silent HTTP fallback).
printf '{"auths": {"%s": {"auth": "%s"}}}' "$REGISTRY" "$(printf 'alice:%s' "$password" | base64)" >"$DOCKER_CONFIG/config.json"
if (unset SSL_CERT_FILE; publish untrusted); then fail "an untrusted certificate was accepted"; fi
assert_contains "$(cat "$WORK/out.log")" "is not trusted" "untrusted certificate"

# The password never reaches the build tree or the output.
if grep -rqF "$password" "$WORK/build" "$WORK/out.log" "$WORK/build.configure.log"; then
  fail "the password was written to the build dir or printed"
fi
echo "ok"
