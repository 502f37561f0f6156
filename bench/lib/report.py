#!/usr/bin/env python3
"""Turns bench/run's measurements into the results file: tables of medians (min–max),
ratios computed within this run, the issue's targets checked against them, and an SVG
chart drawn by gnuplot.

    report.py RESULTS_DIR --markdown FILE [--chart FILE.svg]

RESULTS_DIR holds hyperfine JSON files (<workload>.<scenario>.json, layer.<w>.json,
sha256.json, scale.*.json), metrics.tsv (key, value) and about (key=value lines).
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

SCENARIOS = [("cold", "cold"), ("noop", "no-op"), ("incremental", "incremental")]
WORKLOADS = [
    ("hello-1p", "examples/hello, linux/amd64"),
    ("hello-2p", "examples/hello, linux/amd64 + linux/arm64"),
    ("big", "generated large program (stdlib only), linux/amd64"),
]
TOOL_NOTES = {
    "go-build": "`go build` alone, same flags (per platform)",
    "upload": "raw upload of the layer's bytes (curl POST + PUT -T)",
    "floor": "go-build + upload: the floor",
    "cmake-ko": "`cmake --build … --target <image>_publish`",
    "ko": "`ko build --sbom=none`",
    "crane": "go build + tar + `crane append` + `crane mutate`",
    "umoci+skopeo": "go build + `umoci insert` + `umoci config` + `skopeo copy`",
    "buildah": "go build + `buildah bud` + `buildah push` (vfs, chroot)",
    "docker-legacy": "go build + `docker build` (classic builder) + `docker push`, Dockerfile "
                     "FROM the static base (`docker load`ed) + COPY",
    "docker-buildkit": "the same with `DOCKER_BUILDKIT=1`",
}
# The other ways to build and publish the same image: cmake-ko must beat each.
PEERS = ["ko", "crane", "umoci+skopeo", "buildah", "docker-legacy", "docker-buildkit"]


class Timings:
    """One hyperfine JSON file: command name → list of seconds."""

    def __init__(self, path):
        with open(path) as f:
            data = json.load(f)
        self.times = {r["command"]: r["times"] for r in data["results"]}

    def median(self, name):
        return statistics.median(self.times[name]) if name in self.times else None

    def cell(self, name):
        times = self.times.get(name)
        if not times:
            return "–"
        return f"{fmt_s(statistics.median(times))} ({fmt_s(min(times))}–{fmt_s(max(times))})"


def fmt_s(seconds):
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def fmt_ratio(value):
    return "–" if value is None else f"{value:.2f}×"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def load(results):
    timings = {}
    for name in os.listdir(results):
        if name.endswith(".json"):
            timings[name[:-5]] = Timings(os.path.join(results, name))
    metrics = {}
    path = os.path.join(results, "metrics.tsv")
    if os.path.exists(path):
        for line in open(path):
            key, value = line.rstrip("\n").split("\t")
            metrics[key] = value
    about = {}
    for line in open(os.path.join(results, "about")):
        key, _, value = line.rstrip("\n").partition("=")
        about[key] = value
    return timings, metrics, about


def floor_median(timings, workload, scenario):
    t = timings.get(f"{workload}.{scenario}")
    if not t:
        return None
    go, upload = t.median("go-build"), t.median("upload")
    return None if go is None or upload is None else go + upload


def workload_tables(out, timings, metrics, workload, title):
    present = [s for s, _ in SCENARIOS if f"{workload}.{s}" in timings]
    if not present:
        return
    tools = []
    for s in present:
        for tool in timings[f"{workload}.{s}"].times:
            if tool not in tools:
                tools.append(tool)
    out.append(f"### {title}\n")
    out.append("Median seconds (min–max) of build + publish; ratio = median ÷ cmake-ko's median "
               "in the same scenario.\n")
    header = "| tool | " + " | ".join(f"{label} | ratio" for s, label in SCENARIOS if s in present)
    out.append(header + " |")
    out.append("|---" * (1 + 2 * len(present)) + "|")
    for tool in tools + ["floor"]:
        cells = []
        for s in present:
            t = timings[f"{workload}.{s}"]
            ko_median = t.median("cmake-ko")
            if tool == "floor":
                value = floor_median(timings, workload, s)
                cells += [fmt_s(value) if value else "–", fmt_ratio(ratio(value, ko_median))]
            else:
                cells += [t.cell(tool), fmt_ratio(ratio(t.median(tool), ko_median))]
        label = f"**{tool}**" if tool in ("cmake-ko", "floor") else tool
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    prefix = f"edge.{workload}."
    edges = sorted(((k[len(prefix):], int(v)) for k, v in metrics.items() if k.startswith(prefix)),
                   key=lambda e: -e[1])
    if edges:
        out.append("cmake-ko's Ninja edges in one more incremental build: "
                   + ", ".join(f"{kind} {ms} ms" for kind, ms in edges) + ".\n")


def check(out_rows, target, measured, ok, why=""):
    out_rows.append((target, measured, "met" if ok else "**missed**", "" if ok else why))


def edge_summary(metrics, workload):
    """cmake-ko's incremental steps beyond go build, from the edge breakdown."""
    prefix = f"edge.{workload}."
    edges = {k[len(prefix):]: int(v) for k, v in metrics.items() if k.startswith(prefix)}
    if not edges:
        return "no edge breakdown was recorded for this workload"
    parts = [f"{kind} {ms} ms" for kind, ms in sorted(edges.items(), key=lambda e: -e[1])
             if kind != "go build"]
    return (f"beyond go build ({edges.get('go build', 0)} ms), cmake-ko's steps took "
            + ", ".join(parts) + " (one incremental build's Ninja edges)")


