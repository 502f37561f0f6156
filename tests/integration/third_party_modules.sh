#!/usr/bin/env bash
# examples/service: a Go service with third-party modules (chi, uuid, pflag) in two images.
# - the SBOMs list exactly the modules each binary links, with go.mod's versions and
#   go.sum's hashes;
# - a module version change in go.mod rebuilds exactly the image whose binary uses it;
# - with vendor/ it builds offline (GOPROXY=off, an empty module cache), an ambient GOFLAGS
#   (environment or `go env -w` file) is ignored while ko_image(GOFLAGS) applies, vendor
#   edits rebuild the image that uses them and the SBOM still has go.sum's hashes;
# - GOPROXY, GOPRIVATE (with GOVCS), GOSUMDB and GONOSUMDB reach the hermetic go build.
source "$(dirname "$0")/lib.sh"

modcache=$(go env GOMODCACHE)
file_proxy="file://$modcache/cache/download"
cleanup() { chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"; }  # module caches are read-only
trap cleanup EXIT

# ran LOG: the ko steps Ninja ran, one per line, sorted.
ran() { sed -n 's/^\[[0-9]*\/[0-9]*\] ko: //p' <<<"$1" | sort; }
# h1 DIR MODULE VERSION: the module's go.sum hash.
h1() { awk -v m="$2" -v v="$3" '$1 == m && $2 == v {print $3}' "$1/go.sum"; }
# sbom_modules SBOM: "path version comment" of each dependency.
sbom_modules() {
  jq -r '.packages[] | select(.SPDXID | startswith("SPDXRef-Package-dep")) | "\(.name) \(.versionInfo) \(.comment)"' "$1" | sort
}
expected_modules() {  # DIR MODULE...: what sbom_modules should print, from go.mod and go.sum
  local dir=$1 module version
  shift
  for module in "$@"; do
    version=$(cd "$dir" && GOFLAGS=-mod=mod go list -m -f '{{.Version}}' "$module")
    echo "$module $version go.sum hash $(h1 "$dir" "$module" "$version")"
  done | sort
}

copy_example service "$WORK/src"
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null
assert_eq "$(sbom_modules "$WORK/build/api_image.spdx.json")" \
  "$(expected_modules "$WORK/src" github.com/go-chi/chi/v5 github.com/google/uuid github.com/spf13/pflag)" "api SBOM"
assert_eq "$(sbom_modules "$WORK/build/migrate_image.spdx.json")" \
  "$(expected_modules "$WORK/src" github.com/spf13/pflag)" "migrate SBOM"

# A version change: both go builds rerun (go.mod is an input of each), only api's binary
# changes, so only api's layer, image, layout and SBOM follow.
api_before=$(cat "$WORK/build/api_image.digest")
migrate_before=$(cat "$WORK/build/migrate_image.digest")
(cd "$WORK/src" && GOFLAGS=-mod=mod go get github.com/google/uuid@v1.5.0 >/dev/null 2>&1) || fail "go get uuid@v1.5.0"
log=$(build "$WORK/build")
assert_eq "$(ran "$log")" "$(printf '%s\n' \
  "OCI layout api_image.oci" "SBOM (linux/amd64) for api_image" \
  "go build ./cmd/api (linux/amd64) for api_image" "go build ./cmd/migrate (linux/amd64) for migrate_image" \
  "image (linux/amd64) for api_image" "layer /ko-app/api (linux/amd64) for api_image" | sort)" "steps after the version change"
assert_ne "$(cat "$WORK/build/api_image.digest")" "$api_before" "api image after the version change"
assert_eq "$(cat "$WORK/build/migrate_image.digest")" "$migrate_before" "migrate image after the version change"
assert_contains "$(sbom_modules "$WORK/build/api_image.spdx.json")" \
  "github.com/google/uuid v1.5.0 go.sum hash $(h1 "$WORK/src" github.com/google/uuid v1.5.0)" "SBOM after the version change"

# --- vendor/: offline, ambient GOFLAGS ignored ----------------------------------------
copy_example service "$WORK/vendored"
(cd "$WORK/vendored" && GOFLAGS=-mod=mod go mod vendor) || fail "go mod vendor"
printf 'GOFLAGS=-mod=mod\n' >"$WORK/go.env"
offline=(env GOPROXY=off GOMODCACHE="$WORK/empty-modcache" GOFLAGS=-mod=mod GOENV="$WORK/go.env")
configure "$WORK/vendored" "$WORK/vendored-build"
log=$("${offline[@]}" cmake --build "$WORK/vendored-build" 2>&1) || { echo "$log" >&2; fail "the vendored build needed the network"; }
[[ ! -e "$WORK/empty-modcache/cache/download" ]] || fail "the vendored build downloaded modules"
assert_eq "$(sbom_modules "$WORK/vendored-build/api_image.spdx.json")" \
  "$(expected_modules "$WORK/vendored" github.com/go-chi/chi/v5 github.com/google/uuid github.com/spf13/pflag)" \
  "vendored SBOM has go.sum's hashes"
echo 'func vendorEdit() string { return "edited" }' >>"$WORK/vendored/vendor/github.com/google/uuid/uuid.go"
log=$("${offline[@]}" cmake --build "$WORK/vendored-build" 2>&1)
assert_contains "$(ran "$log")" "go build ./cmd/api (linux/amd64) for api_image" "a vendor/ edit rebuilds api"
[[ "$log" != *"go build ./cmd/migrate"* ]] || fail "a vendor/ edit of uuid rebuilt migrate, which does not use it"
# ko_image(GOFLAGS) does reach go: -mod=mod ignores vendor/ and needs the (disabled) proxy.
echo 'ko_image(api_mod_image IMPORTPATH ./cmd/api GOFLAGS -mod=mod)' >>"$WORK/vendored/CMakeLists.txt"
configure "$WORK/vendored" "$WORK/vendored-build"
if log=$("${offline[@]}" cmake --build "$WORK/vendored-build" --target api_mod_image 2>&1); then
  fail "GOFLAGS -mod=mod built offline"
fi
assert_contains "$log" "module lookup disabled by GOPROXY=off" "GOFLAGS -mod=mod reaches go build"

# --- GOPROXY, GOPRIVATE/GOVCS, GOSUMDB/GONOSUMDB pass through -------------------------
# From a file:// proxy (the module cache's download dir) into an empty module cache.
copy_example service "$WORK/proxied"
configure "$WORK/proxied" "$WORK/proxied-build"
GOPROXY="$file_proxy" GOMODCACHE="$WORK/mc1" build "$WORK/proxied-build" --target api_image >/dev/null ||
  fail "the build through GOPROXY=file://… failed"
[[ -d "$WORK/mc1/github.com/google/uuid@v1.6.0" ]] || fail "GOPROXY/GOMODCACHE did not reach go build"
# GOPRIVATE makes uuid private: go must fetch it directly, which GOVCS=private:off forbids.
copy_example service "$WORK/private"
configure "$WORK/private" "$WORK/private-build"
if log=$(GOPRIVATE=github.com/google/uuid GOVCS=private:off GOPROXY="$file_proxy" GOMODCACHE="$WORK/mc2" \
  build "$WORK/private-build" --target api_image); then
  fail "GOPRIVATE/GOVCS did not reach go build"
fi
assert_contains "$log" "GOVCS disallows using git for private github.com/google/uuid" "GOPRIVATE and GOVCS"
# A module missing from go.sum (with -mod=mod) is checked against GOSUMDB unless GONOSUMDB
# names it; this GOSUMDB is a closed port, so checking fails.
copy_example service "$WORK/nosum"
sed -i '/github.com\/google\/uuid/d' "$WORK/nosum/go.sum"
echo 'ko_image(api_mod_image IMPORTPATH ./cmd/api GOFLAGS -mod=mod)' >>"$WORK/nosum/CMakeLists.txt"
configure "$WORK/nosum" "$WORK/nosum-build"
sumdb=(env GOSUMDB="sum.golang.org https://127.0.0.1:9" GOPROXY="$file_proxy" GOMODCACHE="$WORK/mc3")
if log=$("${sumdb[@]}" cmake --build "$WORK/nosum-build" --target api_mod_image 2>&1); then
  fail "GOSUMDB did not reach go build"
fi
assert_contains "$log" "verifying module: github.com/google/uuid@v1.6.0" "GOSUMDB is consulted"
log=$("${sumdb[@]}" GONOSUMDB=github.com/google/uuid cmake --build "$WORK/nosum-build" --target api_mod_image 2>&1) ||
  { echo "$log" >&2; fail "GONOSUMDB did not reach go build"; }
echo "ok"
