# KoImage
# -------
# Container images of Go programs (and of CMake executables) as ordinary build outputs, the
# way `ko` makes them, built by Ninja through the `ko-image` helper.
#
#   find_package(KoImage REQUIRED)     # or include(KoImage) after add_subdirectory(cmake-ko)
#
# Functions: ko_image(), ko_resolve(), ko_add_reproducibility_test() (the last one lives in
# KoReproducibilityTest.cmake beside this file, included here). Everything named _ko_* or
# _KO_* is private. Mistakes stop configure with a FATAL_ERROR naming the call and the
# argument; unknown arguments are rejected.
#
# ko_image
# ^^^^^^^^
#
#   ko_image(<name>
#     IMPORTPATH <package>... [CGO [LINK_LIBRARIES <library>...]] | TARGET <executable>
#     [GO_MODULE_DIR <dir>] [BASE <base>] [PLATFORMS <os/arch[/variant]>...]
#     [LDFLAGS <flag>...] [GOFLAGS <flag>...]
#     [ENV <KEY=VALUE>...] [ARGS <arg>...] [WORKDIR <abs path>] [USER <user[:group]>]
#     [LABELS <key=value>...] [ANNOTATIONS <key=value>...] [KODATA <dir>] [TAGS <tag>...]
#     [REPOSITORY <registry/repo>] [NAMING default|bare|base|preserve]
#     [EXPECT_DIGEST sha256:… | <platform>=sha256:…...] [SBOM spdx|none]
#     [SIGNING_KEY <file>] [COMPRESSION gzip|zstd])
#
#   IMPORTPATH     The main package: ./cmd/app (relative to GO_MODULE_DIR, and inside it) or a
#                  full import path of that module (example.com/m/cmd/app). The binary is named
#                  like `go install` names it: the last element, a /vN suffix skipped. Several
#                  packages: one layer per binary, all in /ko-app (on PATH), the first is the
#                  Entrypoint and gets KODATA and the SBOM.
#   CGO            Build the Go packages with cgo (CGO_ENABLED=1) and this build's C and C++
#                  compilers as CC/CXX (behind their CMAKE_<LANG>_COMPILER_LAUNCHER, e.g.
#                  ccache), linked statically so the binary runs on the static base. Needs
#                  the C language enabled; only with IMPORTPATH. A platform other than the
#                  CMake toolchain's needs KO_TOOLCHAIN_<os>_<arch> (see "Other platforms").
#   LINK_LIBRARIES With CGO: STATIC or SHARED library targets defined before ko_image(). Their
#                  INTERFACE_INCLUDE_DIRECTORIES (-I) and INTERFACE_COMPILE_DEFINITIONS (-D)
#                  go into CGO_CFLAGS; their files and INTERFACE_LINK_OPTIONS into CGO_LDFLAGS
#                  (with -lstdc++ -lm when one has C++ sources). Libraries they link in turn are
#                  not followed: list them too. The go build step depends on the libraries, so
#                  editing one relinks the Go binary.
#   TARGET         Instead of IMPORTPATH: a CMake executable target (C/C++), put at
#                  /ko-app/<OUTPUT_NAME or target name>. PLATFORMS defaults to its toolchain's
#                  platform (x86_64 → linux/amd64, aarch64 → linux/arm64, …); another needs
#                  KO_TOOLCHAIN_<os>_<arch> (see "Other platforms"). Its ELF machine is
#                  checked. No SBOM, no default KODATA. A dynamically linked one needs its ELF
#                  interpreter in the base (the build fails otherwise: link with -static, or
#                  use a libc base).
#   GO_MODULE_DIR  The folder with go.mod, relative to CMAKE_CURRENT_SOURCE_DIR (the default).
#   BASE           static (default: the helper's built-in base, see KO_DEFAULT_BASE_IMAGE) |
#                  scratch (no base layers) | oci-layout:<dir>[:tag|@sha256:…] (an image layout on
#                  disk, relative to CMAKE_CURRENT_SOURCE_DIR) | registry/repo[:tag][@sha256:…]
#                  (a tag is pinned in KO_LOCK_FILE; the base is fetched into KO_CACHE_DIR).
#   PLATFORMS      linux/<arch>[/<variant>], arch one of amd64 arm64 arm 386 ppc64le ppc64 s390x
#                  riscv64 mips64le mips64 mipsle mips loong64 (variants: amd64 v1-v4, arm64
#                  v8, arm v5-v7). Default KO_DEFAULT_PLATFORMS, else linux/<go host arch>
#                  (TARGET: the toolchain's platform). Several give an image index.
#   LDFLAGS        Linker flags, one flag per item: -s -w -X main.version=1.2 (an item may not
#                  hold both quote characters).
#   GOFLAGS        Extra build flags for go build and go list: -tags=netgo, -mod=vendor.
#   ENV            Image config Env, after PATH and KO_DATA_PATH.
#   ARGS           Image config Cmd (arguments after the entrypoint); without it the base's Cmd
#                  is cleared.
#   WORKDIR, USER  Image config WorkingDir (an absolute path) and User.
#   LABELS         Image config Labels.
#   ANNOTATIONS    Manifest annotations, and index annotations for several platforms.
#   KODATA         Files shipped at /var/run/ko (KO_DATA_PATH), relative to
#                  CMAKE_CURRENT_SOURCE_DIR; default <first package dir>/kodata when it exists.
#   TAGS           Ref names in the OCI layout and tags pushed; default latest. Checked against
#                  the distribution-spec tag grammar.
#   REPOSITORY     Where <name>_publish pushes (no tag or digest: use TAGS); default from
#                  KO_DOCKER_REPO and NAMING.
#   NAMING         How a repository is named from KO_DOCKER_REPO, as ko does: default
#                  (<last element>-<md5 of import path>), bare (KO_DOCKER_REPO itself), base
#                  (<last element>), preserve (<import path>).
#   EXPECT_DIGEST  sha256:… for the image, or <platform>=sha256:… items for PLATFORMS entries:
#                  the build fails on any other digest (release pinning).
#   SBOM           spdx: an SPDX 2.3 SBOM per platform, <name>.spdx.json (<name>-<os>-<arch>.spdx.json
#                  when several), in `all` and attached on publish; none: no SBOM. Default
#                  KO_DEFAULT_SBOM, else spdx. Go binaries only.
#   SIGNING_KEY    Sign on publish (cosign format): a PEM EC P-256 private key, relative to
#                  CMAKE_CURRENT_SOURCE_DIR; default KO_SIGNING_KEY. Only the path is kept,
#                  never the key.
#   COMPRESSION    Layer compression; default KO_DEFAULT_COMPRESSION, else gzip (libdeflate
#                  level 1, parallel 1 MiB members). zstd (level 3): smaller, faster to unpack,
#                  OCI bases only; pulled by containerd ≥ 1.5, Docker Engine ≥ 23,
#                  podman/CRI-O/skopeo (containers/image ≥ 4.0); older Docker, umoci 0.4.7 and
#                  some scanners cannot.
#
# Builds, as part of `all`:
#   <binary dir>/<name>.oci/       an OCI image layout (oci-layout, index.json, blobs/sha256)
#   <binary dir>/<name>.digest     the image's digest: a manifest for one platform, an index
#                                  for several
#   <binary dir>/<name>*.spdx.json the SBOMs (SBOM spdx)
# Every step is its own Ninja edge (go build, layer, image per platform; index; layout),
# reruns only when its inputs change, and a no-op build runs none.
#
# Other platforms (TARGET and CGO images)
#   Go cross-compiles by itself; C and C++ code needs a compiler for the platform. For a
#   PLATFORMS entry other than the CMake toolchain's, a TARGET or CGO image needs the CMake
#   variable KO_TOOLCHAIN_<os>_<arch>[_<variant>] (e.g. KO_TOOLCHAIN_linux_arm64): a toolchain
#   file for that platform (relative to the top source directory); configure stops, naming
#   the variable, without it. cmake-ko then configures the whole project again for that
#   platform in <build>/ko/platforms/<os>-<arch> (from the main build, not at configure
#   time) and builds there only the TARGET executables and cgo binaries the images need; the
#   layers, images and the index are made in the main build, so one `cmake --build` gives one
#   index with every platform. That tree gets the non-internal BOOL/STRING cache entries of
#   this one (project options, KO_* settings, CMAKE_BUILD_TYPE, the compiler launchers; not
#   FILEPATH/PATH entries, which are find results of the host toolchain), and is configured
#   again when they, or the toolchain file, change. There the cache entry KO_PLATFORM_TREE holds
#   the platform from the start (unset in the main build), so a project can skip what the
#   tree does not need (it must still define the executables and libraries the images use).
#   The tree's build is one edge of the main graph: it runs only when a file the tree's
#   outputs were made from changes (a no-op build runs no edge and does not start the tree's
#   ninja), shows the tree's steps as "[linux/arm64 n/N] …" and fails with their errors.
#
# The image is ko's: the binary at /ko-app/<binary> as Entrypoint, /ko-app appended to PATH,
# KODATA at /var/run/ko with KO_DATA_PATH pointing there, and `created` and every file time
# from SOURCE_DATE_EPOCH (else 1970-01-01).
#
# Targets (besides <name>, in `all`):
#   <name>_publish  Pushes the image (and SBOMs, signatures) and prints `registry/repo@sha256:…`,
#                   also written to <binary dir>/<name>.ref.
#   <name>_load     Loads the image into the Docker daemon of DOCKER_HOST, as ko.local.
#   <name>_tarball  <name>.tar for `docker load` (one platform: KO_TARBALL_PLATFORM, else the
#                   host's, else the first) and <name>.oci.tar, an oci-archive of all platforms.
#   ko_publish      Every image of the project in one helper run (shared connections, all blobs
#                   uploaded in parallel, one line per image).
#   ko_lock_update  Re-resolves every registry BASE tag and rewrites KO_LOCK_FILE (only when an
#                   image has a registry base).
# None of these is in `all`.
#
# Target properties of <name>, for tooling (read with get_target_property):
#   KO_IMAGE_LAYOUT       The OCI layout directory, <binary dir>/<name>.oci.
#   KO_IMAGE_DIGEST_FILE  The digest file, <binary dir>/<name>.digest.
#   KO_IMAGE_IMPORTPATH   The full import path of each binary (a list, the entrypoint's
#                         first); the target name for a TARGET image.
#   KO_IMAGE_PLATFORMS    The image's platforms.
#
# ko_resolve
# ^^^^^^^^^^
#
#   ko_resolve(<name> FILES <yaml file or dir>... [OUTPUT <file>] [IMAGES <ko_image name>...])
#
# Adds the target <name> (not in `all`): it publishes the images (default: every ko_image()
# of the project) and writes FILES with every `ko://<import path>` value replaced by the
# pushed reference to OUTPUT (default <binary dir>/<name>.yaml). Both the full import path
# and the ./relative form given as IMPORTPATH match. Other bytes stay as they were. The YAML
# is checked before anything is pushed.
#
#   FILES   YAML files, or directories of them, relative to CMAKE_CURRENT_SOURCE_DIR.
#   OUTPUT  The resolved YAML, relative to CMAKE_CURRENT_BINARY_DIR.
#   IMAGES  The ko_image() names whose references resolve; default all of them.
#
# ko_add_reproducibility_test
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^
#
#   ko_add_reproducibility_test(<name> [SHARED_GOCACHE])
#
# Adds the CTest test <name>.reproducible (label `reproducibility`) for the ko_image() <name>:
# the image is built again from a copy of the source tree at another path, in a fresh build
# directory, with another umask, a later clock and a fresh private GOCACHE, with every
# non-internal cache entry of this build tree, and the test fails — naming the first differing
# blob, tar entry and field — unless the digests match.
#
#   SHARED_GOCACHE  Use Go's shared GOCACHE: faster, but blind to a nondeterministic compile.
#
# Variables read
# ^^^^^^^^^^^^^^
#   KO_DEFAULT_PLATFORMS   PLATFORMS when not given; default linux/<go host arch>.
#   KO_TOOLCHAIN_<os>_<arch>[_<variant>]
#                          The CMake toolchain file for TARGET and CGO images of that platform,
#                          when it is not the CMake toolchain's (see "Other platforms").
#   KO_DEFAULT_BASE_IMAGE  BASE when not given; default `static`, the helper's built-in
#                          static base (passwd/group with nonroot 65532, /tmp, CA certificates,
#                          /usr/share/zoneinfo, /etc/os-release from the pinned snapshot in
#                          tool/static-base); `scratch` is the empty base.
#   KO_DEFAULT_COMPRESSION COMPRESSION when not given: gzip (default) or zstd.
#   KO_DEFAULT_SBOM        SBOM when not given: spdx (default) or none.
#   KO_GO_EXECUTABLE       The go binary (see FindGo); default `go` on PATH.
#   KO_DOCKER_REPO         Where images without REPOSITORY are published: a CMake variable
#                          (fixed at configure time) or, when that is unset, the environment
#                          variable at the time <name>_publish runs. The repository name is
#                          then derived from the import path (NAMING).
#   KO_SIGNING_KEY         SIGNING_KEY when not given: a CMake variable (its path, fixed at
#                          configure time) or, when that is unset, the environment variable at
#                          the time <name>_publish runs (a CI secret file needs no reconfigure).
#                          With a key, publishing signs every manifest it pushes (each image,
#                          the index, the SBOMs); the key file is read only then.
#   KO_TARBALL_PLATFORM    The platform of <name>.tar (see <name>_tarball).
#   SOURCE_DATE_EPOCH      CMake or environment variable, read at configure time.
#   KO_LOCK_FILE           Where registry BASE tags are pinned to digests; default
#                          ${CMAKE_SOURCE_DIR}/ko.lock.json. A change to it re-runs configure.
#   KO_CACHE_DIR           (environment) The shared blob cache for registry bases; default
#                          $XDG_CACHE_HOME/ko-image.
#   KO_IMAGE_EXECUTABLE    The helper; set by find_package(KoImage). Where the `ko-image`
#                          target exists (cmake-ko itself, or cmake-ko added with
#                          add_subdirectory/FetchContent) the target is used instead.
include_guard(GLOBAL)
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)  # functions below record these settings (CMP0116: depfiles)

