#!/usr/bin/env bash
# SBOMs: an SPDX 2.3 document per platform beside the layout, deterministic; on publish it
# is attached to each platform's image (OCI 1.1 subject: listed by the referrers API of
# go-containerregistry's registry, REGISTRY_IMPL=ggcr; docker-registry 2.8 has none, so
# through the spec's sha256-<hex> referrers index and cosign's sha256-<hex>.sbom tag), as
# `oras discover` confirms; a registry that refuses it only gets a warning; SBOM none (or
# KO_DEFAULT_SBOM none) turns it off.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'proxy_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<'CMAKE'
ko_image(multi_image IMPORTPATH ./cmd/hello PLATFORMS linux/amd64 linux/arm64)
ko_image(plain_image IMPORTPATH ./cmd/hello SBOM none)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
sbom="$WORK/build/hello_image.spdx.json"
[[ -f "$sbom" ]] || fail "no SBOM beside the layout"
assert_eq "$(jq -r .spdxVersion "$sbom")" "SPDX-2.3" "spdxVersion"
assert_eq "$(jq -r .SPDXID "$sbom")" "SPDXRef-DOCUMENT" "SPDXID"
assert_eq "$(jq -r .dataLicense "$sbom")" "CC0-1.0" "dataLicense"
assert_eq "$(jq -r .creationInfo.created "$sbom")" "1970-01-01T00:00:00Z" "no wall-clock time"
assert_eq "$(jq -r '.packages[] | select(.SPDXID == "SPDXRef-Package-main") | .name' "$sbom")" "example.com/hello" "main module"
assert_contains "$(jq -r '.packages[] | select(.SPDXID == "SPDXRef-Package-go") | .versionInfo' "$sbom")" "go1." "Go version"
assert_contains "$(jq -r '.packages[0].comment' "$sbom")" "CGO_ENABLED=0" "build settings"
assert_eq "$(jq -r '[.packages[] | has("versionInfo")] | all' "$sbom")" true "every package has a version"
[[ -f "$WORK/build/multi_image-linux-arm64.spdx.json" ]] || fail "no per-platform SBOM"
assert_contains "$(jq -r '.packages[0].comment' "$WORK/build/multi_image-linux-arm64.spdx.json")" "GOARCH=arm64" "arm64 SBOM"
[[ ! -e "$WORK/build/plain_image.spdx.json" ]] || fail "SBOM none still wrote an SBOM"
configure "$WORK/src" "$WORK/again"
build "$WORK/again" >/dev/null
assert_eq "$(sha256sum <"$WORK/again/hello_image.spdx.json")" "$(sha256sum <"$sbom")" "the SBOM is deterministic"
configure "$WORK/src" "$WORK/no-sbom" -DKO_DEFAULT_SBOM=none
build "$WORK/no-sbom" >/dev/null
[[ ! -e "$WORK/no-sbom/hello_image.spdx.json" ]] || fail "KO_DEFAULT_SBOM none still wrote an SBOM"

