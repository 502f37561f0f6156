#include "cli/commands.hpp"

namespace ko::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {"go-build", "build a static Go binary for one platform, with a Ninja depfile",
       "usage: ko-image go-build --go GO --module-dir DIR --package PKG --platform "
       "OS/ARCH[/VARIANT]\n"
       "                         --output FILE [--depfile FILE [--ninja-dir DIR]] [--ldflag "
       "FLAG]... "
       "[--goflag FLAG]...\n"
       "                         [--cc CC [--cxx CXX] [--cgo-cflags F] [--cgo-ldflags F]]  (cgo, "
       "static)\n"
       "Runs `go build -trimpath -buildvcs=false` with CGO_ENABLED=0 in a controlled environment\n"
       "(ambient GOFLAGS, GOOS, CGO_* … are ignored), checks the binary's ELF machine, and leaves\n"
       "FILE untouched when its bytes did not change. The depfile lists every Go source, embedded\n"
       "file, package directory and go.mod/go.sum outside the module cache; paths under "
       "--ninja-dir\n"
       "(the directory Ninja runs in) relative to it, as build.ninja names them.",
       run_go_build, Network::kNever},
      {"layer", "write a deterministic layer holding the binary (and KODATA)",
       "usage: ko-image layer --binary FILE --name NAME --blobs DIR --output LAYER.json\n"
       "                      [--kodata DIR] [--depfile FILE [--ninja-dir DIR]] [--platform P]\n"
       "                      [--compression gzip|zstd (gzip)] [--compression-level N]\n"
       "                      [--threads N (the number of CPUs)]\n"
       "Puts FILE at /ko-app/NAME (0555) and KODATA at /var/run/ko in a tar.gz (or tar.zst) blob\n"
       "in DIR/blobs, and writes its descriptor (media type, digest, diffID, size, compressor,\n"
       "ELF interpreter if any) to LAYER.json. Times come from SOURCE_DATE_EPOCH (else 0).\n"
       "--platform checks the ELF machine of a binary go-build did not make (CMake TARGETs).\n"
       "gzip: libdeflate levels 0-12 (default 1), one gzip member per 1 MiB on N threads;\n"
       "zstd: levels 1-22 (default 3), N zstd workers; an OCI media type (tar+zstd), so the\n"
       "image needs an OCI base. The bytes never depend on N.",
       run_layer, Network::kNever},
      {"image", "append a layer to a base image for one platform",
       "usage: ko-image image --layer LAYER.json --platform P --binary-name NAME --blobs DIR\n"
       "                      --output IMAGE.json [--base scratch|oci-layout:DIR[:TAG|@DIGEST]]\n"
       "                      [--env K=V]... [--arg A]... [--workdir D] [--user U]\n"
       "                      [--label K=V]... [--annotation K=V]... [--lock-file FILE]\n"
       "BASE may also be a registry reference (registry/repo[:tag][@digest]); its tag is pinned\n"
       "through the lock file and its blobs are cached in KO_CACHE_DIR.\n"
       "Writes the config and manifest blobs to DIR and the manifest's descriptor to IMAGE.json.",
       run_image, Network::kMayUse},
      {"index", "combine per-platform images into an image index",
       "usage: ko-image index --blobs DIR --output INDEX.json [--annotation K=V]... IMAGE.json...",
       run_index, Network::kNever},
      {"layout", "write an OCI image layout and the digest file",
       "usage: ko-image layout --blobs DIR --descriptor TOP.json --layout OUT.oci\n"
       "                       --digest-file OUT.digest [--tag TAG]...\n"
       "Links every blob reachable from TOP into OUT.oci, then replaces index.json atomically.",
       run_layout, Network::kNever},
      {"publish", "push OCI layouts' images to registries and print their references",
       "usage: ko-image publish --layout DIR (--repository REPO | --importpath IP [--docker-repo "
       "REPO]\n"
       "                        [--naming default|bare|base|preserve]) [--tag TAG]... [--name "
       "NAME]\n"
       "                        [--ref-file FILE] [--sbom PLATFORM=FILE]... [--signing-key "
       "KEY.pem]\n"
       "       ko-image publish --image-args FILE [--image-args FILE]...   (several images)\n"
       "       both with [--jobs N (8)] [--chunk-size BYTES (16 MiB; larger blobs go up in PATCH "
       "chunks)]\n"
       "                 [--to registry|daemon]\n"
       "An --image-args file holds one image's flags, one per line (--layout=DIR, …). All images\n"
       "share one HTTP client (connections are reused): the registries are asked what they lack,\n"
       "then the missing blobs of all images go up together, N requests at a time (mounted from\n"
       "the base's repository, or from another image's, when on the same registry), then the\n"
       "manifests by digest, then tags. Prints registry/repo[:tag]@sha256:… on stdout, one line\n"
       "per image in the order given. A failed image does not stop the others; the exit is\n"
       "nonzero and each failure is named on stderr.\n"
       "Without --repository the repository is --docker-repo or $KO_DOCKER_REPO plus a name from\n"
       "the import path (default: <last element>-<md5 of import path>, as ko names it).\n"
       "With --signing-key (else $KO_SIGNING_KEY), a PEM EC P-256 private key, every manifest\n"
       "pushed (image, index and its images, SBOMs) gets a cosign signature (sha256-<hex>.sig\n"
       "tag; also a referrer where the registry has the OCI 1.1 referrers API), deterministic:\n"
       "a second publish sends nothing. A key that cannot be used stops the run before any push.\n"
       "A repository on ko.local (KO_DOCKER_REPO=ko.local), or --to daemon for every image, loads\n"
       "the image for the daemon's platform into the Docker daemon of DOCKER_HOST (default\n"
       "unix:///var/run/docker.sock) through its Engine API, as ko.local/<name>:<manifest hex>\n"
       "and ko.local/<name>:<tag>, and prints ko.local/<name>:<manifest hex>.",
       run_publish, Network::kMayUse},
      {"fetch-base", "fetch a registry base image for one platform into the shared cache",
       "usage: ko-image fetch-base --base REF --platform P --output BASE.digest\n"
       "                           [--lock-file ko.lock.json]\n"
       "Pins REF's tag in the lock file (unless REF has a digest or the lock has it), fetches\n"
       "the platform's manifest, config and layers into KO_CACHE_DIR when missing, and writes\n"
       "the manifest digest to BASE.digest (rewritten only when it changes). Run beside go build,\n"
       "so the image step needs no network.",
       run_fetch_base, Network::kMayUse},
      {"lock", "pin base image tags to digests in a lock file",
       "usage: ko-image lock --lock-file ko.lock.json BASE...\n"
       "Resolves each BASE reference's tag at its registry now and records the digest (and the\n"
       "digest per platform of an index) in the lock file, replacing older entries.",
       run_lock, Network::kMayUse},
      {"resolve", "replace ko://<import path> image values in YAML with pushed references",
       "usage: ko-image resolve -f FILE|DIR|- [-f …] [--image ko://PATH=REF]...\n"
       "                        [--image-ref-file ko://PATH=FILE.ref]... [--output FILE] "
       "[--check]\n"
       "Replaces whole YAML scalars that are exactly ko://PATH, keeping every other byte;\n"
       "a directory means its *.yaml/*.yml files, joined with ---. Prints to stdout unless "
       "--output.\nInput that is not YAML is refused. --check only validates the YAML and "
       "that every ko:// path has an image\n(the .ref files need not exist yet).",
       run_resolve, Network::kNever},
      {"tarball", "write a docker-load tarball and/or an oci-archive of an OCI layout",
       "usage: ko-image tarball --layout DIR [--docker-archive FILE --platform P --repo-tag "
       "REPO:TAG]\n"
       "                        [--oci-archive FILE] [--source-date-epoch N]\n"
       "docker-archive: manifest.json + repositories + blobs of one platform (docker load,\n"
       "skopeo docker-archive:). oci-archive: the whole layout as a tar (podman, skopeo "
       "oci-archive:).\n"
       "Both are deterministic.",
       run_tarball, Network::kNever},
      {"diff", "explain how two OCI layouts differ (exit 1 when they do)",
       "usage: ko-image diff LAYOUT-A LAYOUT-B\n"
       "Names the first differing blob and, for a layer, the first differing tar entry and field.",
       run_diff, Network::kMayUse},
      {"verify",
       "check a pushed image against a local build and/or its cosign signatures (exit 0 only "
       "when all hold)",
       "usage: ko-image verify REGISTRY-REF [--layout DIR] [--key PUB.pem]\n"
       "--layout: fetches what is needed into KO_CACHE_DIR and explains any difference like "
       "`diff`.\n"
       "--key: the image (an index and each of its images) must carry a cosign signature that\n"
       "verifies under the EC P-256 public key and claims this digest and repository.",
       run_verify, Network::kMayUse},
      {"sbom", "write an SPDX 2.3 SBOM of a Go binary",
       "usage: ko-image sbom --binary FILE --platform P --output FILE.spdx.json [--go GO]\n"
       "                     [--source-date-epoch N] [--go-sum FILE]\n"
       "From `go version -m`: main module, dependencies (versions, go.sum hashes), Go version,\n"
       "build settings. Deterministic. --go-sum: the main module's go.sum, for the hashes a\n"
       "-mod=vendor build does not record in the binary.",
       run_sbom, Network::kNever},
      {"static-base", "write the built-in static base image as an OCI layout",
       "usage: ko-image static-base --output DIR --data DIR\n"
       "  --data DIR  the pinned CA bundle and zone info with their manifest (cmake-ko's\n"
       "              tool/static-base; installed as lib/cmake/KoImage/static-base)",
       run_static_base, Network::kNever},
      {"digest", "print the digest of an OCI layout's image(s) or of a file",
       "usage: ko-image digest LAYOUT-DIR|FILE", run_digest, Network::kNever},
      {"inspect", "show the platforms, layers and config of an OCI layout",
       "usage: ko-image inspect LAYOUT-DIR | REGISTRY-REF\nA reference is fetched through the "
       "shared cache (KO_CACHE_DIR).",
       run_inspect, Network::kMayUse},
  };
  return table;
}

}  // namespace ko::cli
