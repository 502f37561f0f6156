# The build-and-publish pipelines the benchmark compares, one pair of scripts per tool and
# workload, written into $BENCH_WORK/<workload>/:
#   <tool>.run    builds the workload's image and publishes it (what is timed)
#   <tool>.reset  back to cold: empty build state and a new, empty repository
# A run publishes to $REGISTRY/<workload>-<tool>-<n>, n from <tool>.id, which .reset
# increments: a new repository on docker-registry holds no blob until one is pushed or
# mounted into it, so each cold run pushes everything, as to an empty registry.
#
# Every pipeline builds the same program with the same flags (CGO_ENABLED=0, -trimpath,
# the workload's -ldflags) on the same base image ($REGISTRY/base/static, our static base
# pushed there), and publishes an image with the binary at /ko-app/<name> as Entrypoint.
# No tool attaches an SBOM (cmake-ko and ko would by default), so all push the same things.
#
# Sourced by bench/run, which sets BENCH_WORK, REGISTRY, KO_BUILD (the cmake-ko build
# tree), TOOLS_BIN (ko, crane) and, per workload: W (name), W_SRC (a copy of its source),
# W_PKG (./cmd/x), W_BIN (binary name), W_IMAGE (its ko_image() name), W_LDFLAGS and
# W_PLATFORMS ("linux/amd64" or "linux/amd64,linux/arm64").

# Writes $BENCH_WORK/$W/<tool>.run and .reset from the bodies given.
pipeline_write() {  # tool, run body, reset body
  local dir="$BENCH_WORK/$W"
  mkdir -p "$dir"
  printf '#!/usr/bin/env bash\nset -euo pipefail\nid=$(cat %q)\n%s\n' \
    "$dir/$1.id" "$2" >"$dir/$1.run"
  printf '#!/usr/bin/env bash\nset -euo pipefail\necho $(( $(cat %q 2>/dev/null || echo 0) + 1 )) >%q\n%s\n' \
    "$dir/$1.id" "$dir/$1.id" "$3" >"$dir/$1.reset"
  chmod +x "$dir/$1.run" "$dir/$1.reset"
  "$dir/$1.reset"
}

