#!/usr/bin/env bash
# A CI fleet: two "machines" build examples/monorepo (C++, cgo and pure-Go images) from
# checkouts at different paths, each with its own build dir, KO_CACHE_DIR and GOCACHE, sharing
# only a GOCACHEPROG build cache (tests/support/gocacheprog, which records its requests), a
# ccache directory (CMAKE_<LANG>_COMPILER_LAUNCHER=ccache) and the registry. The second
# machine's go builds are served by the shared cache (gets that hit; the pure-Go image compiles
# nothing; cgo packages, whose flags name checkout paths, are rebuilt), its C++ objects by
# ccache, its images have the same digests, and its publish uploads no blob; a third machine
# with the first one's checkout path gets the cgo packages from the cache too. The cgo build gets the launcher
# too (CC=ccache cc). Skipped (77) with a Go older than 1.24.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
((go_minor >= 24)) || { echo "skip: GOCACHEPROG needs Go >= 1.24, this is $(go env GOVERSION)"; exit 77; }
command -v ccache >/dev/null || fail "ccache is not installed (scripts/install-deps installs it)"
cacheprog=$(go_test_tool gocacheprog)
registry_start "$WORK/registry"
images=(indexer_image api_image web_image)

# machine NAME CHECKOUT: builds (the pure-Go, the C++, then the cgo image, each its own
# cmake --build so the cache program's log can be split by image) and publishes the monorepo
# as one machine of the fleet.
machine() {
  local name=$1 src=$2 target
  copy_example monorepo "$src"
  mkdir -p "$WORK/$name"
  export KO_CACHE_DIR="$WORK/$name/ko-cache" GOCACHE="$WORK/$name/go-cache"
  export GOCACHEPROG="$cacheprog -shared $WORK/shared-go-cache -local $WORK/$name/go-cache-prog -log $WORK/$name/gocacheprog.log"
  export CCACHE_DIR="$WORK/shared-ccache" CCACHE_BASEDIR="$src" CCACHE_LOGFILE="$WORK/$name/ccache.log"
  configure "$src" "$src/build" -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
  ccache --zero-stats >/dev/null
  touch "$WORK/$name/gocacheprog.log"
  for target in web_image indexer_image api_image; do
    local before
    before=$(wc -l <"$WORK/$name/gocacheprog.log")
    build "$src/build" --target "$target" >"$WORK/$name/build.log" ||
      { cat "$WORK/$name/build.log" >&2; fail "$name: the build of $target failed"; }
    tail -n +"$((before + 1))" "$WORK/$name/gocacheprog.log" >"$WORK/$name/$target.cacheprog"
  done
  ccache --print-stats >"$WORK/$name/ccache.stats"
  publish_start=$(wc -l <"$WORK/registry/registry.log")
  KO_DOCKER_REPO="$REGISTRY/fleet" cmake --build "$src/build" --target ko_publish -- --quiet \
    >"$WORK/$name/refs" 2>"$WORK/$name/publish.err" || { cat "$WORK/$name/publish.err" >&2; fail "$name: ko_publish failed"; }
}
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$WORK/$1/ccache.stats"; }
# actions MACHINE COMMAND [hit|miss] [IMAGE]: the action IDs of its requests, sorted.
actions() {
  local file="$WORK/$1/gocacheprog.log"
  [[ -z "${4:-}" ]] || file="$WORK/$1/$4.cacheprog"
  jq -r --arg c "$2" --arg h "${3:-any}" \
    'select(.Command == $c and ($h == "any" or (.Hit == ($h == "hit")))) | .ActionID' "$file" | sort -u
}
# compiled_anew MACHINE [IMAGE]: "ACTION_ID OUTPUT_ID SIZE" of each object it put that the
# first machine had not (what it built anew). The go command's module index entries ("go index"
# bodies) are left out: their keys hash the source files' modification times
# (cmd/go/internal/modindex), which every fresh checkout changes, and the go command skips
# indexing a directory holding a file younger than two seconds, so whether one is put at all
# depends on the machine's speed.
compiled_anew() {
  local log="$WORK/$1/gocacheprog.log" id out size
  [[ -z "${2:-}" ]] || log="$WORK/$1/$2.cacheprog"
  comm -13 <(actions first put) <(actions "$1" put any "${2:-}") | while read -r id; do
    read -r out size < <(jq -r --arg a "$id" \
      'select(.Command == "put" and .ActionID == $a) | "\(.OutputID) \(.Size // 0)"' "$log" | head -1)
    [[ "$(head -c 8 "$WORK/shared-go-cache/o/$out")" == "go index" ]] || echo "$id $out $size"
  done
}
new_puts() { compiled_anew "$@" | wc -l; }
# describe_new_puts MACHINE IMAGE: each object it compiled anew, its size and (when small) its
# body, for a failure message.
describe_new_puts() {
  local id out size
  compiled_anew "$1" "$2" | while read -r id out size; do
    printf '%s (%s bytes)' "$id" "$size"
    ((size > 0 && size < 4096)) && printf ': %q' "$(head -c 600 "$WORK/shared-go-cache/o/$out")"
    printf '; '
  done
}
# same_as_first MACHINE CHECKOUT: same digests, same references, a publish with no upload.
same_as_first() {
  local name=$1 src=$2 image uploads
  for image in "${images[@]}"; do
    assert_eq "$(cat "$src/build/$image.digest")" "$(cat "$WORK/first/$image.digest")" "$image digest on the $name machine"
  done
  assert_eq "$(cat "$WORK/$name/refs")" "$(cat "$WORK/first/refs")" "the $name machine's references"
  uploads=$(tail -n +"$((publish_start + 1))" "$WORK/registry/registry.log" | grep -cE '"(POST|PUT|PATCH) /v2/' || true)
  assert_eq "$uploads" 0 "upload requests from the $name machine's publish"
  assert_contains "$(cat "$WORK/$name/publish.err")" "nothing to push" "the $name machine's publish says so"
  # What the shared cache held, it served: no get missed an object the first machine had put.
  assert_eq "$(comm -12 <(actions first put) <(actions "$name" get miss) | wc -l)" 0 \
    "gets of the $name machine that missed objects the first machine had put"
}