list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")
find_package(Go 1.19 REQUIRED)

# Cache entries, not variables: the functions below read them from whatever scope calls
# them, also when this file was first included in another one (a subproject, FetchContent).
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../rules/GoBinary.cmake")
  set(_ko_rules_dir "${CMAKE_CURRENT_LIST_DIR}/../rules")  # source tree
  set(_ko_static_base_data "${CMAKE_CURRENT_LIST_DIR}/../tool/static-base")
else()
  set(_ko_rules_dir "${CMAKE_CURRENT_LIST_DIR}/rules")     # installed tree
  set(_ko_static_base_data "${CMAKE_CURRENT_LIST_DIR}/static-base")
endif()
cmake_path(NORMAL_PATH _ko_static_base_data)
set(_KO_STATIC_BASE_DATA "${_ko_static_base_data}" CACHE INTERNAL "The built-in base's pinned data (tool/static-base)")
foreach(_ko_rule Helper StaticBase FetchBase GoBinary Layer Image Index Layout Publish LockUpdate Resolve Tarball Sbom
                 PlatformTreeConfigure PlatformTreeBuild)
  include("${_ko_rules_dir}/${_ko_rule}.cmake")
endforeach()
include("${CMAKE_CURRENT_LIST_DIR}/KoReproducibilityTest.cmake")
unset(_ko_rule)
unset(_ko_rules_dir)
unset(_ko_static_base_data)