# go build per platform: the floor of every pipeline.
go_build_lines() {  # output directory
  local platform
  for platform in ${W_PLATFORMS//,/ }; do
    printf 'CGO_ENABLED=0 GOOS=%s GOARCH=%s go build -trimpath -buildvcs=false -ldflags=%q -o %q %s\n' \
      "${platform%/*}" "${platform#*/}" "$W_LDFLAGS" "$1/${platform/\//_}/ko-app/$W_BIN" "$W_PKG"
  done
}

pipeline_go_build() {
  local out="$BENCH_WORK/$W/go-build.out"
  pipeline_write go-build "cd $W_SRC
$(go_build_lines "$out")" "rm -rf $out"
}

# A raw upload of the bytes of the layer cmake-ko built (POST, then one PUT with curl -T):
# the registry cost no tool can avoid. Reads the blob named in $BENCH_WORK/$W/layer-blob.
pipeline_upload() {
  pipeline_write upload "blob=\$(cat $BENCH_WORK/$W/layer-blob)
location=\$(curl -sfS -D - -o /dev/null -X POST http://$REGISTRY/v2/$W-upload-\$id/blobs/uploads/ |
  tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
curl -sfS -o /dev/null -T \"\$blob\" -H 'Content-Type: application/octet-stream' \
  \"\$location&digest=sha256:\$(basename \"\$blob\")\"" ":"
}

pipeline_cmake_ko() {
  local build="$BENCH_WORK/$W/cmake-ko.build" cache="$BENCH_WORK/$W/cmake-ko.cache"
  pipeline_write cmake-ko "[[ -d $build ]] || cmake -G Ninja -S $W_SRC -B $build -DKoImage_DIR=$KO_BUILD \
  -DKO_DEFAULT_BASE_IMAGE=$REGISTRY/base/static:latest -DKO_LOCK_FILE=$build/ko.lock.json -DKO_DEFAULT_SBOM=none \
  '-DKO_DEFAULT_PLATFORMS=${W_PLATFORMS//,/;}' >/dev/null
KO_CACHE_DIR=$cache KO_DOCKER_REPO=$REGISTRY/$W-cmake-ko-\$id cmake --build $build --target ${W_IMAGE}_publish" \
    "rm -rf $build $cache"
}

# ko build: always runs go build, reads the base from the registry and pushes.
pipeline_ko() {
  printf 'defaultPlatforms: [%s]\nbuilds:\n- id: bench\n  main: %s\n  ldflags: [%s]\n' \
    "$W_PLATFORMS" "$W_PKG" "$(sed 's/\([^ ][^ ]*\)/"\1"/g; s/" "/", "/g' <<<"$W_LDFLAGS")" \
    >"$W_SRC/.ko.yaml"
  pipeline_write ko "cd $W_SRC
KO_DOCKER_REPO=$REGISTRY/$W-ko-\$id KO_DEFAULTBASEIMAGE=$REGISTRY/base/static:latest \
  $TOOLS_BIN/ko build --sbom=none --platform=$W_PLATFORMS $W_PKG" ":"
}

# crane, the CLI of go-containerregistry (the library ko is built on): go build, tar the
# binary, `crane append` it to the base, `crane mutate` the Entrypoint.
pipeline_crane() {
  local dir="$BENCH_WORK/$W/crane.out"
  pipeline_write crane "cd $W_SRC
$(go_build_lines "$dir")
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C $dir/linux_amd64 -cf $dir/layer.tar ko-app
ref=$REGISTRY/$W-crane-\$id:latest
$TOOLS_BIN/crane append --base $REGISTRY/base/static:latest --new_layer $dir/layer.tar --new_tag \$ref >/dev/null
$TOOLS_BIN/crane mutate --entrypoint /ko-app/$W_BIN \$ref" "rm -rf $dir"
}

# Daemonless Debian tools: go build, umoci (insert the binary as a layer on the base in an
# OCI layout, set the Entrypoint), skopeo copy to the registry.
pipeline_umoci_skopeo() {
  local dir="$BENCH_WORK/$W/umoci.out"
  pipeline_write umoci+skopeo "cd $W_SRC
$(go_build_lines "$dir")
[[ -d $dir/layout ]] || skopeo copy --quiet --src-tls-verify=false docker://$REGISTRY/base/static:latest oci:$dir/layout:base
umoci insert --image $dir/layout:base --tag app $dir/linux_amd64/ko-app/$W_BIN /ko-app/$W_BIN
umoci config --image $dir/layout:app --config.entrypoint /ko-app/$W_BIN
skopeo copy --quiet --dest-tls-verify=false oci:$dir/layout:app docker://$REGISTRY/$W-umoci-\$id:latest" \
    "rm -rf $dir"
}

# The Dockerfile way without a Docker engine: buildah bud (vfs storage, chroot isolation)
# and buildah push, with private storage under the bench directory.
pipeline_buildah() {
  local dir="$BENCH_WORK/$W/buildah.out"
  local storage="--storage-driver vfs --root $dir/storage --runroot $dir/run"
  pipeline_write buildah "cd $W_SRC
$(go_build_lines "$dir")
printf 'FROM $REGISTRY/base/static:latest\nCOPY ko-app/$W_BIN /ko-app/$W_BIN\nENTRYPOINT [\"/ko-app/$W_BIN\"]\n' >$dir/Dockerfile
buildah $storage bud --quiet --isolation chroot --tls-verify=false -t $W-app -f $dir/Dockerfile $dir/linux_amd64 >/dev/null
buildah $storage push --quiet --tls-verify=false $W-app docker://$REGISTRY/$W-buildah-\$id:latest" \
    "rm -rf $dir"
}

# docker build + docker push, the comparison ko was made for: the same go build outside,
# a Dockerfile FROM the same static base (docker load of our tarball, so no pull) that COPYs
# the binary, pushed to the same registry. $DOCKER is the bench's own engine
# (bench/lib/docker.sh). `docker-legacy` is the classic builder, `docker-buildkit` BuildKit
# (DOCKER_BUILDKIT=1). Cold drops this tool's images and the build cache first.
pipeline_docker() {  # tool (docker-legacy|docker-buildkit)
  local tool=$1 dir="$BENCH_WORK/$W/$1.out" buildkit=0
  if [[ $tool == docker-buildkit ]]; then buildkit=1; fi
  pipeline_write "$tool" "cd $W_SRC
$(go_build_lines "$dir")
printf 'FROM $REGISTRY/base/static:latest\nCOPY ko-app/$W_BIN /ko-app/$W_BIN\nENTRYPOINT [\"/ko-app/$W_BIN\"]\n' >$dir/Dockerfile
ref=$REGISTRY/$W-$tool-\$id:latest
DOCKER_BUILDKIT=$buildkit $DOCKER build --quiet -t \$ref -f $dir/Dockerfile $dir/linux_amd64 >/dev/null
$DOCKER push --quiet \$ref >/dev/null" \
    "rm -rf $dir
$DOCKER image ls --format '{{.Repository}}:{{.Tag}}' | { grep '/$W-$tool-' || true; } |
  xargs -r $DOCKER rmi -f >/dev/null 2>>$BENCH_WORK/docker-reset.log
$DOCKER builder prune --all --force >/dev/null 2>>$BENCH_WORK/docker-reset.log"
}