def peer_ratios(t):
    """cmake-ko's median ÷ each peer's, for the peers measured in `t`."""
    ours = t.median("cmake-ko")
    return {p: ratio(ours, t.median(p)) for p in PEERS if t.median(p) is not None}


def ratios_text(ratios):
    return ", ".join(f"{r:.2f}× {p}" for p, r in ratios.items())


def targets(timings, metrics):
    rows = []
    sha = timings.get("sha256")
    if sha:
        r = ratio(sha.median("openssl dgst -sha256"), sha.median("ko-image digest"))
        check(rows, f"`ko-image digest` of {int(metrics['sha256.bytes']) >> 20} MiB ≥ 0.9× the "
              "throughput of `openssl dgst -sha256`", f"{r:.2f}×", r >= 0.9,
              "the same libcrypto code; the rest is process start-up and reads")
    t = timings.get("layer.big")
    if t and t.median("ko-image layer gzip, 2 threads"):
        two, one = t.median("ko-image layer gzip, 2 threads"), t.median("ko-image layer gzip, 1 thread")
        r = ratio(two, t.median("pigz -1, 2 threads"))
        check(rows, "layer (big): gzip, 2 threads ≤ 1.0× `pigz -1 -p 2`", f"{r:.2f}×", r <= 1.0,
              "libdeflate level 1 per 1 MiB member")
        r = ratio(t.median("ko-image layer zstd, 2 threads"), t.median("zstd -3, 2 threads"))
        check(rows, "layer (big): zstd, 2 threads ≤ 1.1× `zstd -3 -T2`", f"{r:.2f}×", r <= 1.1,
              "the same libzstd with the same two workers; on top the caller's thread runs the "
              "tar and both SHA-256 passes (~30 ms of CPU for 38 MB) on the same 2 cores, and "
              "the fixed 4 MiB jobs (for bounded memory) are smaller than zstd's default")
        r = ratio(one, two)
        check(rows, "layer (big): gzip, 2 threads ≥ 1.7× 1 thread", f"{r:.2f}×", r >= 1.7,
              "the caller's thread tars and hashes the input while two workers compress and "
              "the writer hashes the output: on 2 cores, 4 busy threads")
        gz, ours = metrics.get("layer.big.gzip1_bytes"), metrics.get("layer.big.ko_gzip_bytes")
        if gz and ours:
            r = int(ours) / int(gz)
            check(rows, "layer (big): gzip size ≤ 1.03× `gzip -1`'s", f"{r:.3f}×", r <= 1.03)
    for workload, _ in WORKLOADS:
        for s, label in (("incremental", "incremental"), ("cold", "cold (warm Go cache)")):
            t = timings.get(f"{workload}.{s}")
            if not t:
                continue
            ratios = peer_ratios(t)
            why = edge_summary(metrics, workload)
            if s == "cold":
                why = ("cold adds `cmake` configure and the base fetch (beside go build) to the "
                       "incremental steps: " + why)
            if ratios:
                check(rows, f"{workload} {label}: faster than each peer", ratios_text(ratios),
                      all(r < 1 for r in ratios.values()), why)
            if workload == "big" and s == "incremental" and ratios:
                check(rows, "big incremental: ≤ 0.9× each peer", ratios_text(ratios),
                      all(r <= 0.9 for r in ratios.values()), edge_summary(metrics, workload))
            if s == "incremental":
                floor = floor_median(timings, workload, s)
                if floor:
                    r = ratio(t.median("cmake-ko"), floor)
                    check(rows, f"{workload} incremental ≤ 1.15× the floor (go build + raw upload)",
                          f"{r:.2f}×", r <= 1.15, edge_summary(metrics, workload))
    for workload, _ in WORKLOADS:
        edges = metrics.get(f"{workload}.noop_edges")
        if edges is not None:
            check(rows, f"{workload}: no-op `cmake --build` runs zero edges", f"{edges} edges",
                  edges == "0")
        t = timings.get(f"{workload}.noop")
        if t:
            ratios = peer_ratios(t)
            if ratios:
                check(rows, f"{workload} no-op build+publish ≤ 0.2× each peer's",
                      ratios_text(ratios), all(r <= 0.2 for r in ratios.values()),
                      "no edge runs, but `<image>_publish` still asks the registry whether it "
                      "has the image (ping, HEAD of the manifest and the tag)")
    for step in ("layer", "layer_zstd", "publish"):
        rss = metrics.get(f"memory.{step}_rss_kib")
        if rss:
            mib = int(rss) / 1024
            size = int(metrics["memory.bytes"]) >> 20
            name = {"layer": "layer (gzip)", "layer_zstd": "layer (zstd)"}.get(step, step)
            check(rows, f"peak RSS ≤ 64 MiB: {name} of a {size} MiB file", f"{mib:.1f} MiB",
                  mib <= 64)
    t = timings.get("startup")
    if t:
        with_curl, without = t.median("ko-image (libcurl linked)"), t.median("ko-image --version")
        if with_curl and without:
            check(rows, "helper start-up without the network stack on steps that never touch "
                  "the network", f"{without * 1e3:.1f} ms (libcurl linked: {with_curl * 1e3:.1f} ms)",
                  without < with_curl)
    t = timings.get("scale.noop")
    if t:
        r = ratio(t.median("ko_image() graph"), t.median("plain go build graph"))
        check(rows, "20 images (+ a cgo one) × 2 platforms: no-op build ≤ 2× the plain go build graph's",
              f"{r:.2f}×", r <= 2)
    return rows


