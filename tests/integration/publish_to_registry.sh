#!/usr/bin/env bash
# <name>_publish against a real registry (docker-registry or, with REGISTRY_IMPL=ggcr,
# go-containerregistry's; plain HTTP on 127.0.0.1): one
# line on stdout, the .ref file, the digest the registry serves equals the build's, an
# unchanged image uploads nothing on the second publish, multi-platform indexes and tags,
# chunked uploads, and a clear error when no repository is configured.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
digest=$(cat "$WORK/build/hello_image.digest")

stdout=$(KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target hello_image_publish -- --quiet 2>"$WORK/publish.err")
md5=$(printf '%s' example.com/hello/cmd/hello | md5sum | cut -d' ' -f1)
expected="$REGISTRY/team/hello-$md5@$digest"
assert_eq "$stdout" "$expected" "stdout is exactly the pushed reference (ko's default naming)"
assert_eq "$(cat "$WORK/build/hello_image.ref")" "$expected" ".ref file"
assert_contains "$(cat "$WORK/publish.err")" "pushed 3 blob(s)" "progress on stderr"

served=$(skopeo inspect --raw --tls-verify=false "docker://$expected" | sha256sum | cut -d' ' -f1)
assert_eq "sha256:$served" "$digest" "the registry serves the built manifest"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY/team/hello-$md5:latest" "oci:$WORK/copy.oci:latest"
assert_eq "$(skopeo inspect "oci:$WORK/copy.oci:latest" | jq -r .Digest)" "$digest" "copy back: same digest"
oci-image-tool validate --type image --ref name=latest "$WORK/copy.oci" >/dev/null 2>&1 || fail "the pulled image does not validate"

# inspect reads a pushed image like a local layout.
inspected=$(KO_CACHE_DIR="$WORK/cache" "$KO_IMAGE" inspect "$expected")
assert_contains "$inspected" "$digest" "inspect of a reference shows its digest"
assert_contains "$inspected" "entrypoint: /ko-app/hello" "inspect shows the config"
assert_eq "$(grep -c '^  layer:' <<<"$inspected")" 2 "inspect lists the layers"

# An unchanged image: only HEAD/GET requests, no uploads, and it says so.
before=$(grep -c '"[A-Z]* /v2/' "$WORK/registry/registry.log")
KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target hello_image_publish -- --quiet >/dev/null 2>"$WORK/again.err"
assert_contains "$(cat "$WORK/again.err")" "nothing to push" "second publish says so"
new_requests=$(tail -n +"$((before + 1))" "$WORK/registry/registry.log" | grep -o '"[A-Z]* /v2/[^ ]*' || true)
[[ -n "$new_requests" ]] || fail "the second publish sent no request at all"
if grep -qE '"(POST|PUT|PATCH)' <<<"$new_requests"; then fail "the second publish uploaded something: $new_requests"; fi

# Several platforms, an explicit REPOSITORY and a non-latest tag: ko's repo:tag@digest form.
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(multi_image IMPORTPATH ./cmd/hello PLATFORMS linux/amd64 linux/arm64 REPOSITORY $REGISTRY/multi TAGS v1)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
multi_digest=$(cat "$WORK/build/multi_image.digest")
stdout=$(cmake --build "$WORK/build" --target multi_image_publish -- --quiet 2>/dev/null)
assert_eq "$stdout" "$REGISTRY/multi:v1@$multi_digest" "multi-platform reference"
index=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/multi:v1")
assert_eq "sha256:$(printf '%s' "$index" | sha256sum | cut -d' ' -f1)" "$multi_digest" "the registry serves the index"
assert_eq "$(jq -r '.manifests | length' <<<"$index")" 2 "both platforms pushed"
for child in $(jq -r '.manifests[].digest' <<<"$index"); do
  skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/multi@$child" >/dev/null || fail "child $child missing"
done

# ko_publish publishes every image (one line each).
lines=$(KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target ko_publish -- --quiet 2>/dev/null | wc -l)
assert_eq "$lines" 2 "ko_publish prints one line per image"

# Large blobs go up in PATCH chunks (forced small here), to a fresh registry (go-containerregistry's
# keeps one blob store for all repositories: it would already have them).
registry_stop
registry_start "$WORK/registry-chunked"
"$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$REGISTRY/chunked" --chunk-size 1000000 \
  >"$WORK/chunked.out" 2>/dev/null
assert_eq "$(grep -c '"PATCH /v2/chunked/blobs/uploads/' "$WORK/registry-chunked/registry.log")" 3 "PATCH chunks of the 2.4 MB layer"
served=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/chunked:latest" | sha256sum | cut -d' ' -f1)
assert_eq "sha256:$served" "$digest" "chunked upload gives the same image"
skopeo copy --quiet --src-tls-verify=false "docker://$REGISTRY/chunked:latest" "oci:$WORK/chunked.oci:latest"

# No repository: a clear error at publish time (configure and build worked above).
if (unset KO_DOCKER_REPO; cmake --build "$WORK/build" --target hello_image_publish >"$WORK/norepo.log" 2>&1); then
  fail "publishing without a repository succeeded"
fi
assert_contains "$(cat "$WORK/norepo.log")" "no repository to publish hello_image to: set KO_DOCKER_REPO" "no-repository error"
echo "ok"