# The architectures and variants the helper can build (kept in step with tool/src/oci/platform.cpp).
set(_KO_ARCHITECTURES amd64 arm64 arm 386 ppc64le ppc64 s390x riscv64 mips64le mips64 mipsle mips loong64 CACHE INTERNAL "")
set(_KO_VARIANTS_amd64 v1 v2 v3 v4 CACHE INTERNAL "")
set(_KO_VARIANTS_arm64 v8 CACHE INTERNAL "")
set(_KO_VARIANTS_arm v5 v6 v7 CACHE INTERNAL "")
set(_KO_GO_HOST_ARCH "${Go_HOST_ARCH}" CACHE INTERNAL "GOHOSTARCH of Go_EXECUTABLE")

function(ko_image name)
  set(options CGO)
  set(one_value TARGET GO_MODULE_DIR BASE WORKDIR USER KODATA REPOSITORY NAMING SBOM COMPRESSION SIGNING_KEY)
  set(multi_value IMPORTPATH LINK_LIBRARIES PLATFORMS LDFLAGS GOFLAGS ENV ARGS LABELS ANNOTATIONS TAGS EXPECT_DIGEST)
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value}" "${multi_value}")
  set(where "ko_image(${name})")

  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown argument(s) ${arg_UNPARSED_ARGUMENTS}")
  endif()
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    if(NOT keyword MATCHES "^(ARGS|ENV|LABELS|ANNOTATIONS|LDFLAGS|GOFLAGS)$")
      message(FATAL_ERROR "${where}: ${keyword} needs a value")
    endif()
  endforeach()
  if(NOT name MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR "${where}: the name may use letters, digits and _.+- only")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR "${where}: a target named ${name} already exists")
  endif()
  if(CMAKE_GENERATOR STREQUAL "Ninja Multi-Config")
    # Its per-configuration copies of every step would write the same image files, and a
    # TARGET or the helper differs per configuration: one build tree per CMAKE_BUILD_TYPE.
    message(FATAL_ERROR "${where}: the 'Ninja Multi-Config' generator is not supported; "
      "configure with -G Ninja, one build tree per CMAKE_BUILD_TYPE")
  elseif(NOT CMAKE_GENERATOR STREQUAL "Ninja")
    message(FATAL_ERROR "${where}: needs the Ninja generator (cmake -G Ninja); "
      "'${CMAKE_GENERATOR}' cannot skip unchanged steps the way the rules require")
  endif()

  if(DEFINED arg_TARGET)
    if(DEFINED arg_IMPORTPATH)
      message(FATAL_ERROR "${where}: give either IMPORTPATH (a Go package) or TARGET (a CMake executable), not both")
    endif()
    _ko_resolve_target(binary_name platforms "${where}" "${arg_TARGET}" "${arg_PLATFORMS}")
    _ko_platform_toolchains(toolchains "${where}" "TARGET ${arg_TARGET}" "${platforms}")
    set(importpaths "")
    set(binary_names ${binary_name})
    set(full_importpath "${arg_TARGET}")  # names the repository under KO_DOCKER_REPO
    set(full_importpaths "${full_importpath}")
  else()
    # Several IMPORTPATHs: several binaries in one image, the first is the entrypoint.
    set(importpaths ${arg_IMPORTPATH})
    if(NOT importpaths)
      message(FATAL_ERROR "${where}: IMPORTPATH is required (e.g. IMPORTPATH ./cmd/app), or TARGET for a CMake executable")
    endif()
    set(binary_names "")
    set(full_importpaths "")
    set(first_package_dir "")
    foreach(importpath IN LISTS importpaths)
      _ko_resolve_package(module_dir package_dir full_importpath binary_name
        "${where}" "${importpath}" "${arg_GO_MODULE_DIR}")
      if(binary_name IN_LIST binary_names)
        message(FATAL_ERROR "${where}: two IMPORTPATHs give the binary name '${binary_name}'")
      endif()
      list(APPEND binary_names ${binary_name})
      list(APPEND full_importpaths "${full_importpath}")
      if(NOT first_package_dir)
        set(first_package_dir "${package_dir}")
      endif()
    endforeach()
    list(GET binary_names 0 binary_name)
    list(GET full_importpaths 0 full_importpath)
    set(package_dir "${first_package_dir}")
    _ko_check_platforms(platforms "${where}" "${arg_PLATFORMS}" "${KO_DEFAULT_PLATFORMS}")
    if(arg_CGO)
      _ko_platform_toolchains(toolchains "${where}" CGO "${platforms}")
    else()
      list(TRANSFORM platforms REPLACE ".+" "-" OUTPUT_VARIABLE toolchains)  # pure Go: all here
    endif()
  endif()
  _ko_cgo_settings(cgo_args cgo_depends "${where}" "${arg_CGO}" "${arg_LINK_LIBRARIES}" "${arg_TARGET}")
  _ko_check_key_values("${where}" ENV "${arg_ENV}" "^[A-Za-z_][A-Za-z0-9_]*=" "KEY=VALUE with KEY a variable name")
  _ko_check_key_values("${where}" LABELS "${arg_LABELS}" "^[^=]+=" "key=value")
  _ko_check_key_values("${where}" ANNOTATIONS "${arg_ANNOTATIONS}" "^[^=]+=" "key=value")
  if(DEFINED arg_WORKDIR AND NOT arg_WORKDIR MATCHES "^/")
    message(FATAL_ERROR "${where}: WORKDIR '${arg_WORKDIR}' must be an absolute path in the image")
  endif()
  foreach(ldflag IN LISTS arg_LDFLAGS)
    if(ldflag MATCHES "'" AND ldflag MATCHES "\"")
      message(FATAL_ERROR "${where}: LDFLAGS item '${ldflag}' has both quote characters; Go cannot parse it")
    endif()
  endforeach()

  if(_KO_PLATFORM_TREE)
    # In another platform's tree (rules/PlatformTreeConfigure.cmake) only that platform's cgo
    # binaries are built; the main tree takes them, and TARGET executables, from here.
    set(binaries "")
    if(arg_CGO AND _KO_PLATFORM_TREE IN_LIST platforms)
      string(REPLACE "/" "-" slug "${_KO_PLATFORM_TREE}")
      foreach(importpath binary_i IN ZIP_LISTS importpaths binary_names)
        set(binary "${CMAKE_CURRENT_BINARY_DIR}/ko/${name}/${slug}/${binary_i}")
        _ko_rule_go_binary(
          NAME ${name} PLATFORM ${_KO_PLATFORM_TREE} MODULE_DIR "${module_dir}" PACKAGE "${importpath}"
          OUTPUT "${binary}" LDFLAGS ${arg_LDFLAGS} GOFLAGS ${arg_GOFLAGS}
          CGO_ARGS ${cgo_args} DEPENDS ${cgo_depends})
        list(APPEND binaries "${binary}")
      endforeach()
    endif()
    add_custom_target(${name} DEPENDS ${binaries})
    return()
  endif()

  if(DEFINED arg_KODATA)
    cmake_path(ABSOLUTE_PATH arg_KODATA BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE kodata)
    if(NOT IS_DIRECTORY "${kodata}")
      message(FATAL_ERROR "${where}: KODATA '${kodata}' is not a directory")
    endif()
  elseif(NOT DEFINED arg_TARGET AND IS_DIRECTORY "${package_dir}/kodata")
    set(kodata "${package_dir}/kodata")
  else()
    set(kodata "")
  endif()

  _ko_choice(sbom_format "${where}" SBOM "${arg_SBOM}" KO_DEFAULT_SBOM "${KO_DEFAULT_SBOM}" "spdx;none")
  # zstd layers need an OCI base: a Docker-typed base is refused by the image step, since
  # the base's media types are known only at build time.
  _ko_choice(compression "${where}" COMPRESSION "${arg_COMPRESSION}"
    KO_DEFAULT_COMPRESSION "${KO_DEFAULT_COMPRESSION}" "gzip;zstd")
  _ko_choice(naming "${where}" NAMING "${arg_NAMING}" "" "" "default;bare;base;preserve")
  if(DEFINED arg_REPOSITORY AND (NOT arg_REPOSITORY MATCHES "/" OR arg_REPOSITORY MATCHES "@|:[^/]*$"))
    message(FATAL_ERROR "${where}: REPOSITORY '${arg_REPOSITORY}' must be registry/repository, without tag or digest (use TAGS)")
  endif()

  _ko_base_reference(base base_depends base_kind "${where}" "${arg_BASE}" "${KO_DEFAULT_BASE_IMAGE}")
  set(base_lock_file "")
  if(base_kind STREQUAL "static")
    _ko_static_base_layout(static_layout)  # adds the base's rule for the first image on it
    set(base "oci-layout:${static_layout}")
    set(base_depends "${static_layout}/index.json")
  elseif(base_kind STREQUAL "registry")
    if(DEFINED KO_LOCK_FILE)
      set(lock_file "${KO_LOCK_FILE}")
    else()
      set(lock_file "${CMAKE_SOURCE_DIR}/ko.lock.json")
    endif()
    _ko_lock_update_target("${base}" "${lock_file}")  # ko_lock_update re-resolves the base
    _ko_locked_base(base base_lock_file "${base}" "${lock_file}")
  endif()
  _ko_source_date_epoch(epoch "${where}")
  set(tags "${arg_TAGS}")  # quoted: an empty item is checked (and refused) below
  if(NOT tags)
    set(tags latest)
  endif()
  # The distribution-spec tag grammar, checked here so that a bad tag fails before any blob
  # is uploaded rather than as a registry error at the end of publish.
  foreach(tag IN LISTS tags)
    string(LENGTH "${tag}" tag_length)
    if(NOT tag MATCHES "^[a-zA-Z0-9_][a-zA-Z0-9._-]*$" OR tag_length GREATER 128)
      message(FATAL_ERROR "${where}: TAGS entry '${tag}' is not a valid tag: use 1 to 128 of "
        "[a-zA-Z0-9_.-], not starting with '.' or '-'")
    endif()
  endforeach()

  set(work_root "${CMAKE_CURRENT_BINARY_DIR}/ko/${name}")
  set(image_descriptors "")
  set(sboms "")
  set(sbom_args "")
  list(LENGTH platforms platform_count)
  file(RELATIVE_PATH work_in_tree "${CMAKE_BINARY_DIR}" "${work_root}")  # the same in a platform tree
  foreach(platform toolchain IN ZIP_LISTS platforms toolchains)
    string(REPLACE "/" "-" slug "${platform}")
    set(work "${work_root}/${slug}")
    if(DEFINED arg_TARGET AND NOT toolchain STREQUAL "-")
      # Built in that platform's tree (rules/PlatformTreeBuild.cmake), from the same sources.
      _ko_target_file_in_tree(file_in_tree "${where}" "${arg_TARGET}" "${binary_name}")
      _ko_platform_tree_binary(binary "${where}" ${platform} "${toolchain}" ${arg_TARGET} "${file_in_tree}" "")
      _ko_rule_layer(
        NAME ${name} PLATFORM ${platform} BINARY "${binary}" BINARY_NAME ${binary_name} CHECK_PLATFORM
        KODATA "${kodata}" EPOCH ${epoch} COMPRESSION ${compression} OUTPUT "${work}/layer.json")
      set(layers "${work}/layer.json")
    elseif(DEFINED arg_TARGET)
      set(binary "$<TARGET_FILE:${arg_TARGET}>")
      _ko_rule_layer(
        NAME ${name} PLATFORM ${platform} BINARY "${binary}" BINARY_NAME ${binary_name} TARGET "${arg_TARGET}"
        KODATA "${kodata}" EPOCH ${epoch} COMPRESSION ${compression} OUTPUT "${work}/layer.json")
      set(layers "${work}/layer.json")
    else()
      # One layer per binary: a push then uploads only the layers of binaries that changed.
      # KODATA goes with the first (entrypoint) binary.
      set(layers "")
      set(layer_kodata "${kodata}")
      set(entrypoint_binary "")
      foreach(importpath binary_i IN ZIP_LISTS importpaths binary_names)
        set(binary "${work}/${binary_i}")
        if(toolchain STREQUAL "-")
          _ko_rule_go_binary(
            NAME ${name} PLATFORM ${platform} MODULE_DIR "${module_dir}" PACKAGE "${importpath}"
            OUTPUT "${binary}" LDFLAGS ${arg_LDFLAGS} GOFLAGS ${arg_GOFLAGS}
            CGO_ARGS ${cgo_args} DEPENDS ${cgo_depends})
        else()  # cgo for another platform: go build in that platform's tree, with its compilers
          set(file_in_tree "${work_in_tree}/${slug}/${binary_i}")
          _ko_platform_tree_binary(binary "${where}" ${platform} "${toolchain}"
            "${file_in_tree}" "${file_in_tree}" "${file_in_tree}.d")
        endif()
        if(layers)
          set(layer_file "${work}/layer-${binary_i}.json")
        else()
          set(layer_file "${work}/layer.json")
        endif()
        _ko_rule_layer(
          NAME ${name} PLATFORM ${platform} BINARY "${binary}" BINARY_NAME ${binary_i}
          KODATA "${layer_kodata}" EPOCH ${epoch} COMPRESSION ${compression} OUTPUT "${layer_file}")
        list(APPEND layers "${layer_file}")
        set(layer_kodata "")
        if(NOT entrypoint_binary)
          set(entrypoint_binary "${binary}")
        endif()
      endforeach()
      set(binary "${entrypoint_binary}")  # for its SBOM
    endif()
    set(image_base_depends ${base_depends})
    if(base_kind STREQUAL "registry")
      _ko_rule_fetch_base(fetched BASE "${base}" PLATFORM ${platform} LOCK_FILE "${base_lock_file}")
      list(APPEND image_base_depends "${fetched}")
    endif()
    _ko_rule_image(
      NAME ${name} PLATFORM ${platform} LAYERS ${layers} BINARY_NAMES ${binary_names}
      BASE "${base}" BASE_DEPENDS ${image_base_depends} LOCK_FILE "${base_lock_file}"
      EPOCH ${epoch} OUTPUT "${work}/image.json"
      ENV ${arg_ENV} ARGS ${arg_ARGS} WORKDIR "${arg_WORKDIR}" USER "${arg_USER}"
      LABELS ${arg_LABELS} ANNOTATIONS ${arg_ANNOTATIONS})
    list(APPEND image_descriptors "${work}/image.json")
    if(sbom_format STREQUAL "spdx" AND NOT DEFINED arg_TARGET)  # SBOMs come from Go's build info
      if(platform_count EQUAL 1)
        set(sbom "${CMAKE_CURRENT_BINARY_DIR}/${name}.spdx.json")
      else()
        set(sbom "${CMAKE_CURRENT_BINARY_DIR}/${name}-${slug}.spdx.json")
      endif()
      _ko_rule_sbom(NAME ${name} PLATFORM ${platform} BINARY "${binary}" EPOCH ${epoch} OUTPUT "${sbom}"
        GO_SUM "${module_dir}/go.sum")
      list(APPEND sboms "${sbom}")
      list(APPEND sbom_args "--sbom=${platform}=${sbom}")
    endif()
  endforeach()

  if(platform_count GREATER 1)
    set(top "${work_root}/index.json")
    _ko_rule_index(NAME ${name} IMAGES ${image_descriptors} ANNOTATIONS ${arg_ANNOTATIONS} OUTPUT "${top}")
  else()
    set(top "${image_descriptors}")
  endif()

  set(layout "${CMAKE_CURRENT_BINARY_DIR}/${name}.oci")
  set(digest_file "${CMAKE_CURRENT_BINARY_DIR}/${name}.digest")
  set(ref_file "${CMAKE_CURRENT_BINARY_DIR}/${name}.ref")
  _ko_check_expected_digest(expect_args "${where}" "${arg_EXPECT_DIGEST}" "${platforms}")
  _ko_rule_layout(NAME ${name} DESCRIPTOR "${top}" LAYOUT "${layout}" DIGEST_FILE "${digest_file}" TAGS ${tags}
    EXPECT ${expect_args})

  add_custom_target(${name} ALL DEPENDS "${digest_file}" ${sboms})
  # The signing key's path only (relative to this directory); the file is read when publishing.
  if(DEFINED arg_SIGNING_KEY)
    set(signing_key "${arg_SIGNING_KEY}")
  else()
    set(signing_key "${KO_SIGNING_KEY}")
  endif()
  if(NOT "${signing_key}" STREQUAL "")
    get_filename_component(signing_key "${signing_key}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  _ko_rule_publish(NAME ${name} LAYOUT "${layout}" DIGEST_FILE "${digest_file}"
    REF_FILE "${ref_file}" IMPORTPATH "${full_importpath}"
    REPOSITORY "${arg_REPOSITORY}" NAMING ${naming} TAGS ${tags} SBOMS ${sbom_args}
    SIGNING_KEY "${signing_key}")
  set_target_properties(${name} PROPERTIES
    KO_IMAGE_LAYOUT "${layout}"
    KO_IMAGE_DIGEST_FILE "${digest_file}"
    KO_IMAGE_IMPORTPATH "${full_importpaths}"
    KO_IMAGE_PLATFORMS "${platforms}"
    _KO_IMAGE_IMPORTPATH_AS_WRITTEN "${importpaths}"  # for ko_resolve: ko:// as in IMPORTPATH
    _KO_IMAGE_REF_FILE "${ref_file}")
  set_property(GLOBAL APPEND PROPERTY _KO_IMAGES ${name})
  list(GET tags 0 first_tag)
  _ko_rule_tarball(NAME ${name} LAYOUT "${layout}" DIGEST_FILE "${digest_file}" EPOCH ${epoch}
    TAG ${first_tag} PLATFORMS ${platforms})