def ko_claims(out, timings):
    """ko's tracker: ~2.7 s for a no-change rerun, ~1 s to gzip a binary. Checked here."""
    lines = []
    for workload, title in WORKLOADS:
        t = timings.get(f"{workload}.noop")
        if t and t.median("ko") is not None:
            lines.append(f"`ko build` with nothing changed, {title}: {fmt_s(t.median('ko'))} s "
                         f"(`go build` alone: {fmt_s(t.median('go-build'))} s).")
    t = timings.get("big.incremental")
    if t and t.median("ko") is not None:
        rest = t.median("ko") - t.median("go-build") - t.median("upload")
        lines.append(f"`ko build` after an edit of the large program spends {fmt_s(rest)} s beyond "
                     "`go build` and the raw upload: its layer (gzip + SHA-256) and registry "
                     "round trips.")
    if lines:
        out.append("### ko's own numbers, checked\n")
        out.append("ko's tracker reports about 2.7 s for a no-change rerun (ko always runs "
                   "`go build`) and about 1 s to gzip a binary. Here:\n")
        out += [f"- {line}" for line in lines]
        out.append("")


def throughput_table(out, timings, metrics, about):
    for w in ("hello-1p", "big"):
        t = timings.get(f"layer.{w}")
        if not t:
            continue
        size = int(metrics[f"layer.{w}.tar_bytes"])
        out.append(f"### The layer step, {w} ({size / 1e6:.1f} MB tar)\n")
        out.append("| command | median s (min–max) | MB/s of tar | ratio to `gzip -1` |")
        out.append("|---|---|---|---|")
        gzip = t.median("gzip -1")
        for name in t.times:
            m = t.median(name)
            out.append(f"| {name} | {t.cell(name)} | {size / m / 1e6:.0f} | "
                       f"{fmt_ratio(ratio(m, gzip))} |")
        gz, ours = metrics.get(f"layer.{w}.gzip1_bytes"), metrics.get(f"layer.{w}.ko_gzip_bytes")
        if gz and ours:
            out.append(f"\nCompressed: `gzip -1` {int(gz) / 1e6:.2f} MB, `ko-image layer` (gzip) "
                       f"{int(ours) / 1e6:.2f} MB ({int(ours) / int(gz):.3f}×).")
        out.append("")
    t = timings.get("startup")
    if t:
        out.append("### Helper start-up\n")
        out.append("| command | median ms (min–max) |")
        out.append("|---|---|")
        for name in t.times:
            times = t.times[name]
            out.append(f"| {name} | {statistics.median(times) * 1e3:.1f} "
                       f"({min(times) * 1e3:.1f}–{max(times) * 1e3:.1f}) |")
        out.append("\nlibcurl is loaded only by the steps that talk to a registry; the second row "
                   "preloads it (`LD_PRELOAD=libcurl.so.4`), which is what linking it cost.\n")
    t = timings.get("sha256")
    if t:
        size = int(metrics["sha256.bytes"])
        ours, theirs = t.median("ko-image digest"), t.median("openssl dgst -sha256")
        out.append(f"### SHA-256 of a {size >> 20} MiB file\n")
        out.append("| command | median s (min–max) | MB/s |")
        out.append("|---|---|---|")
        for name in t.times:
            out.append(f"| {name} | {t.cell(name)} | {size / t.median(name) / 1e6:.0f} |")
        out.append(f"\n`ko-image digest` takes {ours / theirs:.2f}× the time of `openssl dgst` "
                   "(SHA-256 backend: " + about.get("sha256_backend", "?") + "; OpenSSL's EVP uses "
                   "the CPU's SHA extensions, mbedTLS 2.28 has no x86 SHA-NI code).\n")


