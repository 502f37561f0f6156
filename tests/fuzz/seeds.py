#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a directory: small valid (and a few
nearly valid) inputs of the kind the parser reads, generated here rather than kept as
binary files in the repository.

    seeds.py TARGET DIR
"""
import gzip
import io
import json
import sys
import tarfile
from pathlib import Path

DIGEST = "sha256:" + "a" * 64


def fdp(first: bytes, second: bytes, flag: int) -> bytes:
    """The FuzzedDataProvider layout the two-document targets read: the flag byte is taken
    from the end, the first string from the front (backslashes doubled, ended by \\ + any)."""
    return first.replace(b"\\", b"\\\\") + b"\\x" + second + bytes([flag])


def manifest(config_digest=DIGEST) -> bytes:
    return json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": 2},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": DIGEST, "size": 10}],
    }).encode()


CONFIG = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/usr/bin"], "User": "65532"},
    "rootfs": {"type": "layers", "diff_ids": [DIGEST]},
    "history": [{"created": "1970-01-01T00:00:00Z"}],
}).encode()

INDEX = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": DIGEST, "size": 1,
         "platform": {"os": "linux", "architecture": "amd64"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": DIGEST, "size": 1,
         "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": DIGEST, "size": 1,
         "platform": {"os": "unknown", "architecture": "unknown"}},
    ],
}).encode()


def tar_layer(gzipped: bool) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        def add(name, kind=tarfile.REGTYPE, link=""):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, link
            tar.addfile(info, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
        add("lib", tarfile.DIRTYPE)
        add("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        add("lib64", tarfile.SYMTYPE, "lib")
        add("lib/loop", tarfile.SYMTYPE, "loop")
        add("etc/passwd")
        add("etc/.wh.passwd")
        add("var/.wh..wh..opq")
        add("hard", tarfile.LNKTYPE, "etc/passwd")
        add("up", tarfile.SYMTYPE, "../../..")
    data = out.getvalue()
    return gzip.compress(data, mtime=0) if gzipped else data


def pem(label: str, der: bytes) -> bytes:
    import base64
    return (f"-----BEGIN {label}-----\n".encode() + base64.encodebytes(der)
            + f"-----END {label}-----\n".encode())


# The P-256 key of RFC 6979 A.2.5 as SEC1 DER (a public test vector, not a secret).
RFC6979_KEY = bytes.fromhex("30310201010420c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
                            "a00a06082a8648ce3d030107")
PAYLOAD = json.dumps({"critical": {"identity": {"docker-reference": "registry.example/app"},
                                   "image": {"docker-manifest-digest": DIGEST},
                                   "type": "cosign container image signature"}, "optional": None},
                     separators=(",", ":")).encode()
SIG_MANIFEST = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": DIGEST, "size": 2},
    "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "digest": DIGEST, "size": 10,
                "annotations": {"dev.cosignproject.cosign/signature": "MEUCIQ==",
                                "dev.sigstore.cosign/bundle": "{}"}}],
}).encode()

SEEDS = {
    "reference": [b"cgr.dev/chainguard/static:latest", b"golang", b"127.0.0.1:5000/a/b@" + DIGEST.encode(),
                  b"localhost/app:v1.2", b"[::1]:5000/x", b"registry.example/team/app"],
    "www_authenticate": [b'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a:pull"',
                         b'Basic realm="Registry Realm"', b'bearer realm=https://x/t, service=s',
                         b'Bearer realm="a\\"b",error="insufficient_scope"'],
    "credentials": [b"\x00" + json.dumps({"auths": {"registry.example": {"auth": "dXNlcjpwYXNz"}}}).encode(),
                    b"\x00" + json.dumps({"auths": {"https://index.docker.io/v1/": {"identitytoken": "t"}}}).encode(),
                    b"\x00" + json.dumps({"credHelpers": {"registry.example": "fuzz"}, "credsStore": "none"}).encode(),
                    b"\x01" + json.dumps({"ServerURL": "registry.example", "Username": "u", "Secret": "s"}).encode(),
                    b"\x01" + json.dumps({"Username": "<token>", "Secret": "refresh"}).encode()],
    "image_documents": [fdp(manifest(), CONFIG, 0), fdp(INDEX, manifest(), 1), fdp(b"{}", b"[]", 0)],
    "rootfs_tar": [tar_layer(True), tar_layer(False)],
    "yaml_resolver": [b"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: ko://./cmd/app\n    args: [\"ko://./cmd/app\", x]\n",
                      b"a: &x 'ko://example.com/m/cmd/app'\nb: *x\n---\nc: |\n  ko://./cmd/app\n",
                      b"image: \"ko://./cmd/app\"\r\n# ko://./cmd/app\r\n"],
    "go_list": [json.dumps({"Dir": "/src/app", "GoFiles": ["main.go"], "EmbedFiles": ["kodata/x"],
                            "Module": {"Path": "example.com/app", "Dir": "/src", "GoMod": "/src/go.mod"}}).encode()
                + b"\n" + json.dumps({"Dir": "/usr/lib/go/src/fmt", "Standard": True}).encode()],
    "go_version_m": [b"/bin/app: go1.22.5\n\tpath\texample.com/app/cmd/app\n\tmod\texample.com/app\t(devel)\t\n"
                     b"\tdep\tgithub.com/google/uuid\tv1.6.0\th1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\n"
                     b"\tdep\tgolang.org/x/text\tv0.3.0\n\t=>\t./text\t\n\tbuild\tCGO_ENABLED=0\n\tbuild\t-trimpath=true\n"],
    "depfile": [b"/src/main.go\x00/src/go.mod", b"/a b/#c$d\x00x", b""],
    "json": [b'{"a":[1,2.5,-3,true,null,"\\u00e9"],"b":{"c":""}}', b"[]", b'"x"', b"1e400", b"-0"],
    "lock_file": [json.dumps({"version": 1, "bases": {"registry.example/base:latest": {
        "reference": "registry.example/base:latest", "digest": DIGEST,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "platforms": {"linux/amd64": DIGEST}}}}).encode(), b'{"version":2}', b"{"],
    "signature": [b"\x00" + PAYLOAD, b"\x01" + SIG_MANIFEST, b"\x02" + pem("PUBLIC KEY", RFC6979_KEY[:20]),
                  b"\x03" + pem("EC PRIVATE KEY", RFC6979_KEY), b"\x03" + pem("PRIVATE KEY", RFC6979_KEY)],
    "registry_error": [b'{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}',
                       b'{"errors":[{"code":"DENIED","message":"line one\\nline two"}]}', b"<html>502</html>"],
}

if __name__ == "__main__":
    target, directory = sys.argv[1], Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(SEEDS[target]):
        (directory / f"seed-{number}").write_bytes(seed)