endfunction()

function(ko_resolve name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT" "FILES;IMAGES")
  set(where "ko_resolve(${name})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown argument(s) ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_FILES)
    message(FATAL_ERROR "${where}: FILES is required (YAML files or directories with ko:// references)")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR "${where}: a target named ${name} already exists")
  endif()
  if(_KO_PLATFORM_TREE)
    return()  # another platform's tree (rules/PlatformTreeConfigure.cmake) publishes nothing
  endif()
  set(files "")
  foreach(file IN LISTS arg_FILES)
    cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    if(NOT EXISTS "${file}")
      message(FATAL_ERROR "${where}: FILES entry '${file}' does not exist")
    endif()
    list(APPEND files "${file}")
  endforeach()
  set(output "${name}.yaml")
  if(DEFINED arg_OUTPUT)
    set(output "${arg_OUTPUT}")
  endif()
  cmake_path(ABSOLUTE_PATH output BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
  # Deferred calls evaluate their arguments late, so the values travel in properties.
  set_property(GLOBAL PROPERTY _KO_RESOLVE_${name}_OUTPUT "${output}")
  set_property(GLOBAL PROPERTY _KO_RESOLVE_${name}_FILES "${files}")
  set_property(GLOBAL PROPERTY _KO_RESOLVE_${name}_IMAGES "${arg_IMAGES}")
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _ko_rule_resolve [[${name}]])")
endfunction()

# --- Argument checks (private) ---------------------------------------------------------
# Each takes what it checks as arguments, sets only the variables it is given to fill, and
# changes nothing else: no targets, properties or files.

# Sets out_type to the TYPE of `target`; stops with `missing` when it is no target.
function(_ko_target_type out_type where target missing)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "${where}: ${missing}")
  endif()
  get_target_property(type ${target} TYPE)
  set(${out_type} "${type}" PARENT_SCOPE)
