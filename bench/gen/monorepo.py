#!/usr/bin/env python3
"""Generates a monorepo for the scale benchmark: SERVICES small stdlib-only Go services
sharing one internal package, and a CMakeLists.txt with one ko_image() per service for
PLATFORMS; plus (unless --no-cgo) one cgo service calling a C library of the project, for
PLATFORMS too, its arm64 C code compiled by aarch64-linux-gnu-gcc in the tree cmake-ko
manages (KO_TOOLCHAIN_linux_arm64). With -DBENCH_WITHOUT_IMAGES=ON the same project builds
the same binaries with plain rules instead (add_custom_command(go build), and for the cgo
service the library through CMake for the host and through the cross compiler's gcc/ar for
arm64): the graph to compare a no-op build with.

    monorepo.py DIR [--services N] [--platforms "linux/amd64;linux/arm64"] [--no-cgo]
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
    parser.add_argument("--no-cgo", dest="cgo", action="store_false")
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
    if args.cgo:
        write(os.path.join(args.dir, "native", "native.h"), "int native_add(int a, int b);\n")
        write(os.path.join(args.dir, "native", "native.c"),
              '#include "native.h"\n\nint native_add(int a, int b) { return a + b; }\n')
        write(os.path.join(args.dir, "cmd", "cgosvc", "main.go"),
              "package main\n\n/*\n#include \"native.h\"\n*/\nimport \"C\"\n\n"
              "import \"fmt\"\n\n"
              "func main() { fmt.Println(\"cgosvc\", int(C.native_add(2, 3))) }\n")
        write(os.path.join(args.dir, "toolchains", "aarch64-linux-gnu.cmake"),
              "set(CMAKE_SYSTEM_NAME Linux)\nset(CMAKE_SYSTEM_PROCESSOR aarch64)\n"
              "set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)\n")
    cmake = [
        "cmake_minimum_required(VERSION 3.25)",
        f"project(monorepo LANGUAGES {'C' if args.cgo else 'NONE'})",
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
    ]
    if args.cgo:
        cmake += [
            "  add_library(native STATIC native/native.c)",
            "  foreach(platform IN LISTS platforms)",
            "    string(REPLACE \"/\" \";\" parts ${platform})",
            "    list(GET parts 0 goos)",
            "    list(GET parts 1 goarch)",
            "    set(out ${CMAKE_BINARY_DIR}/${goos}_${goarch}/cgosvc)",
            "    if(goarch STREQUAL \"arm64\")",
            "      set(lib ${CMAKE_BINARY_DIR}/arm64/libnative.a)",
            "      add_custom_command(OUTPUT ${lib}",
            "        COMMAND aarch64-linux-gnu-gcc -c ${CMAKE_SOURCE_DIR}/native/native.c -o ${lib}.o",
            "        COMMAND aarch64-linux-gnu-ar rcs ${lib} ${lib}.o",
            "        DEPENDS ${CMAKE_SOURCE_DIR}/native/native.c ${CMAKE_SOURCE_DIR}/native/native.h VERBATIM)",
            "      set(cc aarch64-linux-gnu-gcc)",
            "      set(lib_depends ${lib})",
            "    else()",
            "      set(lib $<TARGET_FILE:native>)",
            "      set(cc ${CMAKE_C_COMPILER})",
            "      set(lib_depends native)",
            "    endif()",
            "    add_custom_command(OUTPUT ${out}",
            "      COMMAND ${CMAKE_COMMAND} -E env CGO_ENABLED=1 GOOS=${goos} GOARCH=${goarch} CC=${cc}",
            "        CGO_CFLAGS=-I${CMAKE_SOURCE_DIR}/native CGO_LDFLAGS=${lib}",
            "        ${GO} build -trimpath -o ${out} ./cmd/cgosvc",
            "      DEPENDS ${CMAKE_SOURCE_DIR}/cmd/cgosvc/main.go ${lib_depends} ${CMAKE_SOURCE_DIR}/go.mod",
            "      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} VERBATIM)",
            "    list(APPEND outputs ${out})",
            "  endforeach()",
        ]
    cmake += [
        "  add_custom_target(binaries ALL DEPENDS ${outputs})",
        "else()",
        "  find_package(KoImage REQUIRED)",
        "  foreach(service IN LISTS services)",
        "    ko_image(${service} IMPORTPATH ./cmd/${service} PLATFORMS ${platforms})",
        "  endforeach()",
    ]
    if args.cgo:
        cmake += [
            "  set(KO_TOOLCHAIN_linux_arm64 ${CMAKE_SOURCE_DIR}/toolchains/aarch64-linux-gnu.cmake)",
            "  add_library(native STATIC native/native.c)",
            "  target_include_directories(native PUBLIC ${CMAKE_SOURCE_DIR}/native)",
            "  ko_image(cgosvc IMPORTPATH ./cmd/cgosvc CGO LINK_LIBRARIES native PLATFORMS ${platforms})",
        ]
    cmake += ["endif()", ""]
    write(os.path.join(args.dir, "CMakeLists.txt"), "\n".join(cmake))


if __name__ == "__main__":
    main()
