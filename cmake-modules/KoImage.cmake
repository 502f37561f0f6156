# KoImage
# -------
# Container images of Go programs as ordinary build outputs, the way `ko` makes them,
# built by Ninja through the `ko-image` helper.
#
#   find_package(KoImage REQUIRED)
#
#   ko_image(<name>
#     IMPORTPATH <package>...         # ./cmd/app (relative to GO_MODULE_DIR) or example.com/m/cmd/app;
#                                     # several: one layer per binary, all on PATH, first is Entrypoint
#     | TARGET <executable>           # or a CMake executable target (C/C++): its toolchain's platform,
#                                     # no SBOM; a dynamically linked one needs its ELF interpreter in
#                                     # the base (build fails otherwise: link with -static, or a libc base)
#     [GO_MODULE_DIR <dir>]           # folder with go.mod; default CMAKE_CURRENT_SOURCE_DIR
#     [BASE <base>]                   # static | scratch | oci-layout:<dir>[:tag|@sha256:…]
#                                     # | registry/repo[:tag][@sha256:…] (pinned in ko.lock.json)
#     [PLATFORMS <os/arch[/variant]>...]
#     [LDFLAGS <flag>...]             # one flag per item: -s -w -X main.version=1.2
#     [GOFLAGS <flag>...]             # extra build flags for go build and go list: -tags=netgo
#     [ENV <KEY=VALUE>...]            # image config Env
#     [ARGS <arg>...]                 # image config Cmd (arguments after the entrypoint)
#     [WORKDIR <abs path>] [USER <user[:group]>]
#     [LABELS <key=value>...]         # image config labels
#     [ANNOTATIONS <key=value>...]    # manifest (and index) annotations
#     [KODATA <dir>]                  # default <package dir>/kodata when it exists
#     [TAGS <tag>...]                 # ref names in the OCI layout and tags pushed; default latest
#     [REPOSITORY <registry/repo>]    # where <name>_publish pushes; default from KO_DOCKER_REPO
#     [NAMING default|bare|base|preserve]  # how a repository is named from KO_DOCKER_REPO
#     [EXPECT_DIGEST sha256:… | <platform>=sha256:…...]  # fail the build on any other digest
#     [SBOM spdx|none]                # default KO_DEFAULT_SBOM, else spdx: <name>.spdx.json (<name>-<os-arch>.spdx.json
#                                     # per platform when several), attached on publish
#     [SIGNING_KEY <file>]            # sign on publish (cosign format): a PEM EC P-256 private key;
#                                     # default KO_SIGNING_KEY. Only the path is kept, never the key
#     [COMPRESSION gzip|zstd])        # layer compression; default KO_DEFAULT_COMPRESSION, else gzip
#                                     # (libdeflate level 1, parallel 1 MiB members). zstd (level 3): smaller,
#                                     # faster to unpack, OCI bases only; pulled by containerd ≥ 1.5,
#                                     # Docker Engine ≥ 23, podman/CRI-O/skopeo (containers/image
#                                     # ≥ 4.0); older Docker, umoci 0.4.7 and some scanners cannot
#
# Builds, as part of `all`:
#   <binary dir>/<name>.oci/       an OCI image layout (oci-layout, index.json, blobs/sha256)
#   <binary dir>/<name>.digest     the image's digest: a manifest for one platform, an index
#                                  for several
# and a target <name> for them, plus <name>_publish (not in `all`) which pushes the image
# and prints `registry/repo@sha256:…`, also written to <binary dir>/<name>.ref; the aggregate
# ko_publish does the same for every image in one helper run (shared connections, all blobs
# uploaded in parallel, one line per image). Every step is its own Ninja edge (go build, layer, image per
# platform; index; layout), reruns only when its inputs change, and a no-op build runs none.
#
# The image is ko's: the binary at /ko-app/<binary> (the import path's last element) as
# Entrypoint, /ko-app appended to PATH, KODATA at /var/run/ko with KO_DATA_PATH pointing
# there, and `created` and every file time from SOURCE_DATE_EPOCH (else 1970-01-01).
#
# Variables read:
#   KO_DEFAULT_PLATFORMS   PLATFORMS when not given; default linux/<go host arch>.
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
#                          then derived from the import path (NAMING): default
#                          <last element>-<md5 of import path>, bare (KO_DOCKER_REPO itself),
#                          base (<last element>), preserve (<import path>), as ko does.
#   KO_SIGNING_KEY         SIGNING_KEY when not given: a CMake variable (its path, fixed at
#                          configure time) or, when that is unset, the environment variable at
#                          the time <name>_publish runs (a CI secret file needs no reconfigure).
#                          With a key, publishing signs every manifest it pushes (each image,
#                          the index, the SBOMs); the key file is read only then.
#   SOURCE_DATE_EPOCH      CMake or environment variable, read at configure time.
#   KO_LOCK_FILE           Where registry BASE tags are pinned to digests; default
#                          ${CMAKE_SOURCE_DIR}/ko.lock.json. The target ko_lock_update
#                          re-resolves every registry base and rewrites it.
#   KO_CACHE_DIR           (environment) The shared blob cache for registry bases; default
#                          $XDG_CACHE_HOME/ko-image.
#   KO_IMAGE_EXECUTABLE    The helper; set by find_package(KoImage). Where the `ko-image`
#                          target exists (cmake-ko itself, or cmake-ko added with
#                          add_subdirectory/FetchContent) the target is used instead.
#
# Also <name>_tarball (not in `all`): <name>.tar for `docker load` (one platform:
# KO_TARBALL_PLATFORM, else the host's) and <name>.oci.tar, an oci-archive of all platforms.
#
#   ko_add_reproducibility_test(<name> [SHARED_GOCACHE])
#
# Adds the CTest test <name>.reproducible: the image is built again from a copy of the source
# tree at another path, in a fresh build directory, with another umask, a later clock and a
# fresh private GOCACHE (SHARED_GOCACHE: Go's shared one, faster but blind to a
# nondeterministic compile), with every non-internal cache entry of this build tree, and the
# test fails — naming the first differing blob, tar entry and field — unless the digests match.
#
# Target properties set on <name>, for tooling: KO_IMAGE_LAYOUT, KO_IMAGE_DIGEST_FILE,
# KO_IMAGE_IMPORTPATH (full import path), KO_IMAGE_PLATFORMS.
#
#   ko_resolve(<name> FILES <yaml file or dir>... [OUTPUT <file>] [IMAGES <ko_image name>...])
#
# Adds the target <name> (not in `all`): it publishes the images (default: every ko_image()
# of the project) and writes FILES with every `ko://<import path>` value replaced by the
# pushed reference to OUTPUT (default <binary dir>/<name>.yaml). Both the full import path
# and the ./relative form given as IMPORTPATH match. Other bytes stay as they were.
#
# Mistakes stop configure with a FATAL_ERROR naming the argument.
include_guard(GLOBAL)
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)  # functions below record these settings (CMP0116: depfiles)