endfunction()

# CGO and LINK_LIBRARIES (see the module documentation): sets out_args to the go-build step's
# cgo flags (--cc, --cgo-cflags, --cgo-ldflags, --cxx) for this toolchain's platform and
# out_depends to what that step depends on (the libraries). `target` is TARGET, empty for a
# Go image. (Other platforms' cgo binaries are built in their trees, with their compilers.)
function(_ko_cgo_settings out_args out_depends where cgo link_libraries target)
  set(cgo_args "")
  set(cgo_depends "")
  if(link_libraries AND NOT cgo)
    message(FATAL_ERROR "${where}: LINK_LIBRARIES needs CGO")
  endif()
  if(cgo)
    if(NOT target STREQUAL "")
      message(FATAL_ERROR "${where}: CGO applies to Go packages (IMPORTPATH), not to TARGET")
    endif()
    if(NOT CMAKE_C_COMPILER)
      message(FATAL_ERROR "${where}: CGO needs the C language: project(... LANGUAGES C CXX)")
    endif()
    set(cflags "")
    set(ldflags "")
    set(needs_cxx FALSE)
    foreach(library IN LISTS link_libraries)
      _ko_target_type(library_type "${where}" "${library}"
        "LINK_LIBRARIES names '${library}', which is not a target defined before ko_image()")
      if(NOT library_type MATCHES "^(STATIC|SHARED)_LIBRARY$")
        message(FATAL_ERROR "${where}: LINK_LIBRARIES '${library}' is a ${library_type}, not a library")
      endif()
      foreach(property_flag INCLUDE_DIRECTORIES|-I COMPILE_DEFINITIONS|-D)
        string(REPLACE "|" ";" property_flag "${property_flag}")
        list(GET property_flag 0 property)
        list(GET property_flag 1 flag)
        set(values "$<TARGET_PROPERTY:${library},INTERFACE_${property}>")
        string(APPEND cflags " $<$<BOOL:${values}>:${flag}$<JOIN:${values}, ${flag}>>")
      endforeach()
      string(APPEND ldflags " $<TARGET_FILE:${library}>")
      set(link_options "$<TARGET_PROPERTY:${library},INTERFACE_LINK_OPTIONS>")
      string(APPEND ldflags "$<$<BOOL:${link_options}>: $<JOIN:${link_options}, >>")
      get_target_property(sources ${library} SOURCES)
      if(sources MATCHES "\\.(cc|cpp|cxx|C)(;|$)")
        set(needs_cxx TRUE)
      endif()
      list(APPEND cgo_depends ${library} "$<TARGET_FILE:${library}>")
    endforeach()
    if(needs_cxx)
      string(APPEND ldflags " -lstdc++ -lm")
    endif()
    string(STRIP "${cflags}" cflags)
    string(STRIP "${ldflags}" ldflags)
    # CC/CXX for go build: the compiler behind its CMAKE_<LANG>_COMPILER_LAUNCHER (ccache,
    # sccache), as CMake runs it for the libraries; go splits CC at spaces, honouring quotes.
    _ko_go_compiler_command(cc C)
    list(APPEND cgo_args "--cc=${cc}" "--cgo-cflags=${cflags}" "--cgo-ldflags=${ldflags}")
    if(CMAKE_CXX_COMPILER)
      _ko_go_compiler_command(cxx CXX)
      list(APPEND cgo_args "--cxx=${cxx}")
    endif()
  endif()
  set(${out_args} "${cgo_args}" PARENT_SCOPE)
  set(${out_depends} "${cgo_depends}" PARENT_SCOPE)