def memory_table(out, metrics):
    if "memory.bytes" not in metrics:
        return
    size = int(metrics["memory.bytes"]) >> 20
    out.append(f"### Memory: one {size} MiB file (copies of a Go binary)\n")
    out.append("| step | peak RSS | wall time |")
    out.append("|---|---|---|")
    names = {"layer": "`ko-image layer` (gzip)", "layer_zstd": "`ko-image layer --compression zstd`",
             "publish": "`ko-image publish` (the gzip layer)"}
    for step, name in names.items():
        if f"memory.{step}_rss_kib" in metrics:
            out.append(f"| {name} | {int(metrics[f'memory.{step}_rss_kib']) / 1024:.1f} MiB | "
                       f"{float(metrics[f'memory.{step}_seconds']):.2f} s |")
    out.append(f"\nThe gzip layer blob is {int(metrics['memory.layer_bytes']) / 1e6:.0f} MB"
               + (f", the zstd one {int(metrics['memory.layer_zstd_bytes']) / 1e6:.0f} MB"
                  if "memory.layer_zstd_bytes" in metrics else "") + ".\n")


def scale_table(out, timings, metrics, results_dir):
    if "scale.images.cold_seconds" not in metrics:
        return
    out.append("### Scale: 20 services × 2 platforms (generated monorepo)\n")
    out.append("| measurement | plain go build graph | ko_image() graph |")
    out.append("|---|---|---|")
    out.append(f"| Ninja edges | {metrics['scale.plain.edges']} | {metrics['scale.images.edges']} |")
    out.append(f"| cold build, s | {metrics['scale.plain.cold_seconds']} | "
               f"{metrics['scale.images.cold_seconds']} |")
    t = timings.get("scale.noop")
    if t:
        out.append(f"| no-op build, s | {t.cell('plain go build graph')} | "
                   f"{t.cell('ko_image() graph')} |")
    out.append("")
    if "scale.publish_cold_seconds" in metrics:
        out.append(f"`ko_publish` of every image (20, and the cgo one) to an empty repository: "
                   f"{float(metrics['scale.publish_cold_seconds']):.2f} s, "
                   f"{metrics['scale.publish_refs']} references printed, "
                   f"{metrics['scale.publish_cold_requests']} registry requests.")
        t = timings.get("scale.publish-noop")
        if t:
            out.append(f" Again with nothing changed: {t.cell('ko_publish, nothing changed')} s.")
        log = os.path.join(results_dir, "scale.publish-log")
        if os.path.exists(log) and os.path.getsize(log):
            out.append("\nThe helper's summary of the first run: `" + open(log).read().strip() + "`")
        out.append("")


