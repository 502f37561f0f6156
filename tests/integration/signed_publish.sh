#!/usr/bin/env bash
# Signed on publish: with SIGNING_KEY (or KO_SIGNING_KEY from the environment) the publish
# signs every manifest it pushes — the image, a two-platform index and each of its images,
# the SBOMs — in cosign's format, checked by cosign v2.4.1 itself (the fixture
# integration.cosign_setup builds it) and by `ko-image verify --key`, against each
# registry implementation of tests/support/registry.sh. Deterministic: a second publish
# uploads nothing. A signature cosign made first is kept. Unusable keys fail before any
# push; the key's bytes are never in the build tree or the output. A wrong key, a
# missing signature and a tampered payload each fail both verifiers.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
source "$KO_SOURCE_DIR/tests/support/cosign.sh"
trap 'proxy_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

COSIGN=$(cosign_path)
[[ -x "$COSIGN" ]] || fail "cosign $COSIGN_VERSION is missing at $COSIGN: the CTest fixture integration.cosign_setup builds it (bash tests/support/cosign.sh install)"
export KO_CACHE_DIR="$WORK/cache" COSIGN_PASSWORD="" COSIGN_YES=true
unset KO_SIGNING_KEY KO_DOCKER_REPO

# Keys: PKCS#8 (openssl genpkey) and SEC1 (openssl ecparam), another P-256 key, unusable ones.
keys="$WORK/keys"
mkdir -p "$keys"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$keys/pkcs8.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$keys/sec1.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$keys/other.pem" 2>/dev/null
for key in pkcs8 sec1 other; do openssl pkey -in "$keys/$key.pem" -pubout -out "$keys/$key.pub" 2>/dev/null; done
assert_eq "$(head -1 "$keys/pkcs8.pem")" "-----BEGIN PRIVATE KEY-----" "a PKCS#8 key"
assert_eq "$(head -1 "$keys/sec1.pem")" "-----BEGIN EC PRIVATE KEY-----" "a SEC1 key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$keys/p384.pem" 2>/dev/null
(cd "$keys" && "$COSIGN" generate-key-pair >/dev/null 2>&1) || fail "cosign generate-key-pair failed"
secrets=("$(sed -n 2p "$keys/pkcs8.pem")" "$(sed -n 2p "$keys/sec1.pem")")  # a line of each key

no_secret_in() {  # FILE-OR-DIR WHAT
  local secret
  for secret in "${secrets[@]}"; do
    if grep -rqF -- "$secret" "$1"; then fail "$2 holds bytes of a private key"; fi
  done
}

copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(multi_image IMPORTPATH ./cmd/hello PLATFORMS linux/amd64 linux/arm64 TAGS v1 SIGNING_KEY $keys/pkcs8.pem)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
assert_contains "$(cat "$WORK/build/multi_image.publish-args")" "--signing-key=$keys/pkcs8.pem" "the key's path is a publish flag"
if grep -q -- "--signing-key" "$WORK/build/hello_image.publish-args"; then
  fail "hello_image has no SIGNING_KEY: its key comes from the environment when publishing"
fi

cosign_verify() {  # PUBLIC-KEY REF [cosign flags...]: prints cosign's payload JSON
  "$COSIGN" verify --key "$1" --insecure-ignore-tlog=true --allow-http-registry "${@:3}" "$2" 2>"$WORK/cosign.err"
}

sig_tag_digest() {  # REPO-PATH DIGEST: the digest of the signature manifest tagged for DIGEST
  curl -fsS -o /dev/null -w '%header{docker-content-digest}' -H "Accept: application/vnd.oci.image.manifest.v1+json" \
    -I "http://$REGISTRY/v2/$1/manifests/sha256-${2#sha256:}.sig"
}

repository_of() {  # REF (registry/repo[:tag]@digest): registry/repo
  local r=${1%@*}
  [[ "${r##*/}" != *:* ]] || r=${r%:*}
  echo "$r"
}

