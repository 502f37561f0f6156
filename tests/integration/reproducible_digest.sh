#!/usr/bin/env bash
# The same sources give the same digest in build dirs at different paths, built at
# different times under different umasks; SOURCE_DATE_EPOCH changes the digest, and
# the new digest is again the same in every build dir.
source "$(dirname "$0")/lib.sh"

copy_example hello "$WORK/src"
(umask 022 && configure "$WORK/src" "$WORK/one" && build "$WORK/one" >/dev/null)
sleep 1.1  # a different clock second for every file the second build writes
(umask 077 && configure "$WORK/src" "$WORK/second/build-dir" && build "$WORK/second/build-dir" >/dev/null)
first=$(cat "$WORK/one/hello_image.digest")
assert_eq "$(cat "$WORK/second/build-dir/hello_image.digest")" "$first" "digest across build dirs"

# Same layer bytes, not just the same digest file.
layer_one=$(jq -r .digest "$WORK/one/ko/hello_image/linux-amd64/layer.json")
assert_eq "$(jq -r .digest "$WORK/second/build-dir/ko/hello_image/linux-amd64/layer.json")" "$layer_one" "layer digest"

export SOURCE_DATE_EPOCH=1700000000
configure "$WORK/src" "$WORK/epoch-a" && build "$WORK/epoch-a" >/dev/null
configure "$WORK/src" "$WORK/epoch-b" && build "$WORK/epoch-b" >/dev/null
epoch=$(cat "$WORK/epoch-a/hello_image.digest")
assert_ne "$epoch" "$first" "SOURCE_DATE_EPOCH changes the digest"
assert_eq "$(cat "$WORK/epoch-b/hello_image.digest")" "$epoch" "digest with SOURCE_DATE_EPOCH"
config=$(skopeo inspect --config "oci:$WORK/epoch-a/hello_image.oci:latest")
assert_eq "$(jq -r .created <<<"$config")" "2023-11-14T22:13:20Z" "created from SOURCE_DATE_EPOCH"
layer=$(jq -r .digest "$WORK/epoch-a/ko/hello_image/linux-amd64/layer.json")
mtime=$(tar -tvzf "$(blob "$WORK/epoch-a/hello_image.oci" "$layer")" ko-app/hello | awk '{print $4}')
assert_eq "$mtime" "2023-11-14" "file times from SOURCE_DATE_EPOCH"
echo "ok: $first / $epoch"
