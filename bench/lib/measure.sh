# The measurements of bench/run. Each writes hyperfine JSON or `metric` lines into
# $results, which bench/lib/report.py turns into tables, target checks and a chart.
# Uses BENCH_WORK, REGISTRY, runs, quick, helper and the workload variables of bench/run.

metric() {  # key value
  printf '%s\t%s\n' "$1" "$2" >>"$results/metrics.tsv"
}

elapsed_since() {  # start (date +%s.%N): seconds since, to the millisecond
  awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.3f", now - start }'
}

timed() {  # name runs [hyperfine arguments...]: hyperfine with our defaults, into name.json
  local name=$1 count=$2
  shift 2
  hyperfine --style basic --runs "$count" --export-json "$results/$name.json" "$@" >&2
}

# Build and publish with each tool, in one scenario:
#   cold         each run starts from an empty build state and an empty repository
#   noop         nothing changed since the last run (build and publish again)
#   incremental  one .go file edited before each run
# The raw upload always goes to a new repository, so its bytes really go up.
measure_scenario() {  # scenario "tools"
  local scenario=$1 tool prepare args=()
  for tool in $2; do
    case $scenario in
      cold) prepare="$BENCH_WORK/$W/$tool.reset" ;;
      noop) prepare=":" ;;
      incremental) prepare="$W_EDIT" ;;
    esac
    [[ $tool != upload ]] || prepare="$BENCH_WORK/$W/upload.reset"
    args+=(--command-name "$tool" --prepare "$prepare" "$BENCH_WORK/$W/$tool.run >/dev/null 2>&1")
  done
  log "$W: $scenario"
  timed "$W.$scenario" "$runs" --warmup 1 "${args[@]}"
}

# Cold, with an empty Go build cache too: what a CI machine without a cache pays.
measure_cold_go_cache() {  # "tools"
  local tool cache=$BENCH_WORK/gocache-cold args=()
  for tool in $1; do
    args+=(--command-name "$tool" --prepare "$BENCH_WORK/$W/$tool.reset && rm -rf $cache"
      "GOCACHE=$cache $BENCH_WORK/$W/$tool.run >/dev/null 2>&1")
  done
  log "$W: cold, with an empty Go build cache"
  timed "$W.cold-gocache" "$runs" "${args[@]}"
  rm -rf "$cache"
}

# A file of at least `size` bytes made of copies of `binary`: compresses like a real layer,
# unlike /dev/urandom or zeros.
repeat_file() {  # binary size output
  : >"$3"
  while (($(stat -c %s "$3") < $2)); do cat "$1" >>"$3"; done
  truncate -s "$2" "$3"
}

# What the layer step cannot beat: tar, then gzip -1 / pigz -1 / zstd -3 of the same files,
# against `ko-image layer` (tar + compression + two SHA-256 passes + the blob write) with
# one and two threads; and SHA-256 throughput against OpenSSL's command line.
measure_layer_floor() {
  local w binary dir tar args threads=""
  "$helper" layer --help 2>&1 | grep -q -- --threads && threads=1
  for w in hello-1p big; do
    binary=$BENCH_WORK/$w/go-build.out/linux_amd64/ko-app
    [[ -d $binary ]] || continue
    dir=$BENCH_WORK/layer-$w
    mkdir -p "$dir"
    tar=$dir/layer.tar
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "${binary%/ko-app}" -cf "$tar" ko-app
    binary=$(find "$binary" -type f | head -1)
    metric "layer.$w.tar_bytes" "$(stat -c %s "$tar")"
    metric "layer.$w.gzip1_bytes" "$(gzip -1 -n -c "$tar" | wc -c)"
    "$helper" layer --binary "$binary" --name app --blobs "$dir/size-store" \
      --output "$dir/size.json"
    metric "layer.$w.ko_gzip_bytes" "$(jq -r .size "$dir/size.json")"
    local layer="$helper layer --binary $binary --name app --blobs $dir/store --output $dir/layer.json"
    # (hyperfine takes one --prepare per command or none: ":" where nothing is needed)
    args=(--command-name "tar" --prepare : "tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C ${binary%/ko-app/*} -cf - ko-app >/dev/null"
      --command-name "gzip -1" --prepare : "gzip -1 -n -c $tar >/dev/null"
      --command-name "pigz -1, 2 threads" --prepare : "pigz -1 -n -p 2 -c $tar >/dev/null"
      --command-name "zstd -3, 2 threads" --prepare : "zstd -3 -q -T2 -c $tar >/dev/null")
    if [[ -n $threads ]]; then
      args+=(--command-name "ko-image layer gzip, 1 thread" --prepare "rm -rf $dir/store" "$layer --threads 1"
        --command-name "ko-image layer gzip, 2 threads" --prepare "rm -rf $dir/store" "$layer --threads 2"
        --command-name "ko-image layer zstd, 2 threads" --prepare "rm -rf $dir/store" "$layer --threads 2 --compression zstd")
    else
      args+=(--command-name "ko-image layer gzip" --prepare "rm -rf $dir/store" "$layer")
    fi
    log "layer floor: $w"
    timed "layer.$w" "$runs" --warmup 1 "${args[@]}"
  done

  local size=$((256 << 20)) file=$BENCH_WORK/sha-input
  [[ -z $quick ]] || size=$((32 << 20))
  repeat_file "$(find "$BENCH_WORK/hello-1p/go-build.out" -type f | head -1)" "$size" "$file"
  metric sha256.bytes "$size"
  log "SHA-256 throughput"
  timed sha256 "$runs" --warmup 1 \
    --command-name "openssl dgst -sha256" "openssl dgst -sha256 $file >/dev/null" \
    --command-name "ko-image digest" "$helper digest $file >/dev/null"
  rm -f "$file"
}