uploads_since() {  # LOG LINE-COUNT: the POST/PUT/PATCH requests logged after that line
  tail -n +"$(($2 + 1))" "$1" | grep -oE '"(POST|PUT|PATCH) /v2/[^ ]*' || true
}

# tamper_payload REPO-PATH DIGEST: replaces the payload of DIGEST's signature with an edited
# copy (another docker-reference), keeping the signature annotation, as an attacker could.
tamper_payload() {
  local path=$1 digest=$2 tag manifest layer new size location
  tag="sha256-${digest#sha256:}.sig"
  manifest=$(curl -fsS -H "Accept: application/vnd.oci.image.manifest.v1+json" "http://$REGISTRY/v2/$path/manifests/$tag")
  layer=$(jq -r '.layers[-1].digest' <<<"$manifest")
  curl -fsS "http://$REGISTRY/v2/$path/blobs/$layer" |
    sed 's#"docker-reference":"[^"]*"#"docker-reference":"evil.example/app"#' >"$WORK/tampered"
  new="sha256:$(sha256sum <"$WORK/tampered" | cut -c1-64)"
  size=$(stat -c %s "$WORK/tampered")
  location=$(curl -fsS -X POST -D - -o /dev/null "http://$REGISTRY/v2/$path/blobs/uploads/" |
    tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
  [[ "$location" == http* ]] || location="http://$REGISTRY$location"
  [[ "$location" == *\?* ]] && location+="&" || location+="?"
  curl -fsS -X PUT -H "Content-Type: application/octet-stream" --data-binary @"$WORK/tampered" \
    "${location}digest=$new" >/dev/null
  jq -c --arg d "$new" --argjson s "$size" '.layers[-1].digest = $d | .layers[-1].size = $s' \
    <<<"$manifest" >"$WORK/tampered.json"
  curl -fsS -X PUT -H "Content-Type: application/vnd.oci.image.manifest.v1+json" \
    --data-binary @"$WORK/tampered.json" "http://$REGISTRY/v2/$path/manifests/$tag" >/dev/null
}

# Keys that cannot sign: one line each, before anything is pushed, no key bytes in it.
check_unusable_keys() {
  local case file expected
  for case in "rsa.pem|is an RSA key" "p384.pem|is an EC key on secp384r1" "pkcs8.pub|is a public key" \
    "missing.pem|does not exist" "cosign.key|is a cosign-encrypted key"; do
    file=${case%%|*} expected=${case#*|}
    if "$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$REGISTRY/never" \
      --signing-key "$keys/$file" >/dev/null 2>"$WORK/err"; then
      fail "publish with $file succeeded"
    fi
    assert_eq "$(wc -l <"$WORK/err")" 1 "one line for $file"
    assert_contains "$(cat "$WORK/err")" "$keys/$file $expected" "the error for $file"
  done
  if KO_SIGNING_KEY="$keys/missing.pem" KO_DOCKER_REPO="$REGISTRY/never" \
    cmake --build "$WORK/build" --target hello_image_publish >"$WORK/out" 2>&1; then
    fail "hello_image_publish with a missing KO_SIGNING_KEY succeeded"
  fi
  assert_contains "$(cat "$WORK/out")" "signing key $keys/missing.pem does not exist" "KO_SIGNING_KEY read when publishing"
  assert_eq "$(curl -fsS "http://$REGISTRY/v2/_catalog" | jq -c .repositories)" "[]" "nothing was pushed with an unusable key"
}

# A registry that refuses the signature fails the publish: an unsigned image would be turned
# away by a cluster that admits only signed ones, so CI must not carry on.
check_refused_signature() {
  echo '[{"method": "PUT", "path": "/manifests/sha256-[0-9a-f]+\\.sig$", "action": "status", "status": 400, "times": 100}]' >"$WORK/rules.json"
  proxy_start "$WORK" "$WORK/rules.json"
  if "$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$PROXY/refused" \
    --signing-key "$keys/sec1.pem" >"$WORK/out" 2>"$WORK/err"; then
    fail "a refused signature did not fail the publish"
  fi
  assert_contains "$(cat "$WORK/err")" "error: signing sha256:" "names the manifest it could not sign"
  assert_contains "$(cat "$WORK/err")" "the registry rejected manifest" "says the registry refused it"
  assert_eq "$(cat "$WORK/out")" "" "no reference printed for an image left unsigned"
  proxy_stop
}

check_registry() {  # IMPL
  local impl=$1 dir="$WORK/registry-$1" log single multi repo index digest child sboms sbom before tag_before
  REGISTRY_IMPL=$impl registry_start "$dir"
  log="$dir/registry.log"
  if [[ "$impl" == distribution ]]; then
    check_unusable_keys
    check_refused_signature
  fi

  # Publish both: multi_image signs with its SIGNING_KEY, hello_image with $KO_SIGNING_KEY.
  KO_DOCKER_REPO="$REGISTRY/s" KO_SIGNING_KEY="$keys/sec1.pem" \
    cmake --build "$WORK/build" --target ko_publish -- --quiet >"$WORK/out" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "$impl: signed publish failed"; }
  single=$(cat "$WORK/build/hello_image.ref") multi=$(cat "$WORK/build/multi_image.ref")
  no_secret_in "$WORK/out" "$impl: publish output"
  no_secret_in "$WORK/err" "$impl: publish output"
  assert_contains "$(cat "$WORK/err")" "signed 2 manifest(s) (2 new, 0 already signed)" "$impl: image + SBOM signed"
  assert_contains "$(cat "$WORK/err")" "signed 5 manifest(s) (5 new, 0 already signed)" "$impl: index, 2 images, 2 SBOMs signed"

  # cosign accepts each signature, and the claim is what cosign itself would write.
  cosign_verify "$keys/sec1.pub" "$single" >"$WORK/claims" || { cat "$WORK/cosign.err" >&2; fail "$impl: cosign rejects the image's signature"; }
  assert_eq "$(jq -r '.[0].critical.image["docker-manifest-digest"]' "$WORK/claims")" "${single#*@}" "$impl: signed digest"
  assert_eq "$(jq -r '.[0].critical.identity["docker-reference"]' "$WORK/claims")" "${single%@*}" "$impl: signed repository"
  assert_eq "$(jq -r '.[0].critical.type' "$WORK/claims")" "cosign container image signature" "$impl: payload type"
  repo=$(repository_of "$multi")
  cosign_verify "$keys/pkcs8.pub" "$multi" >/dev/null || { cat "$WORK/cosign.err" >&2; fail "$impl: cosign rejects the index's signature"; }
  index=$(curl -fsS -H "Accept: application/vnd.oci.image.index.v1+json" "http://$REGISTRY/v2/${repo#*/}/manifests/${multi#*@}")
  for child in $(jq -r '.manifests[].digest' <<<"$index"); do
    cosign_verify "$keys/pkcs8.pub" "$repo@$child" >/dev/null ||
      { cat "$WORK/cosign.err" >&2; fail "$impl: cosign rejects the signature of the index's image $child"; }
  done
  sboms=$(grep -o 'SBOM sha256:[0-9a-f]*' "$WORK/err" | cut -d' ' -f2)
  assert_eq "$(wc -w <<<"$sboms")" 3 "$impl: three SBOMs attached"
  for sbom in $sboms; do
    if cosign_verify "$keys/pkcs8.pub" "$repo@$sbom" >/dev/null || cosign_verify "$keys/sec1.pub" "${single%@*}@$sbom" >/dev/null; then
      continue
    fi
    cat "$WORK/cosign.err" >&2
    fail "$impl: cosign rejects the signature of SBOM $sbom"
  done
  if cosign_verify "$keys/other.pub" "$single" >/dev/null; then fail "$impl: cosign accepts another key"; fi

  # ko-image verify: the signatures (index and each image) and the layout, both.
  "$KO_IMAGE" verify "$multi" --key "$keys/pkcs8.pub" --layout "$WORK/build/multi_image.oci" >"$WORK/verify" ||
    { cat "$WORK/verify" >&2; fail "$impl: ko-image verify rejects the signed index"; }
  assert_contains "$(cat "$WORK/verify")" "(3 manifest(s)) has a valid signature" "$impl: verify checked the index and its images"
  assert_contains "$(cat "$WORK/verify")" "identical to" "$impl: verify compared the layout"

  # Deterministic: the same signature manifests again, and nothing uploaded.
  single_path=${single#*/}
  single_path=${single_path%@*}
  tag_before=$(sig_tag_digest "$single_path" "${single#*@}")
  [[ "$tag_before" == sha256:* ]] || fail "$impl: no signature tag for $single"
  before=$(wc -l <"$log")
  KO_DOCKER_REPO="$REGISTRY/s" KO_SIGNING_KEY="$keys/sec1.pem" \
    cmake --build "$WORK/build" --target ko_publish -- --quiet >/dev/null 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "$impl: second publish failed"; }
  assert_contains "$(cat "$WORK/err")" "signed 5 manifest(s) (0 new, 5 already signed)" "$impl: second publish signs nothing new"
  [[ -z "$(uploads_since "$log" "$before")" ]] || fail "$impl: the second publish uploaded: $(uploads_since "$log" "$before")"
  assert_eq "$(sig_tag_digest "$single_path" "${single#*@}")" "$tag_before" "$impl: the same signature manifest"

  # The OCI 1.1 referrer, where the registry has the API: with the tag deleted, cosign's
  # experimental OCI 1.1 mode still verifies it (the tag-only mode no longer does). Where it
  # has none, the signature manifest is deleted by digest. Either way the next publish signs
  # afresh, and the new signature manifest has the very same bytes (RFC 6979).
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/$single_path/referrers/${single#*@}")" == 200 ]]; then
    assert_contains "$(cat "$WORK/err")" "and referrers" "$impl: signatures attached as referrers too"
    curl -fsS -X DELETE "http://$REGISTRY/v2/$single_path/manifests/sha256-${single#*@sha256:}.sig" >/dev/null ||
      fail "$impl: cannot delete the signature tag"
    if cosign_verify "$keys/sec1.pub" "$single" >/dev/null; then fail "$impl: the tag was not deleted"; fi
    cosign_verify "$keys/sec1.pub" "$single" --experimental-oci11=true >/dev/null ||
      { cat "$WORK/cosign.err" >&2; fail "$impl: cosign --experimental-oci11 rejects the referrer"; }
  else
    assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/$single_path/referrers/${single#*@}")" 404 "$impl: no referrers API"
    if grep -q "and referrers" "$WORK/err"; then fail "$impl: claims referrers without the API"; fi
    curl -fsS -X DELETE "http://$REGISTRY/v2/$single_path/manifests/$tag_before" >/dev/null ||
      fail "$impl: cannot delete the signature manifest"
    if cosign_verify "$keys/sec1.pub" "$single" >/dev/null; then fail "$impl: the signature was not deleted"; fi
  fi
  KO_DOCKER_REPO="$REGISTRY/s" KO_SIGNING_KEY="$keys/sec1.pem" \
    cmake --build "$WORK/build" --target hello_image_publish -- --quiet >/dev/null 2>"$WORK/err"
  assert_contains "$(cat "$WORK/err")" "signed 2 manifest(s) (1 new, 1 already signed)" "$impl: signed again"
  assert_eq "$(sig_tag_digest "$single_path" "${single#*@}")" "$tag_before" "$impl: signing again gives the same signature manifest"

  # A signature cosign made before is kept beside ours; republishing adds nothing.
  digest=$(cat "$WORK/build/hello_image.digest")
  "$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$REGISTRY/merged" >/dev/null 2>&1 ||
    fail "$impl: unsigned publish failed"
  "$COSIGN" sign --key "$keys/cosign.key" --tlog-upload=false --allow-http-registry "$REGISTRY/merged@$digest" >/dev/null 2>"$WORK/cosign.err" ||
    { cat "$WORK/cosign.err" >&2; fail "$impl: cosign sign failed"; }
  "$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$REGISTRY/merged" \
    --signing-key "$keys/sec1.pem" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "$impl: signing beside cosign failed"; }
  cosign_verify "$keys/cosign.pub" "$REGISTRY/merged@$digest" >/dev/null || fail "$impl: cosign's own signature was lost"
  cosign_verify "$keys/sec1.pub" "$REGISTRY/merged@$digest" >/dev/null || fail "$impl: ours is not beside cosign's"
  assert_eq "$(curl -fsS -H "Accept: application/vnd.oci.image.manifest.v1+json" \
    "http://$REGISTRY/v2/merged/manifests/sha256-${digest#sha256:}.sig" | jq '.layers | length')" 2 "$impl: two signature layers"
  before=$(wc -l <"$log")
  "$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$REGISTRY/merged" \
    --signing-key "$keys/sec1.pem" >/dev/null 2>"$WORK/err"
  assert_contains "$(cat "$WORK/err")" "(0 new, 1 already signed)" "$impl: ours found among cosign's"
  [[ -z "$(uploads_since "$log" "$before")" ]] || fail "$impl: republishing beside cosign uploaded: $(uploads_since "$log" "$before")"

  # What verification must refuse, each with its reason.
  if "$KO_IMAGE" verify "$single" --key "$keys/other.pub" >"$WORK/verify"; then fail "$impl: verify accepts another key"; fi
  assert_contains "$(cat "$WORK/verify")" "does not verify under the key" "$impl: wrong key"
  "$KO_IMAGE" publish --layout "$WORK/build/hello_image.oci" --repository "$REGISTRY/unsigned" >/dev/null 2>&1
  if "$KO_IMAGE" verify "$REGISTRY/unsigned@$digest" --key "$keys/sec1.pub" >"$WORK/verify"; then fail "$impl: verify accepts no signature"; fi
  assert_contains "$(cat "$WORK/verify")" "is not signed: there is no sha256-${digest#sha256:}.sig tag" "$impl: missing signature"
  if cosign_verify "$keys/sec1.pub" "$REGISTRY/unsigned@$digest" >/dev/null; then fail "$impl: cosign accepts no signature"; fi
  # A valid signature copied from another repository (a replay): cosign does not compare the
  # claimed repository, ko-image verify does.
  skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false --preserve-digests \
    "docker://$REGISTRY/merged:sha256-${digest#sha256:}.sig" "docker://$REGISTRY/unsigned:sha256-${digest#sha256:}.sig" ||
    fail "$impl: cannot copy the signature"
  if "$KO_IMAGE" verify "$REGISTRY/unsigned@$digest" --key "$keys/sec1.pub" >"$WORK/verify"; then fail "$impl: verify accepts a replayed signature"; fi
  assert_contains "$(cat "$WORK/verify")" "a valid signature was made for $REGISTRY/merged, not $REGISTRY/unsigned" "$impl: replayed signature"
  tamper_payload "$single_path" "${single#*@}"
  if "$KO_IMAGE" verify "$single" --key "$keys/sec1.pub" >"$WORK/verify"; then fail "$impl: verify accepts a tampered payload"; fi
  assert_contains "$(cat "$WORK/verify")" "does not verify under the key" "$impl: tampered payload"
  if cosign_verify "$keys/sec1.pub" "$single" >/dev/null; then fail "$impl: cosign accepts a tampered payload"; fi
  if "$KO_IMAGE" verify "$single" --key "$keys/sec1.pub" --layout "$WORK/build/hello_image.oci" >"$WORK/verify"; then
    fail "$impl: verify passes on the layout alone"
  fi
  assert_contains "$(cat "$WORK/verify")" "identical to" "$impl: the layout still matches"

  registry_stop
}

# Every implementation registry.sh offers (docker-registry; go-containerregistry's, with the
# referrers API, where registry.sh has it).
implementations=(distribution)
declare -F registry_start_ggcr >/dev/null && implementations+=(ggcr)
for impl in "${implementations[@]}"; do check_registry "$impl"; done
no_secret_in "$WORK/build" "the build tree (CMakeCache, publish flags, logs)"
no_secret_in "$KO_CACHE_DIR" "the blob cache"
echo "ok (${implementations[*]})"
