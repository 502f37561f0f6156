#!/usr/bin/env bash
# Docker as a real client of our images, with a private dockerd (tests/support/dockerd.sh):
# `docker load` + `docker run --network none` of <name>_tarball; `docker pull` + `docker run`
# of a published image, one platform and a two-platform index; KO_DOCKER_REPO=ko.local and
# <name>_load put images straight into the daemon through the Engine API (only the reference
# on stdout, ko's ko.local/<name>:<manifest hex>); a daemon that is not there is a clear error.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
source "$KO_SOURCE_DIR/tests/support/dockerd.sh"
trap 'dockerd_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
dockerd_start "$WORK/docker" || exit $?
registry_start "$WORK/registry"

copy_example hello "$WORK/src"
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(multi_image IMPORTPATH ./cmd/hello PLATFORMS linux/amd64 linux/arm64 REPOSITORY $REGISTRY/multi)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
expect_greeting() {  # output what
  assert_contains "$1" "Hello from cmake-ko (version " "$2: the program's output"
  assert_contains "$1" "Served from /var/run/ko" "$2: the program read its kodata (KO_DATA_PATH)"
}
amd64_of() { manifest_for "$WORK/build/$1.oci" amd64; }

# The tarball: docker load, then run it without a network.
build "$WORK/build" --target hello_image_tarball >/dev/null
loaded=$("$DOCKER" load -i "$WORK/build/hello_image.tar")
assert_contains "$loaded" "Loaded image: ko.local/hello_image:latest" "docker load"
expect_greeting "$("$DOCKER" run --rm --network none ko.local/hello_image:latest -once)" "docker run of the tarball"
assert_eq "$("$DOCKER" image inspect -f '{{.Config.Entrypoint}}' ko.local/hello_image:latest)" "[/ko-app/hello]" "entrypoint"

# Published images, pulled by digest from the registry: one platform, then a two-platform index.
ref=$(KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target hello_image_publish -- --quiet 2>/dev/null)
"$DOCKER" pull -q "$ref" >/dev/null || fail "docker pull $ref"
expect_greeting "$("$DOCKER" run --rm --network none "$ref" -once)" "docker run of the pulled image"
multi=$(cmake --build "$WORK/build" --target multi_image_publish -- --quiet 2>/dev/null)
"$DOCKER" pull -q "$multi" >/dev/null || fail "docker pull $multi (an index)"
assert_eq "$("$DOCKER" image inspect -f '{{.Architecture}}' "$multi")" amd64 "the daemon picked its platform from the index"
expect_greeting "$("$DOCKER" run --rm --network none "$multi" -once)" "docker run of the pulled index"

# KO_DOCKER_REPO=ko.local: into the daemon through the Engine API, no registry; only the
# reference on stdout.
md5=$(printf '%s' example.com/hello/cmd/hello | md5sum | cut -d' ' -f1)
before=$(wc -l <"$WORK/registry/registry.log")
stdout=$(KO_DOCKER_REPO=ko.local cmake --build "$WORK/build" --target hello_image_publish -- --quiet 2>"$WORK/local.err") ||
  { cat "$WORK/local.err" >&2; fail "publishing to ko.local failed"; }
hex=$(cut -d: -f2 "$WORK/build/hello_image.digest")
assert_eq "$stdout" "ko.local/hello-$md5:$hex" "stdout is exactly the loaded reference (ko's form)"
assert_eq "$(cat "$WORK/build/hello_image.ref")" "$stdout" ".ref file"
assert_contains "$(cat "$WORK/local.err")" "into the Docker daemon at unix://$WORK/docker/sock" "stderr names the daemon"
assert_eq "$(wc -l <"$WORK/registry/registry.log")" "$before" "no registry was involved"
expect_greeting "$("$DOCKER" run --rm --network none "$stdout" -once)" "docker run of the ko.local image"
assert_eq "$("$DOCKER" image inspect -f '{{.Id}}' "ko.local/hello-$md5:latest")" \
  "$("$DOCKER" image inspect -f '{{.Id}}' "$stdout")" "the latest tag names the same image"

# <name>_load, whatever KO_DOCKER_REPO says; for an index, the daemon's platform.
stdout=$(KO_DOCKER_REPO="$REGISTRY/team" cmake --build "$WORK/build" --target multi_image_load -- --quiet 2>"$WORK/load.err") ||
  { cat "$WORK/load.err" >&2; fail "multi_image_load failed"; }
assert_eq "$stdout" "ko.local/multi:$(amd64_of multi_image | cut -d: -f2)" "the amd64 image of the index was loaded"
assert_eq "$("$DOCKER" image inspect -f '{{.Architecture}}' ko.local/multi:latest)" amd64 "loaded architecture"
expect_greeting "$("$DOCKER" run --rm --network none ko.local/multi:latest -once)" "docker run of multi_image_load"

# No daemon there: one clear error, nonzero exit, nothing on stdout.
if out=$(DOCKER_HOST="unix://$WORK/no-such.sock" KO_DOCKER_REPO=ko.local \
  "$KO_IMAGE" publish --image-args "$WORK/build/hello_image.publish-args" 2>"$WORK/nodaemon.err"); then
  fail "loading into a missing daemon succeeded"
fi
assert_eq "$out" "" "nothing on stdout when the load failed"
assert_contains "$(cat "$WORK/nodaemon.err")" "cannot talk to the Docker daemon at unix://$WORK/no-such.sock" "missing-daemon error"
assert_contains "$(cat "$WORK/nodaemon.err")" "Set DOCKER_HOST" "says what to do"
echo "ok"