def chart(timings, path):
    panels = [(w, title) for w, title in WORKLOADS if f"{w}.cold" in timings and w != "hello-2p"]
    if not panels:
        return False
    tools = ["floor", "cmake-ko"] + PEERS
    with tempfile.TemporaryDirectory() as tmp:
        terminal = "svg" if path.endswith(".svg") else "pngcairo"
        script = [f'set terminal {terminal} size 1000,{420 * len(panels)} font "sans,12" background "white"',
                  f'set output "{path}"', f"set multiplot layout {len(panels)},1",
                  "set style data histogram", "set style histogram clustered gap 1",
                  "set style fill solid 0.85 border -1", "set logscale y", "set grid ytics",
                  'set ylabel "seconds (median, log scale)"', "set key outside right top"]
        medians = [statistics.median(times) for w, _ in panels for s, _ in SCENARIOS
                   if f"{w}.{s}" in timings for times in timings[f"{w}.{s}"].times.values()]
        highest = max(medians, default=1)
        script.append(f"set yrange [0.01:{highest * 2:.3f}]")
        for workload, title in panels:
            data = os.path.join(tmp, f"{workload}.dat")
            with open(data, "w") as f:
                f.write("scenario " + " ".join(f'"{t}"' for t in tools) + "\n")
                for s, label in SCENARIOS:
                    t = timings.get(f"{workload}.{s}")
                    row = [f'"{label}"']
                    for tool in tools:
                        m = floor_median(timings, workload, s) if tool == "floor" else (
                            t.median(tool) if t else None)
                        row.append(f"{m:.4f}" if m else "NaN")
                    f.write(" ".join(row) + "\n")
            script.append(f'set title "Build and publish: {title}"')
            plots = [f'"{data}" using {i + 2}:xtic(1) title columnheader({i + 2})'
                     for i in range(len(tools))]
            script.append("plot " + ", ".join(plots))
        script.append("unset multiplot")
        gp = os.path.join(tmp, "chart.gp")
        with open(gp, "w") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run(["gnuplot", gp], check=True)
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--chart")
    args = parser.parse_args()
    timings, metrics, about = load(args.results)

    out = [f"# cmake-ko benchmark, {about['date']}\n",
           f"Machine: {about['machine']}. {about['go']}, ko {about['ko']}, crane {about['crane']}, "
           f"skopeo {about['skopeo']}, umoci {about['umoci']}, "
           f"buildah {about['buildah'] or 'not run: ' + about['buildah_note']}, "
           f"docker {about.get('docker') or 'not run: ' + about.get('docker_note', '?')} (Debian's "
           "docker.io, the bench's own dockerd, vfs storage), "
           f"docker-registry {about['registry']} on 127.0.0.1 (plain HTTP). "
           f"{about['runs']} runs per measurement (hyperfine); Go build cache warm unless said.\n",
           "Every tool builds the same program with the same flags onto the same base image "
           "(the static base, pushed to the local registry) and publishes it, without SBOMs. *Cold*: empty "
           "build state and a new repository (empty: docker-registry serves a blob only to a "
           "repository it was pushed or mounted into). *No-op*: the same again. *Incremental*: "
           "one string literal in one .go file changed before each run. The floor is `go build` "
           "plus a raw upload of the new layer's bytes, measured in the same run.\n"]
    if args.chart and chart(timings, args.chart):
        out.append(f"![Build and publish times]({os.path.basename(args.chart)})\n")
    out.append("## Build and publish\n")
    for workload, title in WORKLOADS:
        workload_tables(out, timings, metrics, workload, title)
    t = timings.get("hello-1p.cold-gocache")
    if t:
        out.append("### Cold, with an empty Go build cache (examples/hello, linux/amd64)\n")
        out.append("| tool | median s (min–max) | ratio to cmake-ko |")
        out.append("|---|---|---|")
        for name in t.times:
            out.append(f"| {name} | {t.cell(name)} | "
                       f"{fmt_ratio(ratio(t.median(name), t.median('cmake-ko')))} |")
        out.append("")
    out.append("Tools: " + "; ".join(f"**{k}**: {v}" for k, v in TOOL_NOTES.items()) + ".\n")

    out.append("## Targets\n")
    out.append("| target | measured | | why, where missed |")
    out.append("|---|---|---|---|")
    for target, measured, status, why in targets(timings, metrics):
        out.append(f"| {target} | {measured} | {status} | {why} |")
    out.append("")
    ko_claims(out, timings)
    out.append("## Floors, memory and scale\n")
    throughput_table(out, timings, metrics, about)
    memory_table(out, metrics)
    scale_table(out, timings, metrics, args.results)
    with open(args.markdown, "w") as f:
        f.write("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
