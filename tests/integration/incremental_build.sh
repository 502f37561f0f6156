#!/usr/bin/env bash
# Ninja reruns exactly what changed: nothing on a no-op build, only go build when a
# source is touched but the binary's bytes stay the same (restat), the whole chain when
# a non-main package really changes, and only the layer chain when KODATA changes; go
# list's kept answer never hides a newly imported package.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
original=$(cat "$WORK/build/hello_image.digest")

assert_contains "$(ninja -C "$WORK/build" -n -d explain 2>&1)" "no work to do" "no-op build"
assert_contains "$(build "$WORK/build")" "no work to do" "second cmake --build"

sleep 1.1
touch "$WORK/src/cmd/hello/main.go"
log=$(build "$WORK/build")
assert_contains "$log" "ko: go build" "touching a .go file reruns go build"
[[ "$log" != *"ko: layer"* ]] || fail "same binary bytes must not rerun the layer step (restat): $log"
[[ "$log" != *"ko: image"* ]] || fail "same binary bytes must not rerun the image step: $log"
assert_contains "$(build "$WORK/build")" "no work to do" "build after restat"

sed -i 's/from cmake-ko/from an edited cmake-ko/' "$WORK/src/internal/greeting/greeting.go"
log=$(build "$WORK/build")
assert_contains "$log" "ko: layer" "editing a non-main package rebuilds the layer"
edited=$(cat "$WORK/build/hello_image.digest")
assert_ne "$edited" "$original" "editing a non-main package changes the digest"

sed -i 's/from an edited cmake-ko/from cmake-ko/' "$WORK/src/internal/greeting/greeting.go"
build "$WORK/build" >/dev/null
assert_eq "$(cat "$WORK/build/hello_image.digest")" "$original" "reverting the edit restores the digest"

# go list's answer is kept while only code below the imports changes; an edit that adds an
# import lists again, so the newly imported package's files become inputs.
listed=$WORK/build/ko/hello_image/linux-amd64/hello.listed
[[ -f $listed ]] || fail "go-build keeps go list's answer in $listed"
kept=$(stat -c %Y.%y "$listed")
sleep 1.1
sed -i 's/from cmake-ko/from a kept list/' "$WORK/src/internal/greeting/greeting.go"
build "$WORK/build" >/dev/null
assert_eq "$(stat -c %Y.%y "$listed")" "$kept" "a code edit reuses go list's answer"
mkdir -p "$WORK/src/internal/suffix"
printf 'package suffix\n\nconst Text = "!"\n' >"$WORK/src/internal/suffix/suffix.go"
sed -i 's|^import "fmt"|import (\n\t"fmt"\n\n\t"example.com/hello/internal/suffix"\n)|; s|version %s)", |version %s)"+suffix.Text, |' \
  "$WORK/src/internal/greeting/greeting.go"
build "$WORK/build" >/dev/null
with_import=$(cat "$WORK/build/hello_image.digest")
assert_ne "$(stat -c %Y.%y "$listed")" "$kept" "a new import lists again"
grep -q 'internal/suffix/suffix.go' "$listed" || fail "the imported package is an input: $(cat "$listed")"
sleep 1.1
sed -i 's/"!"/"?"/' "$WORK/src/internal/suffix/suffix.go"
assert_contains "$(build "$WORK/build")" "ko: layer" "editing the newly imported package rebuilds"
assert_ne "$(cat "$WORK/build/hello_image.digest")" "$with_import" "and changes the image"

sleep 1.1
echo "extra" >"$WORK/src/cmd/hello/kodata/extra.txt"
log=$(build "$WORK/build")
[[ "$log" != *"ko: go build"* ]] || fail "a KODATA change must not rerun go build: $log"
assert_contains "$log" "ko: layer" "a new KODATA file rebuilds the layer"
assert_ne "$(cat "$WORK/build/hello_image.digest")" "$original" "a new KODATA file changes the digest"

sleep 1.1
echo "package main" >"$WORK/src/cmd/hello/extra.go"
assert_contains "$(build "$WORK/build")" "ko: go build" "a new .go file in a package reruns go build"

# Changing an image setting in CMakeLists.txt reruns the image step, not go build.
sed -i 's/ENV GREETING=Hello/ENV GREETING=Howdy/' "$WORK/src/CMakeLists.txt"
log=$(build "$WORK/build")
assert_contains "$log" "ko: image" "ENV change reruns the image step"
[[ "$log" != *"ko: go build"* ]] || fail "an ENV change must not rerun go build: $log"
echo "ok"
