#include "cli/commands.hpp"

namespace ko::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {"go-build", "build a static Go binary for one platform, with a Ninja depfile",
       "usage: ko-image go-build --go GO --module-dir DIR --package PKG --platform "
       "OS/ARCH[/VARIANT]\n"
       "                         --output FILE [--depfile FILE] [--ldflag FLAG]... [--goflag "
       "FLAG]...\n"
       "                         [--cc CC [--cxx CXX] [--cgo-cflags F] [--cgo-ldflags F]]  (cgo, "
       "static)\n"
       "Runs `go build -trimpath -buildvcs=false` with CGO_ENABLED=0 in a controlled environment\n"
       "(ambient GOFLAGS, GOOS, CGO_* … are ignored), checks the binary's ELF machine, and leaves\n"
       "FILE untouched when its bytes did not change. The depfile lists every Go source, embedded\n"
       "file, package directory and go.mod/go.sum outside the module cache.",
       run_go_build},
      {"layer", "write a deterministic layer holding the binary (and KODATA)",
       "usage: ko-image layer --binary FILE --name NAME --blobs DIR --output LAYER.json\n"
       "                      [--kodata DIR] [--depfile FILE] [--compression-level 0-9 (default "
       "1)] [--platform P]\n"
       "Puts FILE at /ko-app/NAME (0555) and KODATA at /var/run/ko in a tar.gz blob in DIR/blobs,\n"
       "and writes its descriptor (digest, diffID, size, ELF interpreter if any) to LAYER.json.\n"
       "Times come from SOURCE_DATE_EPOCH (else 0). --platform checks the ELF machine of a\n"
       "binary go-build did not make (CMake TARGETs).",
       run_layer},
      {"image", "append a layer to a base image for one platform",
       "usage: ko-image image --layer LAYER.json --platform P --binary-name NAME --blobs DIR\n"
       "                      --output IMAGE.json [--base scratch|oci-layout:DIR[:TAG|@DIGEST]]\n"
       "                      [--env K=V]... [--arg A]... [--workdir D] [--user U]\n"
       "                      [--label K=V]... [--annotation K=V]... [--lock-file FILE]\n"
       "BASE may also be a registry reference (registry/repo[:tag][@digest]); its tag is pinned\n"
       "through the lock file and its blobs are cached in KO_CACHE_DIR.\n"
       "Writes the config and manifest blobs to DIR and the manifest's descriptor to IMAGE.json.",
       run_image},
      {"index", "combine per-platform images into an image index",
       "usage: ko-image index --blobs DIR --output INDEX.json [--annotation K=V]... IMAGE.json...",
       run_index},
      {"layout", "write an OCI image layout and the digest file",
       "usage: ko-image layout --blobs DIR --descriptor TOP.json --layout OUT.oci\n"
       "                       --digest-file OUT.digest [--tag TAG]...\n"
       "Links every blob reachable from TOP into OUT.oci, then replaces index.json atomically.",
       run_layout},
      {"publish", "push an OCI layout's image to a registry and print its reference",
       "usage: ko-image publish --layout DIR (--repository REPO | --importpath IP [--docker-repo "
       "REPO]\n"
       "                        [--naming default|bare|base|preserve]) [--tag TAG]... [--ref-file "
       "FILE]\n"
       "                        [--chunk-size BYTES]   (larger blobs go up in PATCH chunks; 16 "
       "MiB)\n"
       "Pushes missing blobs (in parallel; mounted from the base's repository when on the same\n"
       "registry), then manifests by digest, then tags. Prints registry/repo[:tag]@sha256:… on "
       "stdout.\n"
       "Without --repository the repository is --docker-repo or $KO_DOCKER_REPO plus a name from\n"
       "the import path (default: <last element>-<md5 of import path>, as ko names it).",
       run_publish},
      {"lock", "pin base image tags to digests in a lock file",
       "usage: ko-image lock --lock-file ko.lock.json BASE...\n"
       "Resolves each BASE reference's tag at its registry now and records the digest (and the\n"
       "digest per platform of an index) in the lock file, replacing older entries.",
       run_lock},
      {"resolve", "replace ko://<import path> image values in YAML with pushed references",
       "usage: ko-image resolve -f FILE|DIR|- [-f …] [--image ko://PATH=REF]...\n"
       "                        [--image-ref-file ko://PATH=FILE.ref]... [--output FILE]\n"
       "Replaces whole YAML scalars that are exactly ko://PATH, keeping every other byte;\n"
       "a directory means its *.yaml/*.yml files, joined with ---. Prints to stdout unless "
       "--output.",
       run_resolve},
      {"tarball", "write a docker-load tarball and/or an oci-archive of an OCI layout",
       "usage: ko-image tarball --layout DIR [--docker-archive FILE --platform P --repo-tag "
       "REPO:TAG]\n"
       "                        [--oci-archive FILE] [--source-date-epoch N]\n"
       "docker-archive: manifest.json + repositories + blobs of one platform (docker load,\n"
       "skopeo docker-archive:). oci-archive: the whole layout as a tar (podman, skopeo "
       "oci-archive:).\n"
       "Both are deterministic.",
       run_tarball},
      {"diff", "explain how two OCI layouts differ (exit 1 when they do)",
       "usage: ko-image diff LAYOUT-A LAYOUT-B\n"
       "Names the first differing blob and, for a layer, the first differing tar entry and field.",
       run_diff},
      {"verify", "check that a pushed image is identical to a local build (exit 0 only then)",
       "usage: ko-image verify REGISTRY-REF --layout DIR\n"
       "Fetches what is needed into KO_CACHE_DIR and explains any difference like `diff`.",
       run_verify},
      {"sbom", "write an SPDX 2.3 SBOM of a Go binary",
       "usage: ko-image sbom --binary FILE --platform P --output FILE.spdx.json [--go GO]\n"
       "                     [--source-date-epoch N]\n"
       "From `go version -m`: main module, dependencies (versions, go.sum hashes), Go version,\n"
       "build settings. Deterministic.",
       run_sbom},
      {"static-base", "write the built-in static base image as an OCI layout",
       "usage: ko-image static-base --output DIR", run_static_base},
      {"digest", "print the digest of an OCI layout's image(s) or of a file",
       "usage: ko-image digest LAYOUT-DIR|FILE", run_digest},
      {"inspect", "show the platforms, layers and config of an OCI layout",
       "usage: ko-image inspect LAYOUT-DIR | REGISTRY-REF\nA reference is fetched through the "
       "shared cache (KO_CACHE_DIR).",
       run_inspect},
  };
  return table;
}

}  // namespace ko::cli