# Peak RSS (GNU time's %M, KiB) and wall time when layering a 1 GiB file and pushing it.
measure_memory() {
  local dir=$BENCH_WORK/memory size=$((1 << 30)) binary
  [[ -z $quick ]] || size=$((64 << 20))
  mkdir -p "$dir"
  binary=$(find "$BENCH_WORK"/*/go-build.out -type f -size +20M | head -1)
  [[ -n $binary ]] || binary=$(find "$BENCH_WORK/hello-1p/go-build.out" -type f | head -1)
  repeat_file "$binary" "$size" "$dir/input"
  metric memory.bytes "$size"
  log "memory: layer and push a $((size >> 20)) MiB file"
  /usr/bin/time -f '%M %e' -o "$dir/layer.time" "$helper" layer --binary "$dir/input" --name big \
    --blobs "$dir/store" --output "$dir/layer.json"
  "$helper" image --layer "$dir/layer.json" --platform linux/amd64 --binary-name big \
    --blobs "$dir/store" --output "$dir/image.json" --base scratch
  "$helper" layout --blobs "$dir/store" --descriptor "$dir/image.json" --layout "$dir/big.oci" \
    --digest-file "$dir/big.digest"
  /usr/bin/time -f '%M %e' -o "$dir/publish.time" "$helper" publish --layout "$dir/big.oci" \
    --repository "$REGISTRY/memory" >/dev/null 2>"$dir/publish.log"
  read -r rss seconds <"$dir/layer.time"
  metric memory.layer_rss_kib "$rss"
  metric memory.layer_seconds "$seconds"
  read -r rss seconds <"$dir/publish.time"
  metric memory.publish_rss_kib "$rss"
  metric memory.publish_seconds "$seconds"
  metric memory.layer_bytes "$(jq -r .size "$dir/layer.json")"
  /usr/bin/time -f '%M %e' -o "$dir/layer-zstd.time" "$helper" layer --binary "$dir/input" --name big \
    --blobs "$dir/store-zstd" --output "$dir/layer-zstd.json" --compression zstd
  read -r rss seconds <"$dir/layer-zstd.time"
  metric memory.layer_zstd_rss_kib "$rss"
  metric memory.layer_zstd_seconds "$seconds"
  metric memory.layer_zstd_bytes "$(jq -r .size "$dir/layer-zstd.json")"
  rm -rf "$dir"
}

# A generated monorepo of 20 services and a cgo service × 2 platforms (the cgo one's arm64 C
# code built in the tree cmake-ko manages; without aarch64-linux-gnu-gcc, 20 services only):
# the no-op build against a plain graph of the same binaries, and ko_publish of all images.
measure_scale() {
  local dir=$BENCH_WORK/scale seconds start cgo=()
  command -v aarch64-linux-gnu-gcc >/dev/null || cgo=(--no-cgo)
  python3 bench/gen/monorepo.py "$dir/src" --services 20 "${cgo[@]}"
  cmake -G Ninja -S "$dir/src" -B "$dir/images" -DKoImage_DIR="$KO_BUILD" >/dev/null
  cmake -G Ninja -S "$dir/src" -B "$dir/plain" -DBENCH_WITHOUT_IMAGES=ON >/dev/null
  log "scale: cold builds of 20 services${cgo[*]:+ (no cgo service)} × 2 platforms"
  for tree in plain images; do
    start=$(date +%s.%N)
    cmake --build "$dir/$tree" >/dev/null
    metric "scale.$tree.cold_seconds" "$(elapsed_since "$start")"
    metric "scale.$tree.edges" "$(ninja -C "$dir/$tree" -t commands | wc -l)"
  done
  ninja -C "$dir/images" -n | grep -q "no work to do" && metric scale.noop_edges 0 ||
    metric scale.noop_edges "$(ninja -C "$dir/images" -n | grep -c '^\[')"
  timed scale.noop "$((runs * 2))" --warmup 2 \
    --command-name "plain go build graph" "cmake --build $dir/plain" \
    --command-name "ko_image() graph" "cmake --build $dir/images"

  log "scale: ko_publish of every image"
  local registry_log=$BENCH_WORK/registry/registry.log before
  before=$(wc -l <"$registry_log")
  start=$(date +%s.%N)
  KO_DOCKER_REPO=$REGISTRY/scale cmake --build "$dir/images" --target ko_publish >"$dir/refs" 2>"$dir/publish.log"
  metric scale.publish_cold_seconds "$(elapsed_since "$start")"
  metric scale.publish_refs "$(grep -c '@sha256:' "$dir/refs")"
  metric scale.publish_cold_requests "$(tail -n +"$((before + 1))" "$registry_log" | grep -c '"[A-Z]* /v2/')"
  timed scale.publish-noop "$runs" --warmup 1 \
    --command-name "ko_publish, nothing changed" \
    "KO_DOCKER_REPO=$REGISTRY/scale cmake --build $dir/images --target ko_publish >/dev/null 2>&1"
  grep -h "connection" "$dir/publish.log" | head -3 >"$results/scale.publish-log" || true
  rm -rf "$dir"
}

# Where cmake-ko's incremental time goes: one more edit and build+publish, then each Ninja
# edge's duration from .ninja_log (the steps run one after another on this path).
measure_edge_breakdown() {
  local build=$BENCH_WORK/$W/cmake-ko.build before
  ninja -C "$build" -t recompact >/dev/null  # so Ninja does not rewrite the log during the build
  before=$(wc -l <"$build/.ninja_log")
  eval "$W_EDIT"
  "$BENCH_WORK/$W/cmake-ko.run" >/dev/null 2>&1
  tail -n +"$((before + 1))" "$build/.ninja_log" | awk -v w="$W" '
    $4 !~ /^\// {
      kind = $4
      if (kind ~ /layer[^\/]*\.json$/) kind = "layer"
      else if (kind ~ /image\.json$/) kind = "image"
      else if (kind ~ /index\.json$/ && kind ~ /^ko\//) kind = "index"
      else if (kind ~ /\.digest$/ && kind !~ /^ko\//) kind = "layout"
      else if (kind ~ /\.ref$/) kind = "publish"
      else if (kind ~ /^ko\/bases\//) kind = "fetch-base"
      else if (kind ~ /\.spdx\.json$/) kind = "sbom"
      else if (kind ~ /^ko\/[^\/]+\/[^\/]+\/[^\/.]+$/) kind = "go build"
      else next
      if ((kind, $1, $2) in done) next  # an edge with several outputs is logged per output
      done[kind, $1, $2] = 1
      ms[kind] += $2 - $1
    }
    END { for (k in ms) printf "edge.%s.%s\t%d\n", w, k, ms[k] }' >>"$results/metrics.tsv"
}

# The helper's start-up on a step that never touches the network, against the same binary
# with libcurl and its ~25 libraries preloaded (what linking libcurl cost every process).
measure_startup() {
  log "helper start-up"
  timed startup "$((runs * 8))" --warmup 3 -N \
    --command-name "ko-image --version" "$helper --version" \
    --command-name "ko-image (libcurl linked)" "env LD_PRELOAD=libcurl.so.4 $helper --version"
}