registry_start "$WORK/registry"
oras=$(go_test_tool oras)
ref=$(KO_DOCKER_REPO="$REGISTRY/s" cmake --build "$WORK/build" --target multi_image_publish -- --quiet 2>"$WORK/err")
repo=${ref%@*}
index=$(skopeo inspect --raw --tls-verify=false "docker://$ref")
for arch in amd64 arm64; do
  child=$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture == $a) | .digest' <<<"$index")
  referrers=$(curl -s "http://$REGISTRY/v2/${repo#*/}/referrers/$child")
  if [[ $REGISTRY_IMPL == ggcr ]]; then
    # The registry indexes the artifact itself: the referrers API lists it, no tag is written.
    # (It reports each entry's artifactType from the config's media type, not the manifest's
    # artifactType — a quirk of that registry — so the entry is checked by its manifest below.)
    spec=v1.1-referrers-api
    sbom_digest=$(jq -r '.manifests[].digest' <<<"$referrers")
    assert_eq "$(wc -w <<<"$sbom_digest")" 1 "the referrers API lists one referrer of the $arch image: $referrers"
    if skopeo inspect --raw --tls-verify=false "docker://$repo:sha256-${child#sha256:}" >/dev/null 2>&1; then
      fail "a referrers tag was written although the registry has the referrers API"
    fi
  else
    # No referrers API (404): the spec's referrers tag schema, an index tagged sha256-<hex>, and
    # cosign's sha256-<hex>.sbom tag.
    spec=v1.1-referrers-tag
    [[ -z "$referrers" || "$referrers" != *spdx* ]] || fail "docker-registry 2.8 answered the referrers API: $referrers"
    tagged=$(skopeo inspect --raw --tls-verify=false "docker://$repo:sha256-${child#sha256:}") ||
      fail "no referrers index tagged sha256-<hex> for the $arch image"
    assert_eq "$(jq -r .mediaType <<<"$tagged")" "application/vnd.oci.image.index.v1+json" "referrers index type"
    sbom_digest=$(jq -r '.manifests[] | select(.artifactType == "application/spdx+json") | .digest' <<<"$tagged")
    [[ -n "$sbom_digest" ]] || fail "the referrers index does not list the $arch SBOM: $tagged"
    cosign_tag=$(skopeo inspect --raw --tls-verify=false "docker://$repo:sha256-${child#sha256:}.sbom") ||
      fail "no SBOM tag for the $arch image"
    assert_eq "sha256:$(printf '%s' "$cosign_tag" | sha256sum | cut -d' ' -f1)" "$sbom_digest" "the .sbom tag names the SBOM"
  fi
  artifact=$(skopeo inspect --raw --tls-verify=false "docker://$repo@$sbom_digest") || fail "no $arch SBOM manifest"
  assert_eq "$(jq -r .artifactType <<<"$artifact")" "application/spdx+json" "$arch artifactType"
  assert_eq "$(jq -r .subject.digest <<<"$artifact")" "$child" "$arch SBOM subject is the platform's image"
  layer=$(jq -r '.layers[0].digest' <<<"$artifact")
  served=$(curl -fsS "http://$REGISTRY/v2/${repo#*/}/blobs/$layer" | sha256sum | cut -d' ' -f1)
  assert_eq "sha256:$served" "sha256:$(sha256sum <"$WORK/build/multi_image-linux-$arch.spdx.json" | cut -d' ' -f1)" \
    "$arch SBOM bytes in the registry"
  # An independent OCI 1.1 client finds it the same way.
  discovered=$("$oras" discover --plain-http --distribution-spec "$spec" --format json "$repo@$child") ||
    fail "oras discover ($spec) failed for the $arch image"
  assert_eq "$(jq -r '[.referrers[].digest] | join(" ")' <<<"$discovered")" \
    "$sbom_digest" "oras discover --distribution-spec $spec lists the $arch SBOM"
done
assert_contains "$(cat "$WORK/err")" "attached the linux/amd64 SBOM" "the first publish attaches"
# Publishing again finds every SBOM attached: only GET/HEAD requests, and it says so
# instead of claiming to attach them.
before=$(grep -c '"[A-Z]* /v2/' "$WORK/registry/registry.log")
KO_DOCKER_REPO="$REGISTRY/s" cmake --build "$WORK/build" --target multi_image_publish -- --quiet >/dev/null 2>"$WORK/err2"
if tail -n +"$((before + 1))" "$WORK/registry/registry.log" | grep -qE '"(POST|PUT|PATCH) /v2/'; then
  fail "the second publish uploaded something"
fi
assert_contains "$(cat "$WORK/err2")" "found the linux/amd64 SBOM" "second publish: SBOM found"
assert_contains "$(cat "$WORK/err2")" "already present" "second publish: already present"
[[ $(cat "$WORK/err2") != *"attached the"* ]] || fail "second publish claims to attach: $(cat "$WORK/err2")"

# A registry that refuses the SBOM (its manifest, by digest or tag, not the image's): the
# image is still published, with a warning.
image_hex=$(cut -d: -f2 "$WORK/build/hello_image.digest")
echo '[{"method": "PUT", "path": "/manifests/sha256(-|:(?!'"$image_hex"'))", "action": "status", "status": 400, "times": 10}]' \
  >"$WORK/rules.json"
proxy_start "$WORK" "$WORK/rules.json"
ref=$("$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$PROXY/refuses" \
  --sbom "linux/amd64=$sbom" 2>"$WORK/err") || { cat "$WORK/err" >&2; fail "a refused SBOM failed the publish"; }
assert_eq "$ref" "$PROXY/refuses@$(cat "$WORK/build/hello_image.digest")" "the image reference"
assert_contains "$(cat "$WORK/err")" "warning: could not attach the linux/amd64 SBOM" "warning"
assert_contains "$(cat "$WORK/err")" "Pass SBOM none" "says how to turn SBOMs off"
echo "ok"
