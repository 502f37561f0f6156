#!/usr/bin/env bash
# ko_publish against a real registry: one helper run publishes every ko_image() of a
# project (here four, two platforms each, from a generated stdlib-only Go module) over a
# few reused connections; one line per image on stdout, in the order the images were
# defined, each the digest the build made; a second run with nothing changed sends only
# GET/HEAD requests; an image that cannot be published does not stop the others.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
registry_start "$WORK/registry" --log-level info  # info: each request's client port is logged
log="$WORK/registry/registry.log"

names=(alpha beta gamma delta)
mkdir -p "$WORK/src"
printf 'module example.com/many\n\ngo 1.19\n' >"$WORK/src/go.mod"
for n in "${names[@]}"; do
  mkdir -p "$WORK/src/cmd/$n"
  printf 'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("%s\\n") }\n' "$n" \
    >"$WORK/src/cmd/$n/main.go"
done
cat >"$WORK/src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(many LANGUAGES NONE)
find_package(KoImage REQUIRED)
foreach(n alpha beta gamma)
  ko_image(\${n}_image IMPORTPATH ./cmd/\${n} PLATFORMS linux/amd64 linux/arm64)
endforeach()
ko_image(delta_image IMPORTPATH ./cmd/delta PLATFORMS linux/amd64 linux/arm64 REPOSITORY $REGISTRY/fixed/delta)
CMAKE
configure "$WORK/src" "$WORK/build"
before=$(wc -l <"$log")
build "$WORK/build" >/dev/null || fail "the build failed"
assert_eq "$(wc -l <"$log")" "$before" "a normal build publishes nothing (ko_publish is not in all)"
for n in "${names[@]}"; do
  [[ -f "$WORK/build/${n}_image.publish-args" ]] || fail "no ${n}_image.publish-args"
  [[ ! -e "$WORK/build/${n}_image.ref" ]] || fail "a normal build wrote ${n}_image.ref"
done

expected=()
for n in "${names[@]}"; do
  digest=$(cat "$WORK/build/${n}_image.digest")
  if [[ $n == delta ]]; then
    expected+=("$REGISTRY/fixed/delta@$digest")
  else
    md5=$(printf '%s' "example.com/many/cmd/$n" | md5sum | cut -d' ' -f1)
    expected+=("$REGISTRY/team/$n-$md5@$digest")
  fi
done

# First publish: everything goes up.
start=$(wc -l <"$log")
t0=$(date +%s%N)
KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target ko_publish -- --quiet \
  >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "ko_publish failed"; }
t1=$(date +%s%N)
end=$(wc -l <"$log")
mapfile -t lines <"$WORK/out"
assert_eq "${#lines[@]}" 4 "one line per image on stdout"
for i in "${!names[@]}"; do
  n=${names[$i]}
  assert_eq "${lines[$i]}" "${expected[$i]}" "line $((i + 1)) is the pushed reference of ${n}_image"
  assert_eq "$(cat "$WORK/build/${n}_image.ref")" "${expected[$i]}" "${n}_image.ref"
  index=$(skopeo inspect --raw --tls-verify=false "docker://${expected[$i]}")
  assert_eq "sha256:$(printf '%s' "$index" | sha256sum | cut -d' ' -f1)" "${expected[$i]##*@}" \
    "the registry serves ${n}_image's index"
  for child in $(jq -r '.manifests[].digest' <<<"$index"); do
    skopeo inspect --raw --tls-verify=false "docker://${expected[$i]%@*}@$child" >/dev/null ||
      fail "${n}_image: child manifest $child missing"
  done
done

# One helper run did it, over a few connections that carried many requests each.
summary=$(grep 'ko-image: published' "$WORK/err") || fail "no summary line: $(cat "$WORK/err")"
assert_eq "$(wc -l <<<"$summary")" 1 "one helper process published all images"
assert_contains "$summary" "published 4 of 4 image(s)" "summary"
published=$(sed -n "$((start + 1)),${end}p" "$log")
requests=$(grep -c '"[A-Z]* /v2/' <<<"$published")
# The request lines of level info carry the client's port (not every request has one).
connections=$(grep -o 'http.request.remoteaddr="[^"]*"' <<<"$published" | sort -u | wc -l)
echo "first ko_publish: $requests requests over $connections connections in $(((t1 - t0) / 1000000)) ms; $summary" >&2
((requests >= 60)) || fail "expected at least 60 requests for 4 images of 2 platforms, got $requests"
((connections * 4 <= requests)) || fail "connections were not reused: $requests requests over $connections connections"
((connections <= 12)) || fail "too many connections: $connections (parallelism is 8)"
# The shared static base layer is uploaded once, then mounted into the other repositories.
base_layer=$(jq -r '.layers[0].digest' "$(blob "$WORK/build/alpha_image.oci" "$(manifest_for "$WORK/build/alpha_image.oci" amd64)")")
uploads=$(grep -c "http.request.method=PUT .*uri=\"\?/v2/[^ ]*/blobs/uploads/[^ ]*digest=$base_layer" <<<"$published" || true)
assert_eq "$uploads" 1 "the shared base layer is uploaded once"
if [[ $REGISTRY_IMPL == ggcr ]]; then  # one blob store for all repositories: nothing to mount
  assert_contains "$(cat "$WORK/err")" "mounted 0" "the other repositories find it in place"
else
  assert_contains "$(cat "$WORK/err")" "mounted 1" "and mounted into the other repositories"
fi

# Second publish, nothing changed: only GET/HEAD requests, one line per image still.
start=$(wc -l <"$log")
KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target ko_publish -- --quiet \
  >"$WORK/out2" 2>"$WORK/err2" || { cat "$WORK/err2" >&2; fail "the second ko_publish failed"; }
assert_eq "$(cat "$WORK/out2")" "$(cat "$WORK/out")" "the same references again"
assert_eq "$(grep -c 'nothing to push' "$WORK/err2")" 4 "every image says it had nothing to push"
again=$(tail -n +"$((start + 1))" "$log" | grep -o 'http.request.method=[A-Z]*' | sort | uniq -c || true)
[[ -n "$again" ]] || fail "the second ko_publish sent no request at all"
if grep -qE 'method=(POST|PUT|PATCH|DELETE)' <<<"$again"; then fail "the second ko_publish changed something: $again"; fi

# <name>_publish still publishes one image, from the same args file.
one=$(KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target beta_image_publish -- --quiet 2>/dev/null)
assert_eq "$one" "${expected[1]}" "beta_image_publish"

# An image that cannot be published (no repository without KO_DOCKER_REPO) fails alone:
# the others are published, the failure is named, the exit is nonzero.
if (unset KO_DOCKER_REPO; cmake --build "$WORK/build" --target ko_publish -- --quiet >"$WORK/out3" 2>"$WORK/err3"); then
  fail "ko_publish without KO_DOCKER_REPO succeeded"
fi
assert_eq "$(grep '@sha256:' "$WORK/out3")" "${expected[3]}" "the image with a REPOSITORY was still published"
for n in alpha beta gamma; do
  assert_contains "$(cat "$WORK/err3")" "error: ${n}_image: no repository to publish ${n}_image to" "${n}_image's error"
done
echo "ok"
