#!/usr/bin/env bash
# The reproducibility tooling: ko_add_reproducibility_test() passes for the example (a
# second build from a copy of the sources with a private GOCACHE that compiles again, and
# with -DKO_DEFAULT_COMPRESSION=zstd forwarded) and fails — naming the binary's layer and
# tar entry — when an ldflag injects the time (SHARED_GOCACHE there);
# EXPECT_DIGEST fails the build on another digest; `ko-image verify` accepts the pushed
# image and rejects another; <name>_tarball gives deterministic docker-archive and
# oci-archive tarballs that skopeo reads.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
digest=$(cat "$WORK/build/hello_image.digest")
(cd "$WORK/build" && ctest -V -R '^hello_image.reproducible$' >"$WORK/ctest.log" 2>&1) ||
  { cat "$WORK/ctest.log" >&2; fail "the example is not reproducible"; }
log=$(cat "$WORK/ctest.log")
assert_contains "$log" "second build from a copy of the sources at $WORK/build/ko-reproducibility/hello_image/src" \
  "the second build uses a copy of the sources"
compiled=$(sed -n 's/.*a private GOCACHE (\([0-9]*\) build actions run again).*/\1/p' <<<"$log" | head -n1)
echo "second build: $compiled build actions with a private GOCACHE"
[[ -n "$compiled" && "$compiled" -gt 50 ]] || fail "the second build did not compile again with a private GOCACHE: $log"
[[ ! -e "$WORK/build/ko-reproducibility/hello_image" ]] || fail "the second build was left behind"

# Every setting reaches the second build: -DKO_DEFAULT_COMPRESSION=zstd (a cache entry the
# project never declares) gives zstd layers in both, and a reproducible image.
configure "$WORK/src" "$WORK/zstd-build" -DKO_DEFAULT_COMPRESSION=zstd
build "$WORK/zstd-build" >/dev/null
zstd_manifest=$(blob "$WORK/zstd-build/hello_image.oci" "$(cat "$WORK/zstd-build/hello_image.digest")")
assert_eq "$(jq -r '.layers[-1].mediaType' "$zstd_manifest")" "application/vnd.oci.image.layer.v1.tar+zstd" "zstd layer"
(cd "$WORK/zstd-build" && ctest -V -R '^hello_image.reproducible$' >"$WORK/ctest.log" 2>&1) ||
  { cat "$WORK/ctest.log" >&2; fail "the zstd image was reported as not reproducible"; }

# Nondeterminism on purpose: the configure time in an ldflag.
cp -R "$WORK/src" "$WORK/clock"
sed -i 's|LDFLAGS -s -w -X main.version=${PROJECT_VERSION}|LDFLAGS -s -w -X main.version=${NOW}|' "$WORK/clock/CMakeLists.txt"
sed -i 's|^find_package(KoImage REQUIRED)|find_package(KoImage REQUIRED)\nstring(TIMESTAMP NOW "%s%f")|' "$WORK/clock/CMakeLists.txt"
sed -i 's|^ko_add_reproducibility_test(hello_image)|ko_add_reproducibility_test(hello_image SHARED_GOCACHE)|' "$WORK/clock/CMakeLists.txt"
configure "$WORK/clock" "$WORK/clock-build"
build "$WORK/clock-build" >/dev/null
if (cd "$WORK/clock-build" && ctest -R '^hello_image.reproducible$' --output-on-failure >"$WORK/ctest.log" 2>&1); then
  fail "an image with the build time in it passed the reproducibility test"
fi
log=$(cat "$WORK/ctest.log")
assert_contains "$log" "hello_image is not reproducible" "the test says what failed"
assert_contains "$(tr -s ' \n' ' ' <<<"$log")" "with the shared GOCACHE" "SHARED_GOCACHE keeps the shared cache"
assert_contains "$log" "layer 2 of 2" "names the binary's layer"
assert_contains "$log" "tar entry ko-app/hello: content differs" "names the entry and field"

# EXPECT_DIGEST: the right digest builds, another fails the build and writes no digest.
cat >>"$WORK/src/CMakeLists.txt" <<CMAKE
ko_image(pinned IMPORTPATH ./cmd/hello LDFLAGS -s -w -X main.version=1.0.0 ENV GREETING=Hello ARGS --addr=:8080 USER 65532
  LABELS org.opencontainers.image.source=https://example.com/cmake-ko/examples/hello
  ANNOTATIONS org.opencontainers.image.title=hello EXPECT_DIGEST $digest)
