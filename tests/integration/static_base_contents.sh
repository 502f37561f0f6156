#!/usr/bin/env bash
# The built-in static base serves a real service: a Go program run from the unpacked rootfs
# of an image on the default base (unshare -r chroot) finds more than 100 system roots,
# verifies a certificate chain whose CA the test adds only through SSL_CERT_FILE (and fails
# without it), and loads several time zones; on BASE scratch it finds neither. The base
# carries the pinned snapshot (tool/static-base) byte for byte, says which in labels,
# /etc/os-release and `ko-image inspect`, and refuses a snapshot whose digest is not the
# recorded one. The snapshot files are Ninja inputs of the static-base step.
source "$(dirname "$0")/lib.sh"

data="$KO_SOURCE_DIR/tool/static-base"
manifest="$data/manifest.json"
ca_date=$(jq -r '."ca-certificates".date' "$manifest")
ca_version=$(jq -r '."ca-certificates".version' "$manifest")
tz_version=$(jq -r '.tzdata.version' "$manifest")

mkdir -p "$WORK/src"
cp -R "$KO_SOURCE_DIR/tests/support/base-check/." "$WORK/src/"
cat >"$WORK/src/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(basecheck LANGUAGES NONE)
find_package(KoImage REQUIRED)
ko_image(check IMPORTPATH .)
ko_image(check_scratch IMPORTPATH . BASE scratch)
CMAKE
configure "$WORK/src" "$WORK/build"
build "$WORK/build" >/dev/null

# The snapshot files are inputs of the static-base edge.
inputs=$(cmake --build "$WORK/build" -- -t query ko/static-base.oci/index.json)
for file in manifest.json ca-certificates.crt zoneinfo.tar.gz; do
  assert_contains "$inputs" "$data/$file" "static-base step input $file"
done

# A chain: root CA -> intermediate -> leaf for service.test, made here.
pki="$WORK/pki"
mkdir -p "$pki"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=basecheck test root" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$pki/root.key" -out "$pki/root.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=basecheck test intermediate" \
  -keyout "$pki/inter.key" -out "$pki/inter.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$pki/inter.ext"
openssl x509 -req -in "$pki/inter.csr" -CA "$pki/root.pem" -CAkey "$pki/root.key" -CAcreateserial \
  -days 30 -extfile "$pki/inter.ext" -out "$pki/inter.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=service.test" \
  -keyout "$pki/leaf.key" -out "$pki/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:service.test\nextendedKeyUsage=serverAuth\n' >"$pki/leaf.ext"
openssl x509 -req -in "$pki/leaf.csr" -CA "$pki/inter.pem" -CAkey "$pki/inter.key" -CAcreateserial \
  -days 30 -extfile "$pki/leaf.ext" -out "$pki/leaf.pem" 2>/dev/null
openssl verify -CAfile "$pki/root.pem" -untrusted "$pki/inter.pem" "$pki/leaf.pem" >/dev/null ||
  fail "openssl does not accept the test chain"

# unpack IMAGE: the image's rootfs, with the test's certificates copied in.
unpack() {
  umoci unpack --image "$WORK/build/$1.oci:latest" "$WORK/$1-bundle" >/dev/null
  cp "$pki/root.pem" "$pki/inter.pem" "$pki/leaf.pem" "$WORK/$1-bundle/rootfs/"
  echo "$WORK/$1-bundle/rootfs"
}
zones=(Europe/Berlin America/New_York Asia/Tokyo Australia/Sydney US/Eastern)
# run ROOTFS [VAR=VALUE...]: the program inside the rootfs, with only the given environment.
run() {
  local rootfs=$1
  shift
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@" unshare -r chroot "$rootfs" /ko-app/basecheck \
    -leaf /leaf.pem -intermediate /inter.pem -host service.test "${zones[@]}" 2>&1
}

