#!/usr/bin/env python3
"""Generates a monorepo for the scale benchmark: SERVICES small stdlib-only Go services
sharing one internal package, and a CMakeLists.txt with one ko_image() per service for
PLATFORMS. With -DBENCH_WITHOUT_IMAGES=ON the same project builds the same Go binaries
with plain add_custom_command(go build) rules instead: the graph to compare a no-op
build with.

    monorepo.py DIR [--services N] [--platforms "linux/amd64;linux/arm64"]
"""
import argparse
import os

MODULE = "example.com/monorepo"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--platforms", default="linux/amd64;linux/arm64")
    args = parser.parse_args()
    write(os.path.join(args.dir, "go.mod"), f"module {MODULE}\n\ngo 1.19\n")
    write(os.path.join(args.dir, "internal", "shared", "shared.go"),
          "// Package shared is what every service imports.\npackage shared\n\n"
          'import "strings"\n\n'
          "// Banner names a service.\n"
          'func Banner(name string) string { return strings.ToUpper(name) + " ready" }\n')
    services = [f"svc{i:02d}" for i in range(args.services)]
    for name in services:
        write(os.path.join(args.dir, "cmd", name, "main.go"),
              "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\n"
              f"\t\"{MODULE}/internal/shared\"\n)\n\n"
              "func main() {\n"
              f"\tfmt.Println(shared.Banner(\"{name}\"))\n"
              "\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {\n"
              f"\t\tfmt.Fprintln(w, \"{name}\")\n\t}})\n"
              "\t_ = http.ListenAndServe(\":8080\", nil)\n}\n")
    cmake = [
        "cmake_minimum_required(VERSION 3.25)",
        "project(monorepo LANGUAGES NONE)",
        "option(BENCH_WITHOUT_IMAGES \"Build the binaries only, with plain go build rules\" OFF)",
        f"set(services {';'.join(services)})",
        f"set(platforms \"{args.platforms}\")",
        "if(BENCH_WITHOUT_IMAGES)",
        "  find_program(GO go REQUIRED)",
        "  set(shared_sources ${CMAKE_SOURCE_DIR}/internal/shared/shared.go)",
        "  foreach(service IN LISTS services)",
        "    foreach(platform IN LISTS platforms)",
        "      string(REPLACE \"/\" \";\" parts ${platform})",
        "      list(GET parts 0 goos)",
        "      list(GET parts 1 goarch)",
        "      set(out ${CMAKE_BINARY_DIR}/${goos}_${goarch}/${service})",
        "      add_custom_command(OUTPUT ${out}",
        "        COMMAND ${CMAKE_COMMAND} -E env CGO_ENABLED=0 GOOS=${goos} GOARCH=${goarch}",
        "          ${GO} build -trimpath -o ${out} ./cmd/${service}",
        "        DEPENDS ${CMAKE_SOURCE_DIR}/cmd/${service}/main.go ${shared_sources} ${CMAKE_SOURCE_DIR}/go.mod",
        "        WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} VERBATIM)",
        "      list(APPEND outputs ${out})",
        "    endforeach()",
        "  endforeach()",
        "  add_custom_target(binaries ALL DEPENDS ${outputs})",
        "else()",
        "  find_package(KoImage REQUIRED)",
        "  foreach(service IN LISTS services)",
        "    ko_image(${service} IMPORTPATH ./cmd/${service} PLATFORMS ${platforms})",
        "  endforeach()",
        "endif()",
        "",
    ]
    write(os.path.join(args.dir, "CMakeLists.txt"), "\n".join(cmake))


if __name__ == "__main__":
    main()
