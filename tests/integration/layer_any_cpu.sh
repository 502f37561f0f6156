#!/usr/bin/env bash
# The same layer bytes on any x86-64 CPU: `ko-image layer` (gzip on one and two threads, zstd)
# and `ko-image digest` run natively and under qemu-x86_64-static with older CPU models, so
# every run-time dispatch path of libdeflate, libzstd and libcrypto's SHA-256 that these models
# select (x86-64-v1 without SSE4 or SHA, SSE4.2, AVX, AVX2 + BMI2) must give the host's
# bytes (the host itself may have AVX-512 and SHA-NI). Arm64 builds of the helper are not
# covered here: their libraries would have to come from a multiarch install.
source "$(dirname "$0")/lib.sh"

command -v qemu-x86_64-static >/dev/null ||
  fail "qemu-x86_64-static is not installed (scripts/install-deps installs qemu-user-static)"
[[ $(uname -m) == x86_64 ]] || { echo "skip: not an x86-64 host"; exit 77; }

# A real Go binary (examples/hello, warm Go cache) and its KODATA.
(cd "$KO_SOURCE_DIR/examples/hello" &&
  CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$WORK/hello" ./cmd/hello)
kodata=$KO_SOURCE_DIR/examples/hello/cmd/hello/kodata

# layer CPU ARGS...: the layer descriptor written on that CPU ("host" runs natively).
layer() {
  local cpu=$1 out=$WORK/$1-$RANDOM
  shift
  local run=("$KO_IMAGE")
  [[ $cpu == host ]] || run=(qemu-x86_64-static -cpu "$cpu" "$KO_IMAGE")
  "${run[@]}" layer --binary "$WORK/hello" --name hello --kodata "$kodata" --blobs "$out.blobs" \
    --output "$out.json" "$@" 2>"$out.log" || { cat "$out.log" >&2; fail "layer $* on $cpu failed"; }
  jq -cS . "$out.json"
}
digest() {
  local cpu=$1
  [[ $cpu == host ]] && { "$KO_IMAGE" digest "$WORK/hello"; return; }
  qemu-x86_64-static -cpu "$cpu" "$KO_IMAGE" digest "$WORK/hello" 2>/dev/null
}

for args in "--threads 1" "--threads 2" "--threads 2 --compression zstd"; do
  # shellcheck disable=SC2086  # the arguments are words
  expected=$(layer host $args)
  for cpu in qemu64 Nehalem SandyBridge Haswell; do
    # shellcheck disable=SC2086
    assert_eq "$(layer "$cpu" $args)" "$expected" "layer ($args) on a $cpu CPU"
  done
done
expected=$(digest host)
assert_eq "$expected" "sha256:$(sha256sum "$WORK/hello" | cut -d' ' -f1)" "digest on the host"
for cpu in qemu64 Nehalem SandyBridge Haswell; do
  assert_eq "$(digest "$cpu")" "$expected" "digest on a $cpu CPU"
done
echo "ok"