endfunction()

# Sets `out` to CMAKE_<lang>_COMPILER_LAUNCHER (if any) and CMAKE_<lang>_COMPILER as one
# command line in the form the go command reads CC and CXX: words separated by spaces, a word
# with spaces in single quotes.
function(_ko_go_compiler_command out lang)
  set(command "")
  foreach(word IN LISTS CMAKE_${lang}_COMPILER_LAUNCHER CMAKE_${lang}_COMPILER)
    if(word MATCHES "[ \t]")
      if(word MATCHES "'")
        message(FATAL_ERROR "ko_image: the ${lang} compiler or launcher '${word}' has both spaces and quotes; go build cannot be given it as CC")
      endif()
      set(word "'${word}'")
    endif()
    string(APPEND command " ${word}")
  endforeach()
  string(STRIP "${command}" command)
  set(${out} "${command}" PARENT_SCOPE)
endfunction()

# TARGET <executable>: a CMake executable instead of a Go package. Sets out_binary_name (its
# OUTPUT_NAME, else the target name) and out_platforms: PLATFORMS, each checked, else the
# toolchain's platform (x86_64 → linux/amd64, aarch64 → linux/arm64, …).
function(_ko_resolve_target out_binary_name out_platforms where target platforms)
  _ko_target_type(target_type "${where}" "${target}"
    "TARGET '${target}' is not a target; define it (add_executable) before ko_image()")
  if(NOT target_type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "${where}: TARGET '${target}' is a ${target_type}, not an executable")
  endif()
  get_target_property(binary_name ${target} OUTPUT_NAME)
  if(NOT binary_name)
    set(binary_name ${target})
  endif()
  _ko_toolchain_platform(toolchain_platform "${where}")
  _ko_check_platforms(checked "${where}" "${platforms}" "${toolchain_platform}")
  set(${out_binary_name} "${binary_name}" PARENT_SCOPE)
  set(${out_platforms} "${checked}" PARENT_SCOPE)
endfunction()

