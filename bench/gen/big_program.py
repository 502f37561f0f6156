#!/usr/bin/env python3
"""Generates a large stdlib-only Go program for the benchmark: a main package importing
PACKAGES generated packages, each with FUNCS functions (real code the compiler and
linker must handle) and a table of distinct strings (read-only data), so the binary
grows like a real service's rather than like an embedded blob.

    big_program.py DIR [--packages N] [--funcs N]

Deterministic: the same arguments give the same files. Also writes a CMakeLists.txt with
one ko_image(). The edit scenario changes Version in internal/p000/edit.go.
"""
import argparse
import os
import random

MODULE = "example.com/bigservice"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def package_source(index, funcs, rng):
    name = f"p{index:03d}"
    lines = [f"// Package {name} is generated benchmark code.", f"package {name}", "",
             'import "strings"', ""]
    for f in range(funcs):
        a, b, c = rng.randrange(1, 1 << 16), rng.randrange(1, 1 << 16), rng.randrange(3, 17)
        lines += [
            f"func F{f}(x int, s string) (int, string) {{",
            f"\tacc := x*{a} + {b}",
            f"\tfor i := 0; i < len(s)%{c}; i++ {{",
            f"\t\tswitch (acc + i) % 5 {{",
            f"\t\tcase 0:\n\t\t\tacc ^= {rng.randrange(1 << 30)}",
            f"\t\tcase 1:\n\t\t\tacc += int(s[i]) * {rng.randrange(1 << 12)}",
            f"\t\tcase 2:\n\t\t\tacc = acc<<{rng.randrange(1, 7)} | acc>>{rng.randrange(1, 7)}",
            f"\t\tcase 3:\n\t\t\ts = strings.ToUpper(s)",
            f"\t\tdefault:\n\t\t\tacc -= len(Table[acc&{(1 << 10) - 1}])",
            "\t\t}",
            "\t}",
            f'\treturn acc, s + "{name}.F{f}"',
            "}",
            "",
        ]
    lines.append("// Run calls every function once, so the linker keeps them all.")
    lines.append("func Run(x int) int {\n\ts := \"\"")
    for f in range(funcs):
        lines.append(f"\tx, s = F{f}(x, s[len(s)/2:])")
    lines.append("\treturn x + len(s)\n}\n")
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
             "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo"]
    lines.append("// Table is read-only data, like a service's messages, schemas and templates.")
    lines.append("var Table = [...]string{")
    for t in range(1024):
        text = " ".join(rng.choice(words) for _ in range(24)) + f" {name}-{t}-{rng.randrange(1 << 40):x}"
        lines.append(f'\t"{text}",')
    lines.append("}\n")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--packages", type=int, default=120)
    parser.add_argument("--funcs", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(20261129)
    write(os.path.join(args.dir, "go.mod"), f"module {MODULE}\n\ngo 1.19\n")
    imports, calls = [], []
    for p in range(args.packages):
        write(os.path.join(args.dir, "internal", f"p{p:03d}", "gen.go"),
              package_source(p, args.funcs, rng))
        imports.append(f'\t"{MODULE}/internal/p{p:03d}"')
        calls.append(f"\tx = p{p:03d}.Run(x)")
    write(os.path.join(args.dir, "internal", "p000", "edit.go"),
          'package p000\n\n// Version is what the edit scenario changes.\nconst Version = "v1"\n')
    main_go = ["package main", "", 'import (', '\t"fmt"', '\t"os"', ""] + imports + [")", "",
               "func main() {", "\tx := len(os.Args)"] + calls + [
               '\tfmt.Println("bigservice", p000.Version, x)', "}", ""]
    write(os.path.join(args.dir, "cmd", "bigservice", "main.go"), "\n".join(main_go))
    write(os.path.join(args.dir, "CMakeLists.txt"),
          "cmake_minimum_required(VERSION 3.25)\nproject(bigservice LANGUAGES NONE)\n"
          "find_package(KoImage REQUIRED)\n"
          "ko_image(bigservice_image IMPORTPATH ./cmd/bigservice LDFLAGS -s -w)\n")


if __name__ == "__main__":
    main()
