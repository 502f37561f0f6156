#!/usr/bin/env bash
# The linux/arm64 tree cmake-ko manages for the C++ and cgo images of examples/monorepo
# (KO_TOOLCHAIN_linux_arm64): each platform's image of the one-tree index is the image today's
# recipe makes (a plain tree, and a second tree with the toolchain file and
# KO_DEFAULT_PLATFORMS=linux/arm64); re-running cmake, editing the toolchain file, changing a
# cache setting or a CMakeLists.txt reconfigure the tree when they should and leave a no-op
# build with no edge; a compile error in the tree reaches the user with the compiler's message
# and fails the build. Skipped (77) without the cross compiler.
source "$(dirname "$0")/lib.sh"
command -v aarch64-linux-gnu-g++ >/dev/null ||
  { echo "skip: aarch64-linux-gnu-g++ is not installed (apt-get install g++-aarch64-linux-gnu)"; exit 77; }

copy_example monorepo "$WORK/src"
configure "$WORK/src" "$WORK/build"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the monorepo build failed"; }
tree="$WORK/build/ko/platforms/linux-arm64"

# Today's recipe, on a copy whose C++ and cgo images do not list PLATFORMS.
copy_example monorepo "$WORK/recipe-src"
sed -i 's| PLATFORMS linux/amd64 linux/arm64||' "$WORK/recipe-src/CMakeLists.txt"
! grep -q "PLATFORMS" "$WORK/recipe-src/CMakeLists.txt" || fail "the recipe copy still lists PLATFORMS"
configure "$WORK/recipe-src" "$WORK/recipe-amd64"
configure "$WORK/recipe-src" "$WORK/recipe-arm64" \
  -DCMAKE_TOOLCHAIN_FILE="$WORK/recipe-src/toolchains/aarch64-linux-gnu.cmake" -DKO_DEFAULT_PLATFORMS=linux/arm64
for recipe in amd64 arm64; do
  log=$(build "$WORK/recipe-$recipe") || { echo "$log" >&2; fail "the $recipe recipe build failed"; }
  for image in indexer_image api_image; do
    assert_eq "$(manifest_for "$WORK/build/$image.oci" $recipe)" "$(cat "$WORK/recipe-$recipe/$image.digest")" \
      "$image: the $recipe image of the index is the one of the second-tree recipe"
  done
done

no_work() {  # WHAT: the main graph has nothing to do
  local noop
  noop=$(ninja -C "$WORK/build" -n -d explain 2>&1)
  [[ "$noop" == *"ninja: no work to do."* && "$noop" != *"ninja explain"* ]] ||
    fail "$1: a no-op build has something to do: $noop"
}
no_work "after the first build"
cmake "$WORK/build" >/dev/null
no_work "after re-running cmake"

# The toolchain file: the tree is configured again, and objects whose commands did not change
# are not compiled again (Ninja's log in the tree survives cmake --fresh).
tree_log=$(wc -l <"$tree/.ninja_log")
sleep 1.1
echo "# edited" >>"$WORK/src/toolchains/aarch64-linux-gnu.cmake"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the build after the toolchain edit failed"; }
assert_contains "$log" "ko: configure the linux/arm64 build tree" "the toolchain edit reconfigures the tree"
assert_eq "$(tail -n +"$((tree_log + 1))" "$tree/.ninja_log" | grep -c '\.o	')" 0 "objects compiled again"
no_work "after the toolchain edit"

# A cache setting: forwarded to the tree, which then compiles with it.
cmake -DCMAKE_BUILD_TYPE=Release "$WORK/build" >/dev/null
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the Release build failed"; }
assert_contains "$log" "ko: configure the linux/arm64 build tree" "a cache setting reconfigures the tree"
assert_contains "$(grep '^CMAKE_BUILD_TYPE:' "$tree/CMakeCache.txt")" "=Release" "the tree's CMAKE_BUILD_TYPE"
assert_contains "$log" "[linux/arm64 1/" "the tree compiles again with the new flags"
no_work "after a cache setting"

# A CMakeLists.txt edit: the main tree and the linux/arm64 tree regenerate; then nothing is left.
sleep 1.1
echo "# edited" >>"$WORK/src/CMakeLists.txt"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the build after the CMakeLists.txt edit failed"; }
assert_contains "$log" "ko: build indexer, ko/api_image/linux-arm64/api in the linux/arm64 build tree" \
  "the tree's edge runs after a CMakeLists.txt edit"
no_work "after a CMakeLists.txt edit"

# A compile error that only the arm64 compiler sees: its message, a failed build, and once
# fixed, a build that completes.
cp "$WORK/src/scoring/scoring.cpp" "$WORK/scoring.cpp.good"
printf '#ifdef __aarch64__\n#error "the arm64 build of scoring is broken"\n#endif\n' >>"$WORK/src/scoring/scoring.cpp"
if log=$(build "$WORK/build"); then
  fail "the build with an arm64 compile error succeeded"
fi
assert_contains "$log" 'error: #error "the arm64 build of scoring is broken"' "the compiler's message reaches the user"
assert_contains "$(tr -s ' \n' ' ' <<<"$log")" \
  "ko: building indexer, ko/api_image/linux-arm64/api in the linux/arm64 build tree" "cmake-ko says which tree failed"
cp "$WORK/scoring.cpp.good" "$WORK/src/scoring/scoring.cpp"
log=$(build "$WORK/build") || { echo "$log" >&2; fail "the build after the fix failed"; }
no_work "after the fix"
echo "ok"
