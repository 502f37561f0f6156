#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its generated seeds (tests/fuzz/seeds.py);
# fails on any crash, sanitizer report, leak or per-input timeout, and prints the input that
# caused it (base64) so it can be turned into a regression test.
#   run_fuzzer.sh FUZZER TARGET SECONDS [extra libFuzzer flags...]
set -euo pipefail
fuzzer=$1 target=$2 seconds=$3
shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/ko-fuzz-$target.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/seeds.py" "$target" "$work/corpus"
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" >"$work/log" 2>&1; then
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log" || tail -n 3 "$work/log"
  echo "fuzz.$target: ok"
else
  tail -n 60 "$work/log"
  for artifact in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [[ -e $artifact ]] && echo "input ($(basename "$artifact")), base64: $(base64 -w0 "$artifact")"
  done
  exit 1
fi