# For the `platforms` of a TARGET or CGO image (`what`): sets out_toolchains to one item per
# platform: `-` for the CMake toolchain's own platform, else the absolute path of the
# toolchain file in KO_TOOLCHAIN_<os>_<arch>[_<variant>] (relative to the top source
# directory), whose tree builds it; stops when that variable is not set. In such a tree
# (_KO_PLATFORM_TREE) the items are `-` for its platform and `skip` for the others.
function(_ko_platform_toolchains out_toolchains where what platforms)
  _ko_toolchain_platform(own "${where}")
  if(_KO_PLATFORM_TREE AND NOT own STREQUAL _KO_PLATFORM_TREE)
    message(FATAL_ERROR "${where}: this is the ${_KO_PLATFORM_TREE} tree, but its toolchain file "
      "(${CMAKE_TOOLCHAIN_FILE}) compiles for ${own}; KO_TOOLCHAIN_* must name a toolchain for its platform")
  endif()
  set(toolchains "")
  foreach(platform IN LISTS platforms)
    string(REPLACE "/" "_" variable "KO_TOOLCHAIN_${platform}")
    string(REPLACE "/" "-" slug "${platform}")
    if(platform STREQUAL own)
      list(APPEND toolchains "-")
    elseif(_KO_PLATFORM_TREE)
      list(APPEND toolchains skip)
    elseif("${${variable}}" STREQUAL "")
      message(FATAL_ERROR "${where}: PLATFORMS ${platform}: ${what} needs a compiler for ${platform}, and the "
        "CMake toolchain builds for ${own}: set ${variable} to a CMake toolchain file for ${platform} "
        "(e.g. -D${variable}=toolchains/${slug}.cmake) and cmake-ko builds it in a tree of its own")
    else()
      cmake_path(ABSOLUTE_PATH ${variable} BASE_DIRECTORY "${CMAKE_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE toolchain)
      if(NOT EXISTS "${toolchain}")
        message(FATAL_ERROR "${where}: ${variable} '${toolchain}' does not exist")
      endif()
      list(APPEND toolchains "${toolchain}")
    endif()
  endforeach()
  set(${out_toolchains} "${toolchains}" PARENT_SCOPE)
endfunction()

# Sets out_file to the path of the executable `target` (named `file_name`) relative to the
# top build directory: where another platform's tree, which mirrors this one, puts it.
function(_ko_target_file_in_tree out_file where target file_name)
  get_target_property(binary_dir ${target} BINARY_DIR)
  get_target_property(dir ${target} RUNTIME_OUTPUT_DIRECTORY)
  if(NOT dir)
    set(dir "${binary_dir}")
  elseif(dir MATCHES "\\$<")
    message(FATAL_ERROR "${where}: TARGET ${target}: a RUNTIME_OUTPUT_DIRECTORY with generator expressions "
      "cannot be found in another platform's tree")
  endif()
  cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${binary_dir}" NORMALIZE)
  cmake_path(IS_PREFIX CMAKE_BINARY_DIR "${dir}" NORMALIZE inside)
  if(NOT inside)
    message(FATAL_ERROR "${where}: TARGET ${target}: its RUNTIME_OUTPUT_DIRECTORY '${dir}' is outside the build "
      "directory, where every platform's tree would write the same file")
  endif()
  get_target_property(suffix ${target} SUFFIX)
  if(NOT suffix)
    set(suffix "${CMAKE_EXECUTABLE_SUFFIX}")
  endif()
  file(RELATIVE_PATH relative "${CMAKE_BINARY_DIR}" "${dir}/${file_name}${suffix}")
  set(${out_file} "${relative}" PARENT_SCOPE)
endfunction()

# Sets out_platform to the image platform the CMake toolchain compiles for
# (CMAKE_SYSTEM_PROCESSOR).
function(_ko_toolchain_platform out_platform where)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" processor)
  set(processors_amd64 x86_64 amd64)
  set(processors_arm64 aarch64 arm64)
  set(processors_386 i386 i486 i586 i686 x86)
  set(processors_ppc64le ppc64le)
  set(processors_s390x s390x)
  set(processors_riscv64 riscv64)
  set(toolchain_platform "")
  foreach(arch amd64 arm64 386 ppc64le s390x riscv64)
    if(processor IN_LIST processors_${arch})
      set(toolchain_platform "linux/${arch}")
    endif()
  endforeach()
  if(NOT toolchain_platform)
    message(FATAL_ERROR "${where}: cannot tell the image platform of CMAKE_SYSTEM_PROCESSOR '${CMAKE_SYSTEM_PROCESSOR}'")
  endif()
  set(${out_platform} "${toolchain_platform}" PARENT_SCOPE)
endfunction()

# Reads the module path from go.mod in GO_MODULE_DIR (`go_module_dir`, empty for the
# default) and maps `importpath` to a directory of the module. Sets out_module_dir,
# out_package_dir, out_full_importpath and out_binary_name (the name `go install` gives it).
function(_ko_resolve_package out_module_dir out_package_dir out_full_importpath out_binary_name
         where importpath go_module_dir)
  if(NOT importpath)
    message(FATAL_ERROR "${where}: IMPORTPATH is required (e.g. IMPORTPATH ./cmd/app)")
  endif()
  set(module_dir "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT go_module_dir STREQUAL "")
    cmake_path(ABSOLUTE_PATH go_module_dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
               OUTPUT_VARIABLE module_dir)
  endif()
  string(REGEX REPLACE "/$" "" module_dir "${module_dir}")
  if(NOT EXISTS "${module_dir}/go.mod")
    message(FATAL_ERROR "${where}: GO_MODULE_DIR '${module_dir}' has no go.mod; "
      "set GO_MODULE_DIR to the folder holding go.mod")
  endif()
  file(STRINGS "${module_dir}/go.mod" module_line REGEX "^module[ \t]+" LIMIT_COUNT 1)
  string(REGEX REPLACE "^module[ \t]+\"?([^\" \t/]+[^\" \t]*)\"?.*$" "\\1" module_path "${module_line}")
  if(NOT module_path)
    message(FATAL_ERROR "${where}: ${module_dir}/go.mod has no module line")
  endif()
  string(FIND "${importpath}/" "${module_path}/" module_prefix_at)
  if(importpath MATCHES "^\\.\\.?(/|$)")
    # ./cmd/app: relative to the module directory, and must stay inside it.
    cmake_path(ABSOLUTE_PATH importpath BASE_DIRECTORY "${module_dir}" NORMALIZE OUTPUT_VARIABLE package_dir)
    string(REGEX REPLACE "/$" "" package_dir "${package_dir}")
    cmake_path(IS_PREFIX module_dir "${package_dir}" NORMALIZE inside)
    if(NOT inside)
      message(FATAL_ERROR "${where}: IMPORTPATH '${importpath}' is outside the module in ${module_dir}")
    endif()
    file(RELATIVE_PATH relative "${module_dir}" "${package_dir}")
    if(relative)
      set(full_importpath "${module_path}/${relative}")
    else()
      set(full_importpath "${module_path}")
    endif()
  elseif(module_prefix_at EQUAL 0)
    # example.com/m/cmd/app: a package of this module.
    set(full_importpath "${importpath}")
    string(LENGTH "${module_path}" prefix_length)
    string(SUBSTRING "${importpath}" ${prefix_length} -1 relative)
    set(package_dir "${module_dir}${relative}")
  else()
    message(FATAL_ERROR "${where}: IMPORTPATH '${importpath}' is outside module '${module_path}' "
      "(${module_dir}/go.mod); use ./path/to/pkg or ${module_path}/path/to/pkg")
  endif()
  if(NOT IS_DIRECTORY "${package_dir}")
    message(FATAL_ERROR "${where}: IMPORTPATH '${importpath}' names no directory (${package_dir})")
  endif()
  # The binary is named like `go install` names it: the last element, skipping a /vN suffix.
  string(REGEX REPLACE "/v[0-9]+$" "" binary_path "${full_importpath}")
  cmake_path(GET binary_path FILENAME binary_name)
  set(${out_module_dir} "${module_dir}" PARENT_SCOPE)
  set(${out_package_dir} "${package_dir}" PARENT_SCOPE)
  set(${out_full_importpath} "${full_importpath}" PARENT_SCOPE)
  set(${out_binary_name} "${binary_name}" PARENT_SCOPE)
endfunction()

# Sets out_platforms to PLATFORMS (`given`), else `default` (KO_DEFAULT_PLATFORMS), else
# linux/<go host arch>, each checked.
function(_ko_check_platforms out_platforms where given default)
  if(given)
    set(platforms ${given})
  elseif(default)
    set(platforms ${default})
  else()
    set(platforms "linux/${_KO_GO_HOST_ARCH}")
  endif()
  foreach(platform IN LISTS platforms)
    if(NOT platform MATCHES "^([^/]+)/([^/]+)(/([^/]+))?$")
      message(FATAL_ERROR "${where}: PLATFORMS entry '${platform}' is not os/arch[/variant] (e.g. linux/arm64)")
    endif()
    set(os "${CMAKE_MATCH_1}")
    set(arch "${CMAKE_MATCH_2}")
    set(variant "${CMAKE_MATCH_4}")
    if(NOT os STREQUAL "linux")
      message(FATAL_ERROR "${where}: PLATFORMS entry '${platform}': only linux images are supported")
    endif()
    if(NOT arch IN_LIST _KO_ARCHITECTURES)
      string(REPLACE ";" ", " known "${_KO_ARCHITECTURES}")
      message(FATAL_ERROR "${where}: PLATFORMS entry '${platform}': architecture must be one of ${known}")
    endif()
    if(variant AND NOT variant IN_LIST _KO_VARIANTS_${arch})
      message(FATAL_ERROR "${where}: PLATFORMS entry '${platform}': unknown variant '${variant}' for ${arch}")
    endif()
  endforeach()
  set(unique_platforms ${platforms})
  list(REMOVE_DUPLICATES unique_platforms)
  if(NOT unique_platforms STREQUAL platforms)
    message(FATAL_ERROR "${where}: PLATFORMS lists a platform twice: ${platforms}")
  endif()
  set(${out_platforms} "${platforms}" PARENT_SCOPE)
endfunction()

# EXPECT_DIGEST sha256:… (the image) or <platform>=sha256:… items (per platform, one of
# `platforms`): sets out_args to the layout step's --expect-digest/--expect-platform-digest.
function(_ko_check_expected_digest out_args where expect_digest platforms)
  set(expect_args "")
  foreach(item IN LISTS expect_digest)
    if(item MATCHES "^sha256:[0-9a-f]+$")
      list(APPEND expect_args "--expect-digest=${item}")
    elseif(item MATCHES "^([^=]+)=(sha256:[0-9a-f]+)$" AND CMAKE_MATCH_1 IN_LIST platforms)
      list(APPEND expect_args "--expect-platform-digest=${item}")
    else()
      message(FATAL_ERROR "${where}: EXPECT_DIGEST item '${item}' is not sha256:<hex> or <platform>=sha256:<hex> "
        "for one of PLATFORMS (${platforms})")
    endif()
  endforeach()
  set(${out_args} "${expect_args}" PARENT_SCOPE)
endfunction()

# Sets out_value to `value` (the argument `keyword`, empty when not given), else to
# `default_value` (the variable `default_name`) when that is not empty, else to the first
# of `choices`; stops, naming where the value came from, unless it is one of `choices`.
function(_ko_choice out_value where keyword value default_name default_value choices)
  set(from "${keyword}")
  if(value STREQUAL "" AND NOT default_value STREQUAL "")
    set(value "${default_value}")
    set(from "${default_name}")
  elseif(value STREQUAL "")
    list(GET choices 0 value)
  endif()
  if(NOT value IN_LIST choices)
    list(JOIN choices ", " known)
    string(REGEX REPLACE ", ([^,]*)$" " or \\1" known "${known}")
    message(FATAL_ERROR "${where}: ${from} '${value}' must be ${known}")
  endif()
  set(${out_value} "${value}" PARENT_SCOPE)
endfunction()

# Stops unless every item of `values` (the argument `keyword`) matches `pattern`.
function(_ko_check_key_values where keyword values pattern form)
  foreach(item IN LISTS values)
    if(NOT item MATCHES "${pattern}")
      message(FATAL_ERROR "${where}: ${keyword} item '${item}' is not ${form}")
    endif()
  endforeach()
endfunction()

# BASE (`base`, else `default_base`, KO_DEFAULT_BASE_IMAGE, else static): sets out_kind to
# static, scratch, oci-layout or registry, out_base to the reference (for oci-layout with
# an absolute directory) and out_depends to the files the image step reads it from (an
# oci-layout's index.json). The static base's layout and a registry base's pin are the
# caller's business.
function(_ko_base_reference out_base out_depends out_kind where base default_base)
  if(base STREQUAL "" AND default_base)
    set(base "${default_base}")
  elseif(base STREQUAL "")
    set(base static)
  endif()
  set(depends "")
  if(base MATCHES "^(static|scratch)$")
    set(kind "${base}")
  elseif(base MATCHES "^oci-layout:(.+)$")
    # Split off :tag or @digest, make the directory absolute, and depend on its index.json.
    set(kind oci-layout)
    set(dir "${CMAKE_MATCH_1}")
    set(suffix "")
    if(dir MATCHES "^(.*)(@sha256:[0-9a-f]+)$")
      set(dir "${CMAKE_MATCH_1}")
      set(suffix "${CMAKE_MATCH_2}")
    endif()
    if(dir MATCHES "^(.*[^/]):([A-Za-z0-9_][A-Za-z0-9_.-]*)$")
      set(dir "${CMAKE_MATCH_1}")
      set(suffix ":${CMAKE_MATCH_2}${suffix}")
    endif()
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    string(REGEX REPLACE "/$" "" dir "${dir}")
    cmake_path(IS_PREFIX CMAKE_BINARY_DIR "${dir}" NORMALIZE generated)
    if(NOT generated AND NOT EXISTS "${dir}/index.json")
      message(FATAL_ERROR "${where}: BASE '${base}': ${dir} is not an OCI image layout (no index.json)")
    endif()
    set(base "oci-layout:${dir}${suffix}")
    set(depends "${dir}/index.json")
  elseif(NOT base MATCHES "^[A-Za-z0-9[][]A-Za-z0-9._:/@[-]*$" OR base MATCHES "//")
    message(FATAL_ERROR "${where}: BASE '${base}' is not an image reference "
      "(static, scratch, oci-layout:<dir>, or registry/repository[:tag][@sha256:…])")
  else()
    set(kind registry)
  endif()
  set(${out_base} "${base}" PARENT_SCOPE)
  set(${out_depends} "${depends}" PARENT_SCOPE)
  set(${out_kind} "${kind}" PARENT_SCOPE)
endfunction()

# A registry base: pinned through the lock file when it has an entry for the reference
# (the lock file becomes a configure dependency, so a change to it re-runs configure), else
# the image step resolves the tag and records it in the lock file. Sets out_base to the
# reference, pinned when locked, and out_lock_file to the lock file the image step records
# the tag in (empty when pinned, by the lock file or by a digest in the reference).
function(_ko_locked_base out_base out_lock_file base lock_file)
  set(${out_base} "${base}" PARENT_SCOPE)
  set(${out_lock_file} "" PARENT_SCOPE)
  if(base MATCHES "@sha256:")
    return()  # pinned in CMakeLists.txt
  endif()
  set(locked_digest "")
  if(EXISTS "${lock_file}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${lock_file}")
    file(READ "${lock_file}" lock_json)
    string(JSON locked_digest ERROR_VARIABLE lock_error GET "${lock_json}" bases "${base}" digest)
    if(lock_error)
      set(locked_digest "")
    endif()
  endif()
  if(locked_digest)
    set(${out_base} "${base}@${locked_digest}" PARENT_SCOPE)
  else()
    set(${out_lock_file} "${lock_file}" PARENT_SCOPE)
  endif()
endfunction()

# Sets out_epoch to SOURCE_DATE_EPOCH, the CMake variable, else the environment variable,
# else 0: the documented inputs, read here at configure time.
function(_ko_source_date_epoch out_epoch where)
  if(DEFINED SOURCE_DATE_EPOCH)
    set(epoch "${SOURCE_DATE_EPOCH}")
  elseif(DEFINED ENV{SOURCE_DATE_EPOCH})
    set(epoch "$ENV{SOURCE_DATE_EPOCH}")
  else()
    set(epoch 0)
  endif()
  if(NOT epoch MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${where}: SOURCE_DATE_EPOCH '${epoch}' is not a number of seconds since 1970")
  endif()
  set(${out_epoch} "${epoch}" PARENT_SCOPE)
endfunction()

cmake_policy(POP)