ko_image(other_args IMPORTPATH ./cmd/hello LDFLAGS -s -w -X main.version=1.0.0 ENV GREETING=Hello ARGS --addr=:9090
  USER 65532 LABELS org.opencontainers.image.source=https://example.com/cmake-ko/examples/hello
  ANNOTATIONS org.opencontainers.image.title=hello)
ko_image(wrong IMPORTPATH ./cmd/hello EXPECT_DIGEST linux/amd64=sha256:$(printf '0%.0s' {1..64}))
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" --target pinned >/dev/null || fail "EXPECT_DIGEST with the right digest failed"
if log=$(build "$WORK/build" --target wrong); then fail "EXPECT_DIGEST with another digest built"; fi
assert_contains "$log" "wrong: linux/amd64 image digest sha256:" "EXPECT_DIGEST error"
assert_contains "$log" "differs from EXPECT_DIGEST sha256:0000" "names the expected digest"
[[ ! -e "$WORK/build/wrong.digest" ]] || fail "a digest was written despite the mismatch"

# ko-image diff on two builds that differ only in an image setting names the config key.
build "$WORK/build" --target other_args >/dev/null
"$KO_IMAGE" diff "$WORK/build/hello_image.oci" "$WORK/build/other_args.oci" >"$WORK/diff.log" && fail "diff found no difference"
assert_contains "$(cat "$WORK/diff.log")" "differs in config.Cmd" "diff names the config field"

# Tarballs: deterministic, and readable by skopeo.
build "$WORK/build" --target hello_image_tarball >/dev/null
config_digest=$(jq -r .config.digest "$(blob "$WORK/build/hello_image.oci" "$digest")")
assert_eq "$(skopeo inspect --config --raw docker-archive:"$WORK/build/hello_image.tar" | sha256sum | cut -d' ' -f1)" \
  "${config_digest#sha256:}" "docker-archive carries the image config"
assert_eq "$(skopeo inspect "oci-archive:$WORK/build/hello_image.oci.tar:latest" | jq -r .Digest)" "$digest" "oci-archive"
mkdir -p "$WORK/unpacked" && tar -xf "$WORK/build/hello_image.tar" -C "$WORK/unpacked"
for file in $(jq -r '.[0].Config, .[0].Layers[]' "$WORK/unpacked/manifest.json"); do
  assert_eq "sha256:$(sha256sum "$WORK/unpacked/$file" | cut -d' ' -f1)" "sha256:$(basename "$file")" "manifest.json file $file"
done
assert_eq "$(jq -r '.[0].RepoTags[0]' "$WORK/unpacked/manifest.json")" "ko.local/hello_image:latest" "RepoTags"
configure "$WORK/src" "$WORK/build2"
build "$WORK/build2" --target hello_image_tarball >/dev/null
assert_eq "$(sha256sum <"$WORK/build2/hello_image.tar")" "$(sha256sum <"$WORK/build/hello_image.tar")" "docker-archive bytes"
assert_eq "$(sha256sum <"$WORK/build2/hello_image.oci.tar")" "$(sha256sum <"$WORK/build/hello_image.oci.tar")" "oci-archive bytes"

# verify: the pushed image matches this build; another image does not.
registry_start "$WORK/registry"
ref=$(KO_DOCKER_REPO="$REGISTRY/v" cmake --build "$WORK/build" --target hello_image_publish -- --quiet 2>/dev/null)
"$KO_IMAGE" verify "$ref" --layout "$WORK/build/hello_image.oci" >"$WORK/verify.log" ||
  { cat "$WORK/verify.log" >&2; fail "verify rejected the pushed image"; }
assert_contains "$(cat "$WORK/verify.log")" "verified:" "verify output"
if KO_CACHE_DIR="$WORK/cache" "$KO_IMAGE" verify "$ref" --layout "$WORK/clock-build/hello_image.oci" >"$WORK/verify.log"; then
  fail "verify accepted an image built from other ldflags"
fi
assert_contains "$(cat "$WORK/verify.log")" "tar entry ko-app/hello" "verify explains the difference"
echo "ok"