list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")
find_package(Go 1.19 REQUIRED)

# Cache entries, not variables: the functions below read them from whatever scope calls
# them, also when this file was first included in another one (a subproject, FetchContent).
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../rules/GoBinary.cmake")
  set(_KO_RULES_DIR "${CMAKE_CURRENT_LIST_DIR}/../rules")  # source tree
  set(_ko_static_base_data "${CMAKE_CURRENT_LIST_DIR}/../tool/static-base")
else()
  set(_KO_RULES_DIR "${CMAKE_CURRENT_LIST_DIR}/rules")     # installed tree
  set(_ko_static_base_data "${CMAKE_CURRENT_LIST_DIR}/static-base")
endif()
cmake_path(NORMAL_PATH _ko_static_base_data)
set(_KO_STATIC_BASE_DATA "${_ko_static_base_data}" CACHE INTERNAL "The built-in base's pinned data (tool/static-base)")
include("${_KO_RULES_DIR}/Helper.cmake")
include("${_KO_RULES_DIR}/StaticBase.cmake")
include("${_KO_RULES_DIR}/FetchBase.cmake")
include("${_KO_RULES_DIR}/GoBinary.cmake")
include("${_KO_RULES_DIR}/Layer.cmake")
include("${_KO_RULES_DIR}/Image.cmake")
include("${_KO_RULES_DIR}/Index.cmake")
include("${_KO_RULES_DIR}/Layout.cmake")
include("${_KO_RULES_DIR}/Publish.cmake")
include("${_KO_RULES_DIR}/LockUpdate.cmake")
include("${_KO_RULES_DIR}/Resolve.cmake")
include("${_KO_RULES_DIR}/Tarball.cmake")
include("${_KO_RULES_DIR}/Sbom.cmake")
include("${_KO_RULES_DIR}/ReproducibilityTest.cmake")

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
  set(default_signing_key "${KO_SIGNING_KEY}")  # the parse below reuses the name KO_SIGNING_KEY
  cmake_parse_arguments(PARSE_ARGV 1 KO "${options}" "${one_value}" "${multi_value}")
  set(where "ko_image(${name})")

  if(KO_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown argument(s) ${KO_UNPARSED_ARGUMENTS}")
  endif()
  foreach(keyword IN LISTS KO_KEYWORDS_MISSING_VALUES)
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

  if(DEFINED KO_TARGET)
    _ko_resolve_target("${where}")  # sets binary_name, full_importpath (the target name), platforms
    set(importpaths "")
    set(binary_names ${binary_name})
    set(full_importpaths "${full_importpath}")
  else()
    # Several IMPORTPATHs: several binaries in one image, the first is the entrypoint.
    set(importpaths ${KO_IMPORTPATH})
    if(NOT importpaths)
      message(FATAL_ERROR "${where}: IMPORTPATH is required (e.g. IMPORTPATH ./cmd/app), or TARGET for a CMake executable")
    endif()
    set(binary_names "")
    set(full_importpaths "")
    set(first_package_dir "")
    foreach(KO_IMPORTPATH IN LISTS importpaths)
      _ko_resolve_package("${where}")  # sets module_dir, package_dir, full_importpath, binary_name
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
    _ko_check_platforms("${where}")   # sets platforms
  endif()
  _ko_cgo_settings("${where}")  # sets cgo_args, cgo_depends
  _ko_check_key_values("${where}" ENV "^[A-Za-z_][A-Za-z0-9_]*=" "KEY=VALUE with KEY a variable name")
  _ko_check_key_values("${where}" LABELS "^[^=]+=" "key=value")
  _ko_check_key_values("${where}" ANNOTATIONS "^[^=]+=" "key=value")
  if(DEFINED KO_WORKDIR AND NOT KO_WORKDIR MATCHES "^/")
    message(FATAL_ERROR "${where}: WORKDIR '${KO_WORKDIR}' must be an absolute path in the image")
  endif()
  foreach(ldflag IN LISTS KO_LDFLAGS)
    if(ldflag MATCHES "'" AND ldflag MATCHES "\"")
      message(FATAL_ERROR "${where}: LDFLAGS item '${ldflag}' has both quote characters; Go cannot parse it")
    endif()
  endforeach()

  if(DEFINED KO_KODATA)
    cmake_path(ABSOLUTE_PATH KO_KODATA BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    if(NOT IS_DIRECTORY "${KO_KODATA}")
      message(FATAL_ERROR "${where}: KODATA '${KO_KODATA}' is not a directory")
    endif()
    set(kodata "${KO_KODATA}")
  elseif(NOT DEFINED KO_TARGET AND IS_DIRECTORY "${package_dir}/kodata")
    set(kodata "${package_dir}/kodata")
  else()
    set(kodata "")
  endif()

  set(sbom_from "SBOM")
  if(NOT DEFINED KO_SBOM AND NOT "${KO_DEFAULT_SBOM}" STREQUAL "")
    set(KO_SBOM "${KO_DEFAULT_SBOM}")
    set(sbom_from "KO_DEFAULT_SBOM")
  elseif(NOT DEFINED KO_SBOM)
    set(KO_SBOM spdx)
  endif()
  if(NOT KO_SBOM MATCHES "^(spdx|none)$")
    message(FATAL_ERROR "${where}: ${sbom_from} '${KO_SBOM}' must be spdx or none")
  endif()
  # zstd layers need an OCI base: a Docker-typed base is refused by the image step, since
  # the base's media types are known only at build time.
  if(DEFINED KO_COMPRESSION)
    set(compression "${KO_COMPRESSION}")
    set(compression_from "COMPRESSION")
  elseif(NOT "${KO_DEFAULT_COMPRESSION}" STREQUAL "")
    set(compression "${KO_DEFAULT_COMPRESSION}")
    set(compression_from "KO_DEFAULT_COMPRESSION")
  else()
    set(compression gzip)
  endif()
  if(NOT compression MATCHES "^(gzip|zstd)$")
    message(FATAL_ERROR "${where}: ${compression_from} '${compression}' must be gzip or zstd")
  endif()
  if(NOT DEFINED KO_NAMING)
    set(KO_NAMING default)
  elseif(NOT KO_NAMING MATCHES "^(default|bare|base|preserve)$")
    message(FATAL_ERROR "${where}: NAMING '${KO_NAMING}' must be default, bare, base or preserve")
  endif()
  if(DEFINED KO_REPOSITORY AND (NOT KO_REPOSITORY MATCHES "/" OR KO_REPOSITORY MATCHES "@|:[^/]*$"))
    message(FATAL_ERROR "${where}: REPOSITORY '${KO_REPOSITORY}' must be registry/repository, without tag or digest (use TAGS)")
  endif()

  _ko_base_reference("${where}")  # sets base, base_depends
  _ko_source_date_epoch("${where}")  # sets epoch
  if(NOT KO_TAGS)
    set(KO_TAGS latest)
  endif()
  # The distribution-spec tag grammar, checked here so that a bad tag fails before any blob
  # is uploaded rather than as a registry error at the end of publish.
  foreach(tag IN LISTS KO_TAGS)
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
  foreach(platform IN LISTS platforms)
    string(REPLACE "/" "-" slug "${platform}")
    set(work "${work_root}/${slug}")
    if(DEFINED KO_TARGET)
      set(binary "$<TARGET_FILE:${KO_TARGET}>")
      _ko_rule_layer(
        NAME ${name} PLATFORM ${platform} BINARY "${binary}" BINARY_NAME ${binary_name} TARGET "${KO_TARGET}"
        KODATA "${kodata}" EPOCH ${epoch} COMPRESSION ${compression} OUTPUT "${work}/layer.json")
      set(layers "${work}/layer.json")
    else()
      # One layer per binary: a push then uploads only the layers of binaries that changed.
      # KODATA goes with the first (entrypoint) binary.
      set(layers "")
      set(layer_kodata "${kodata}")
      foreach(importpath binary_i IN ZIP_LISTS importpaths binary_names)
        set(binary "${work}/${binary_i}")
        _ko_rule_go_binary(
          NAME ${name} PLATFORM ${platform} MODULE_DIR "${module_dir}" PACKAGE "${importpath}"
          OUTPUT "${binary}" LDFLAGS ${KO_LDFLAGS} GOFLAGS ${KO_GOFLAGS}
          CGO_ARGS ${cgo_args} DEPENDS ${cgo_depends})
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
      endforeach()
      set(binary "${work}/${binary_name}")  # the entrypoint's, for its SBOM
    endif()
    set(image_base_depends ${base_depends})
    if(base_is_registry)
      _ko_rule_fetch_base(fetched BASE "${base}" PLATFORM ${platform} LOCK_FILE "${base_lock_file}")
      list(APPEND image_base_depends "${fetched}")
    endif()
    _ko_rule_image(
      NAME ${name} PLATFORM ${platform} LAYERS ${layers} BINARY_NAMES ${binary_names}
      BASE "${base}" BASE_DEPENDS ${image_base_depends} LOCK_FILE "${base_lock_file}"
      EPOCH ${epoch} OUTPUT "${work}/image.json"
      ENV ${KO_ENV} ARGS ${KO_ARGS} WORKDIR "${KO_WORKDIR}" USER "${KO_USER}"
      LABELS ${KO_LABELS} ANNOTATIONS ${KO_ANNOTATIONS})
    list(APPEND image_descriptors "${work}/image.json")
    if(KO_SBOM STREQUAL "spdx" AND NOT DEFINED KO_TARGET)  # SBOMs come from Go's build info
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
    _ko_rule_index(NAME ${name} IMAGES ${image_descriptors} ANNOTATIONS ${KO_ANNOTATIONS} OUTPUT "${top}")
  else()
    set(top "${image_descriptors}")
  endif()

  set(layout "${CMAKE_CURRENT_BINARY_DIR}/${name}.oci")
  set(digest_file "${CMAKE_CURRENT_BINARY_DIR}/${name}.digest")
  _ko_check_expected_digest("${where}")  # sets expect_args
  _ko_rule_layout(NAME ${name} DESCRIPTOR "${top}" LAYOUT "${layout}" DIGEST_FILE "${digest_file}" TAGS ${KO_TAGS}
    EXPECT ${expect_args})

  add_custom_target(${name} ALL DEPENDS "${digest_file}" ${sboms})
  # The signing key's path only (relative to this directory); the file is read when publishing.
  if(NOT DEFINED KO_SIGNING_KEY)
    set(KO_SIGNING_KEY "${default_signing_key}")
  endif()
  if(NOT "${KO_SIGNING_KEY}" STREQUAL "")
    get_filename_component(KO_SIGNING_KEY "${KO_SIGNING_KEY}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  _ko_rule_publish(NAME ${name} LAYOUT "${layout}" DIGEST_FILE "${digest_file}"
    REF_FILE "${CMAKE_CURRENT_BINARY_DIR}/${name}.ref" IMPORTPATH "${full_importpath}"
    REPOSITORY "${KO_REPOSITORY}" NAMING ${KO_NAMING} TAGS ${KO_TAGS} SBOMS ${sbom_args}
    SIGNING_KEY "${KO_SIGNING_KEY}")
  set_target_properties(${name} PROPERTIES
    KO_IMAGE_LAYOUT "${layout}"
    KO_IMAGE_DIGEST_FILE "${digest_file}"
    KO_IMAGE_IMPORTPATH "${full_importpaths}"
    KO_IMAGE_IMPORTPATH_AS_WRITTEN "${importpaths}"
    KO_IMAGE_REF_FILE "${CMAKE_CURRENT_BINARY_DIR}/${name}.ref"
    KO_IMAGE_PLATFORMS "${platforms}")
  set_property(GLOBAL APPEND PROPERTY _KO_IMAGES ${name})
  list(GET KO_TAGS 0 first_tag)
  _ko_rule_tarball(NAME ${name} LAYOUT "${layout}" DIGEST_FILE "${digest_file}" EPOCH ${epoch}
    TAG ${first_tag} PLATFORMS ${platforms})
endfunction()

function(ko_resolve name)
  cmake_parse_arguments(PARSE_ARGV 1 KO "" "OUTPUT" "FILES;IMAGES")
  set(where "ko_resolve(${name})")
  if(KO_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown argument(s) ${KO_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT KO_FILES)
    message(FATAL_ERROR "${where}: FILES is required (YAML files or directories with ko:// references)")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR "${where}: a target named ${name} already exists")
  endif()
  set(files "")
  foreach(file IN LISTS KO_FILES)
    cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    if(NOT EXISTS "${file}")
      message(FATAL_ERROR "${where}: FILES entry '${file}' does not exist")
    endif()
    list(APPEND files "${file}")
  endforeach()
  if(NOT DEFINED KO_OUTPUT)
    set(KO_OUTPUT "${name}.yaml")
  endif()
  cmake_path(ABSOLUTE_PATH KO_OUTPUT BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
  # Deferred calls evaluate their arguments late, so the values travel in properties.
  set_property(GLOBAL PROPERTY _KO_RESOLVE_${name}_OUTPUT "${KO_OUTPUT}")
  set_property(GLOBAL PROPERTY _KO_RESOLVE_${name}_FILES "${files}")
  set_property(GLOBAL PROPERTY _KO_RESOLVE_${name}_IMAGES "${KO_IMAGES}")
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _ko_rule_resolve [[${name}]])")
endfunction()

# --- Argument checks (private) ---------------------------------------------------------

# CGO [LINK_LIBRARIES <cmake library>...]: cgo with this build's C/C++ compilers, the
# libraries' include directories and compile definitions in CGO_CFLAGS, the library files in
# CGO_LDFLAGS with their INTERFACE_LINK_OPTIONS (-lstdc++ for C++ ones; libraries they link
# in turn must be listed too), linked statically. For the toolchain's platform: a
# cross toolchain file makes cross-compiled cgo images.
macro(_ko_cgo_settings where)
  set(cgo_args "")
  set(cgo_depends "")
  if(KO_LINK_LIBRARIES AND NOT KO_CGO)
    message(FATAL_ERROR "${where}: LINK_LIBRARIES needs CGO")
  endif()
  if(KO_CGO)
    if(DEFINED KO_TARGET)
      message(FATAL_ERROR "${where}: CGO applies to Go packages (IMPORTPATH), not to TARGET")
    endif()
    if(NOT CMAKE_C_COMPILER)
      message(FATAL_ERROR "${where}: CGO needs the C language: project(... LANGUAGES C CXX)")
    endif()
    _ko_toolchain_platform("${where}")  # sets toolchain_platform
    if(NOT platforms STREQUAL toolchain_platform)
      message(FATAL_ERROR "${where}: CGO builds for this toolchain's platform (${toolchain_platform}); "
        "for '${platforms}' configure another build tree with a cross toolchain (CMAKE_TOOLCHAIN_FILE)")
    endif()
    set(cflags "")
    set(ldflags "")
    set(needs_cxx FALSE)
    foreach(library IN LISTS KO_LINK_LIBRARIES)
      if(NOT TARGET ${library})
        message(FATAL_ERROR "${where}: LINK_LIBRARIES names '${library}', which is not a target defined before ko_image()")
      endif()
      get_target_property(library_type ${library} TYPE)
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
endmacro()

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

# TARGET <executable>: a CMake executable instead of a Go package, for its toolchain's one
# platform (x86_64 → linux/amd64, aarch64 → linux/arm64, …; PLATFORMS may name it).
macro(_ko_resolve_target where)
  if(DEFINED KO_IMPORTPATH)
    message(FATAL_ERROR "${where}: give either IMPORTPATH (a Go package) or TARGET (a CMake executable), not both")
  endif()
  if(NOT TARGET ${KO_TARGET})
    message(FATAL_ERROR "${where}: TARGET '${KO_TARGET}' is not a target; define it (add_executable) before ko_image()")
  endif()
  get_target_property(target_type ${KO_TARGET} TYPE)
  if(NOT target_type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "${where}: TARGET '${KO_TARGET}' is a ${target_type}, not an executable")
  endif()
  get_target_property(binary_name ${KO_TARGET} OUTPUT_NAME)
  if(NOT binary_name)
    set(binary_name ${KO_TARGET})
  endif()
  set(full_importpath "${KO_TARGET}")  # names the repository under KO_DOCKER_REPO
  _ko_toolchain_platform("${where}")  # sets toolchain_platform
  if(KO_PLATFORMS AND NOT KO_PLATFORMS STREQUAL toolchain_platform)
    message(FATAL_ERROR "${where}: TARGET ${KO_TARGET} is built for ${toolchain_platform} by this toolchain; "
      "PLATFORMS '${KO_PLATFORMS}' would need another build tree with a cross toolchain")
  endif()
  set(platforms ${toolchain_platform})
endmacro()

# The image platform the CMake toolchain compiles for.
macro(_ko_toolchain_platform where)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" processor)
  set(_ko_processor_amd64 x86_64 amd64)
  set(_ko_processor_arm64 aarch64 arm64)
  set(_ko_processor_386 i386 i486 i586 i686 x86)
  set(_ko_processor_ppc64le ppc64le)
  set(_ko_processor_s390x s390x)
  set(_ko_processor_riscv64 riscv64)
  set(toolchain_platform "")
  foreach(arch amd64 arm64 386 ppc64le s390x riscv64)
    if(processor IN_LIST _ko_processor_${arch})
      set(toolchain_platform "linux/${arch}")
    endif()
  endforeach()
  if(NOT toolchain_platform)
    message(FATAL_ERROR "${where}: cannot tell the image platform of CMAKE_SYSTEM_PROCESSOR '${CMAKE_SYSTEM_PROCESSOR}'")
  endif()
endmacro()

# Reads the module path from go.mod and maps IMPORTPATH to a directory of the module.
macro(_ko_resolve_package where)
  if(NOT KO_IMPORTPATH)
    message(FATAL_ERROR "${where}: IMPORTPATH is required (e.g. IMPORTPATH ./cmd/app)")
  endif()
  set(module_dir "${CMAKE_CURRENT_SOURCE_DIR}")
  if(DEFINED KO_GO_MODULE_DIR)
    cmake_path(ABSOLUTE_PATH KO_GO_MODULE_DIR BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
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
  string(FIND "${KO_IMPORTPATH}/" "${module_path}/" module_prefix_at)
  if(KO_IMPORTPATH MATCHES "^\\.\\.?(/|$)")
    # ./cmd/app: relative to the module directory, and must stay inside it.
    cmake_path(ABSOLUTE_PATH KO_IMPORTPATH BASE_DIRECTORY "${module_dir}" NORMALIZE OUTPUT_VARIABLE package_dir)
    string(REGEX REPLACE "/$" "" package_dir "${package_dir}")
    cmake_path(IS_PREFIX module_dir "${package_dir}" NORMALIZE inside)
    if(NOT inside)
      message(FATAL_ERROR "${where}: IMPORTPATH '${KO_IMPORTPATH}' is outside the module in ${module_dir}")
    endif()
    file(RELATIVE_PATH relative "${module_dir}" "${package_dir}")
    if(relative)
      set(full_importpath "${module_path}/${relative}")
    else()
      set(full_importpath "${module_path}")
    endif()
  elseif(module_prefix_at EQUAL 0)
    # example.com/m/cmd/app: a package of this module.
    set(full_importpath "${KO_IMPORTPATH}")
    string(LENGTH "${module_path}" prefix_length)
    string(SUBSTRING "${KO_IMPORTPATH}" ${prefix_length} -1 relative)
    set(package_dir "${module_dir}${relative}")
  else()
    message(FATAL_ERROR "${where}: IMPORTPATH '${KO_IMPORTPATH}' is outside module '${module_path}' "
      "(${module_dir}/go.mod); use ./path/to/pkg or ${module_path}/path/to/pkg")
  endif()
  if(NOT IS_DIRECTORY "${package_dir}")
    message(FATAL_ERROR "${where}: IMPORTPATH '${KO_IMPORTPATH}' names no directory (${package_dir})")
  endif()
  # The binary is named like `go install` names it: the last element, skipping a /vN suffix.
  string(REGEX REPLACE "/v[0-9]+$" "" binary_path "${full_importpath}")
  cmake_path(GET binary_path FILENAME binary_name)
endmacro()

macro(_ko_check_platforms where)
  if(KO_PLATFORMS)
    set(platforms ${KO_PLATFORMS})
  elseif(KO_DEFAULT_PLATFORMS)
    set(platforms ${KO_DEFAULT_PLATFORMS})
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
endmacro()

# EXPECT_DIGEST sha256:… (the image) or <platform>=sha256:… items (per platform).
macro(_ko_check_expected_digest where)
  set(expect_args "")
  foreach(item IN LISTS KO_EXPECT_DIGEST)
    if(item MATCHES "^sha256:[0-9a-f]+$")
      list(APPEND expect_args "--expect-digest=${item}")
    elseif(item MATCHES "^([^=]+)=(sha256:[0-9a-f]+)$" AND CMAKE_MATCH_1 IN_LIST platforms)
      list(APPEND expect_args "--expect-platform-digest=${item}")
    else()
      message(FATAL_ERROR "${where}: EXPECT_DIGEST item '${item}' is not sha256:<hex> or <platform>=sha256:<hex> "
        "for one of PLATFORMS (${platforms})")
    endif()
  endforeach()
endmacro()

function(_ko_check_key_values where keyword pattern form)
  foreach(item IN LISTS KO_${keyword})
    if(NOT item MATCHES "${pattern}")
      message(FATAL_ERROR "${where}: ${keyword} item '${item}' is not ${form}")
    endif()
  endforeach()
endfunction()

macro(_ko_base_reference where)
  if(DEFINED KO_BASE)
    set(base "${KO_BASE}")
  elseif(KO_DEFAULT_BASE_IMAGE)
    set(base "${KO_DEFAULT_BASE_IMAGE}")
  else()
    set(base static)
  endif()
  set(base_depends "")
  set(base_lock_file "")
  set(base_is_registry FALSE)
  if(base STREQUAL "static")
    _ko_static_base_layout(static_layout)
    set(base "oci-layout:${static_layout}")
    set(base_depends "${static_layout}/index.json")
  elseif(base MATCHES "^oci-layout:(.+)$")
    # Split off :tag or @digest, make the directory absolute, and depend on its index.json.
    set(spec "${CMAKE_MATCH_1}")
    set(suffix "")
    if(spec MATCHES "^(.*)(@sha256:[0-9a-f]+)$")
      set(spec "${CMAKE_MATCH_1}")
      set(suffix "${CMAKE_MATCH_2}")
    endif()
    if(spec MATCHES "^(.*[^/]):([A-Za-z0-9_][A-Za-z0-9_.-]*)$")
      set(spec "${CMAKE_MATCH_1}")
      set(suffix ":${CMAKE_MATCH_2}${suffix}")
    endif()
    cmake_path(ABSOLUTE_PATH spec BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    string(REGEX REPLACE "/$" "" spec "${spec}")
    cmake_path(IS_PREFIX CMAKE_BINARY_DIR "${spec}" NORMALIZE generated)
    if(NOT generated AND NOT EXISTS "${spec}/index.json")
      message(FATAL_ERROR "${where}: BASE '${base}': ${spec} is not an OCI image layout (no index.json)")
    endif()
    set(base "oci-layout:${spec}${suffix}")
    set(base_depends "${spec}/index.json")
  elseif(NOT base STREQUAL "scratch")
    _ko_registry_base("${where}")
  endif()
endmacro()

# A registry reference: pinned through the lock file when it has an entry for it (a lock
# file change re-runs configure), else the image step resolves the tag and records it.
macro(_ko_registry_base where)
  if(NOT base MATCHES "^[A-Za-z0-9[][]A-Za-z0-9._:/@[-]*$" OR base MATCHES "//")
    message(FATAL_ERROR "${where}: BASE '${base}' is not an image reference "
      "(static, scratch, oci-layout:<dir>, or registry/repository[:tag][@sha256:…])")
  endif()
  if(DEFINED KO_LOCK_FILE)
    set(lock_file "${KO_LOCK_FILE}")
  else()
    set(lock_file "${CMAKE_SOURCE_DIR}/ko.lock.json")
  endif()
  set(base_is_registry TRUE)
  set_property(GLOBAL APPEND PROPERTY _KO_REGISTRY_BASES "${base}")
  set_property(GLOBAL PROPERTY _KO_LOCK_FILE "${lock_file}")
  if(NOT base MATCHES "@sha256:")
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
      set(base "${base}@${locked_digest}")
    else()
      set(base_lock_file "${lock_file}")
    endif()
  endif()
  _ko_lock_update_target()
endmacro()

macro(_ko_source_date_epoch where)
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
endmacro()

cmake_policy(POP)