first="$WORK/ci-runner-1/checkout"
machine first "$first"
for image in "${images[@]}"; do cp "$first/build/$image.digest" "$WORK/first/$image.digest"; done
(($(actions first put | wc -l) > 100)) || fail "go build did not use GOCACHEPROG (was it passed through?)"
# The cgo build ran its compiler through the launcher: ccache saw go's own compile commands.
grep -q 'Command line: .*ccache .*/tmp/go-build' "$WORK/first/ccache.log" ||
  fail "the cgo build did not run CC through ccache"

# A second machine, its checkout at another path.
second="$WORK/runners/two/src/monorepo"
machine second "$second"
same_as_first second "$second"
hits=$(actions second get hit | wc -l)
((hits > 100)) || fail "the second machine's go builds got few hits: $hits"
# The pure-Go image compiled nothing: every package came from the shared cache (links are not
# cached by the go command; their puts repeat the first machine's).
assert_eq "$(new_puts second web_image)" 0 "objects the second machine compiled anew for the pure-Go image"
# The cgo image did: CGO_CFLAGS/CGO_LDFLAGS name the checkout's paths (-I…/scoring,
# …/build/libscoring.a) and the go command hashes them, so cgo packages (runtime/cgo, cmd/api)
# are rebuilt on a machine whose checkout is elsewhere. A few, not the world:
cgo_new=$(new_puts second api_image)
((cgo_new > 0 && cgo_new < 30)) || fail "the cgo image on another path: expected a few rebuilt cgo packages, got $cgo_new"
# Its C++ objects came from ccache (another path: CCACHE_BASEDIR makes them hit).
(($(stat_of second direct_cache_hit) + $(stat_of second preprocessed_cache_hit) >= 2)) ||
  fail "the second machine's C++ compiles missed ccache: $(cat "$WORK/second/ccache.stats")"

# A third machine with the first one's checkout path (as CI runners usually have): its own
# build dir, KO_CACHE_DIR and GOCACHE again, and now no image compiles anything, the cgo one
# included. (The arm64 sub-build is one step building every arm64 program of the tree, so the
# cgo program's arm64 half is built by the indexer_image target, whichever comes first.)
mv "$first" "$WORK/first-checkout-moved-away"
machine third "$first"
same_as_first third "$first"
for image in "${images[@]}"; do
  (($(new_puts third "$image") == 0)) ||
    fail "objects the third machine (same checkout path) compiled anew for $image: $(describe_new_puts third "$image")"
done
echo "ok: second machine $hits Go cache hits ($cgo_new cgo objects rebuilt), $(stat_of second direct_cache_hit) ccache direct hits; third machine rebuilt nothing"
