#!/usr/bin/env bash
# ko_resolve(): `cmake --build --target deploy` publishes and writes the Kubernetes and
# Cloud Run YAML with ko:// replaced by the references the registry serves; nothing else in
# the files changes. `ko-image resolve -f -` works in a pipe; an unknown ko:// path fails.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
KO_DOCKER_REPO="$REGISTRY/deploy" cmake --build "$WORK/build" --target deploy deploy_cloudrun >/dev/null 2>&1 ||
  fail "the deploy targets failed"
ref=$(cat "$WORK/build/hello_image.ref")
served=$(skopeo inspect --raw --tls-verify=false "docker://$ref" | sha256sum | cut -d' ' -f1)
assert_eq "${ref##*@}" "sha256:$served" "the reference names what the registry serves"

# Exactly the image lines changed, to exactly the pushed reference.
changed=$(diff "$WORK/src/deploy/kubernetes.yaml" "$WORK/build/deploy.yaml" | grep '^>' || true)
assert_eq "$changed" ">           image: $ref" "kubernetes.yaml: only the image value changes"
changed=$(diff "$WORK/src/deploy/cloudrun.yaml" "$WORK/build/deploy_cloudrun.yaml" | grep '^>' || true)
assert_eq "$changed" ">         - image: \"$ref\"" "cloudrun.yaml: the quoted ./cmd/hello form, quotes kept"
assert_eq "$(diff "$WORK/src/deploy/kubernetes.yaml" "$WORK/build/deploy.yaml" | grep -c '^<')" 1 "one line replaced"

# The helper in a pipe, as `ko resolve -f - | kubectl apply -f -` is used.
piped=$(cat "$WORK/src/deploy/kubernetes.yaml" | "$KO_IMAGE" resolve -f - --image "ko://example.com/hello/cmd/hello=$ref")
assert_eq "$piped" "$(cat "$WORK/build/deploy.yaml")" "resolve -f - gives the same YAML"

# A ko:// path no ko_image() builds: file, line and path in one error, no output file.
printf 'kind: Pod\nspec:\n  containers:\n  - image: ko://example.com/hello/cmd/other\n' >"$WORK/src/deploy/pod.yaml"
cat >>"$WORK/src/CMakeLists.txt" <<'CMAKE'
ko_resolve(broken FILES deploy/pod.yaml)
CMAKE
configure "$WORK/src" "$WORK/build"
if log=$(KO_DOCKER_REPO="$REGISTRY/broken" build "$WORK/build" --target broken); then fail "an unknown ko:// path resolved"; fi
assert_contains "$log" "pod.yaml:4: ko://example.com/hello/cmd/other has no ko_image()" "missing image error"
[[ ! -e "$WORK/build/broken.yaml" ]] || fail "a partial output was written"
# ...found before anything was pushed.
catalog=$(curl -fsS "http://$REGISTRY/v2/_catalog")
[[ $catalog != *'"broken/'* ]] || fail "images were pushed before the YAML was checked: $catalog"

# Text that is not YAML is refused with file and line, by the helper and by ko_resolve().
printf 'kind: Pod\nspec:\n  containers:\n  - image: "ko://./cmd/hello\n' >"$WORK/src/deploy/pod.yaml"
if log=$("$KO_IMAGE" resolve -f "$WORK/src/deploy/pod.yaml" --image "ko://./cmd/hello=$ref" 2>&1); then
  fail "resolve accepted an unterminated quote"
fi
assert_contains "$log" "pod.yaml:4:12: not valid YAML: while scanning a quoted scalar" "unterminated quote"
if log=$(KO_DOCKER_REPO="$REGISTRY/broken" build "$WORK/build" --target broken); then fail "invalid YAML resolved"; fi
assert_contains "$log" "pod.yaml:4:12: not valid YAML" "ko_resolve() names the file and line"
catalog=$(curl -fsS "http://$REGISTRY/v2/_catalog")
[[ $catalog != *'"broken/'* ]] || fail "images were pushed for invalid YAML: $catalog"
echo "ok"