rootfs=$(unpack check)
out=$(run "$rootfs" SSL_CERT_FILE=/root.pem) || fail "the program failed on the static base: $out"
roots=$(sed -n 's/^roots: \([0-9]*\)$/\1/p' <<<"$out")
[[ -n "$roots" && "$roots" -gt 100 ]] || fail "expected more than 100 system roots, got: $out"
assert_contains "$out" "verify: ok" "the chain verifies with its CA in SSL_CERT_FILE"
assert_contains "$out" "zone Europe/Berlin: CEST +0200" "Europe/Berlin"
assert_contains "$out" "zone America/New_York: EDT -0400" "America/New_York"
assert_contains "$out" "zone Asia/Tokyo: JST +0900" "Asia/Tokyo"
assert_contains "$out" "zone Australia/Sydney: AEST +1000" "Australia/Sydney"
assert_contains "$out" "zone US/Eastern: EDT -0400" "US/Eastern (a symlink)"

if out=$(run "$rootfs"); then fail "the chain verified without SSL_CERT_FILE: $out"; fi
assert_contains "$out" "verify: error: x509: certificate signed by unknown authority" "without SSL_CERT_FILE"
roots_plain=$(sed -n 's/^roots: \([0-9]*\)$/\1/p' <<<"$out")
assert_eq "$roots_plain" "$(jq -r '."ca-certificates".certificates' "$manifest")" "system roots = the snapshot's"

scratch=$(unpack check_scratch)
if out=$(run "$scratch" SSL_CERT_FILE=/root.pem); then fail "scratch had zone info: $out"; fi
assert_contains "$out" "zone Europe/Berlin: error" "scratch has no zone info"

# The rootfs has the snapshot's bytes, and says what it is.
assert_eq "$(sha256sum <"$rootfs/etc/ssl/certs/ca-certificates.crt" | cut -d' ' -f1)" \
  "$(jq -r '."ca-certificates".sha256' "$manifest")" "CA bundle bytes"
mkdir -p "$WORK/zoneinfo" && tar -xzf "$data/zoneinfo.tar.gz" -C "$WORK/zoneinfo"
diff -r --no-dereference "$WORK/zoneinfo" "$rootfs/usr/share/zoneinfo" >/dev/null || fail "zoneinfo differs from the snapshot"
os_release=$(cat "$rootfs/etc/os-release")
assert_contains "$os_release" "ID=cmake-ko-static" "os-release ID"
assert_contains "$os_release" "CMAKE_KO_CA_BUNDLE_DATE=$ca_date" "os-release CA date"
assert_contains "$os_release" "CMAKE_KO_TZDATA_VERSION=$tz_version" "os-release tzdata"
[[ -f "$rootfs/etc/passwd" && -d "$rootfs/tmp" ]] || fail "passwd/tmp missing"

# Staleness is visible: labels on the image (inherited from the base) and in inspect.
config=$(skopeo inspect --config "oci:$WORK/build/check.oci:latest")
assert_eq "$(jq -r '.config.Labels["cmake-ko.static-base.ca-bundle-date"]' <<<"$config")" "$ca_date" "label: CA date"
assert_eq "$(jq -r '.config.Labels["cmake-ko.static-base.ca-certificates"]' <<<"$config")" "$ca_version" "label: CA version"
assert_eq "$(jq -r '.config.Labels["cmake-ko.static-base.tzdata"]' <<<"$config")" "$tz_version" "label: tzdata"
inspect=$("$KO_IMAGE" inspect "$WORK/build/check.oci")
assert_contains "$inspect" "ca bundle:  $ca_date (Debian ca-certificates $ca_version)" "inspect: CA bundle"
assert_contains "$inspect" "tzdata:     $tz_version" "inspect: tzdata"

# A snapshot file that is not the recorded one stops the step with one line.
cp -R "$data" "$WORK/data"
echo "# local addition" >>"$WORK/data/ca-certificates.crt"
if log=$("$KO_IMAGE" static-base --output "$WORK/tampered.oci" --data "$WORK/data" 2>&1); then
  fail "a changed CA bundle was accepted"
fi
assert_contains "$log" "ko-image: error: static base data: $WORK/data/ca-certificates.crt has digest sha256:" "mismatch message"
assert_contains "$log" "run scripts/refresh-base-data" "says what to do"
assert_eq "$(wc -l <<<"$log")" 1 "one line"
[[ ! -e "$WORK/tampered.oci/index.json" ]] || fail "a base was written from a changed snapshot"
echo "ok"
