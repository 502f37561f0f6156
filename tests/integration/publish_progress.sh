#!/usr/bin/env bash
# Progress while publishing, on stderr only: without a TTY (CI) a line per uploaded blob
# (digest, size, time) and, through a slow uplink (the fault proxy reading uploads at
# 1 MB/s) with KO_PROGRESS_INTERVAL=0.5, heartbeat lines while the transfer runs; on a TTY
# (script -qc) one line rewritten in place (\r, erase-line) with bytes, rate and blobs done
# of total. Either way stdout holds exactly the reference, also under Ninja's --quiet.
source "$(dirname "$0")/lib.sh"
source "$KO_SOURCE_DIR/tests/support/registry.sh"
trap 'proxy_stop; registry_stop; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
command -v script >/dev/null || fail "script (util-linux) is not installed"
registry_start "$WORK/registry"

copy_example hello "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
layout="$WORK/build/hello_image.oci"
digest=$(cat "$WORK/build/hello_image.digest")
layer=$(jq -r '.layers[-1].digest' "$(blob "$layout" "$digest")")
layer_size=$(jq -r '.layers[-1].size' "$(blob "$layout" "$digest")")

# No TTY, a slow uplink: per-blob lines and heartbeats, only the reference on stdout.
echo '[{"method": "PUT", "path": "/blobs/uploads/", "action": "slow", "rate": 1000000, "times": 10}]' >"$WORK/rules.json"
proxy_start "$WORK" "$WORK/rules.json"
ref=$(KO_PROGRESS_INTERVAL=0.5 "$KO_IMAGE" publish --layout "$layout" --repository "$PROXY/slow" 2>"$WORK/log.err") ||
  { cat "$WORK/log.err" >&2; fail "publishing through the slow proxy failed"; }
assert_eq "$ref" "$PROXY/slow@$digest" "stdout is exactly the reference"
err=$(cat "$WORK/log.err")
assert_eq "$(grep -c '^ko-image: uploaded sha256:' <<<"$err")" 3 "one line per uploaded blob"
line=$(grep "^ko-image: uploaded ${layer:0:19} " <<<"$err") || fail "no line for the layer: $err"
assert_contains "$line" "($(awk -v b="$layer_size" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))" "the layer's size"
seconds=$(sed -E 's/.* in ([0-9.]+) s,.*/\1/' <<<"$line")
awk -v s="$seconds" 'BEGIN { exit !(s >= 2.0) }' || fail "the layer took ${seconds} s at 1 MB/s, expected >= 2"
heartbeats=$(grep -c '^ko-image: still uploading 1 blob(s): .* sent (.*/s), [0-9] of 3 blobs done$' <<<"$err" || true)
((heartbeats >= 2)) || fail "expected heartbeat lines every 0.5 s during a 2.5 s upload, got $heartbeats: $err"
[[ "$err" != *$'\r'* ]] || fail "terminal control characters in a log"
# The default interval is 30 s: a quick publish has no heartbeat.
"$KO_IMAGE" publish --layout "$layout" --repository "$REGISTRY/quick" >/dev/null 2>"$WORK/quick.err"
assert_eq "$(grep -c 'still uploading' "$WORK/quick.err" || true)" 0 "no heartbeat under 30 s"
assert_eq "$(grep -c '^ko-image: uploaded ' "$WORK/quick.err")" 3 "blob lines without a slow uplink too"
if KO_PROGRESS_INTERVAL=soon "$KO_IMAGE" publish --layout "$layout" --repository "$REGISTRY/x" >/dev/null 2>"$WORK/bad.err"; then
  fail "a bad KO_PROGRESS_INTERVAL was accepted"
fi
assert_contains "$(cat "$WORK/bad.err")" "KO_PROGRESS_INTERVAL must be a positive number of seconds, not 'soon'" "bad interval"

# A TTY: the publish target under Ninja's --quiet; stdout to a file, stderr to the terminal.
script -qec "KO_DOCKER_REPO=$REGISTRY/tty cmake --build $WORK/build --target hello_image_publish -- --quiet >$WORK/tty.out" \
  "$WORK/typescript" >/dev/null </dev/null || { cat "$WORK/typescript" >&2; fail "the publish on a TTY failed"; }
md5=$(printf '%s' example.com/hello/cmd/hello | md5sum | cut -d' ' -f1)
assert_eq "$(cat "$WORK/tty.out")" "$REGISTRY/tty/hello-$md5@$digest" "stdout on a TTY run is exactly the reference"
tty=$(cat "$WORK/typescript")
assert_contains "$tty" $'\r\033[Kko-image: uploading ' "the progress line is rewritten in place"
assert_contains "$tty" "3 of 3 blobs done" "blobs done of total"
assert_contains "$tty" "MiB sent (" "bytes and rate"
[[ "$tty" != *"ko-image: uploaded sha256:"* ]] || fail "log lines on a terminal"
assert_contains "$tty" "pushed 3 blob(s)" "the summary follows on its own line"
echo "ok"
