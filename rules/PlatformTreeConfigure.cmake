# Rule: configure the build tree of another platform (private), one per platform that a TARGET
# or CGO image names besides the CMake toolchain's own (see PlatformTreeBuild.cmake).
#
# The tree is <build>/ko/platforms/<os>-<arch>: the same top source directory, configured with
# the platform's toolchain file (KO_TOOLCHAIN_<os>_<arch>) and _KO_PLATFORM_TREE set, so that
# ko_image() there only declares the binaries the main tree takes from it (the project sees
# KO_PLATFORM_TREE). Its settings are an initial cache file written here at configure time,
# and rewritten only when they change: the edge depends on it and on the toolchain file, so a
# changed setting or toolchain reconfigures the tree, and nothing else does (the tree's own
# build.ninja reruns CMake when a CMakeLists.txt changes). Each run starts from no cache and
# no compiler detection (CMakeCache.txt and CMakeFiles/<version>; not the objects, which
# `cmake --fresh` deletes with all of CMakeFiles): a new toolchain means new compilers, which
# an existing cache would keep, and Ninja's command log in the tree still skips every object
# whose command did not change.
#
# Forwarded: the non-internal BOOL and STRING entries (project options, KO_* settings) and the
# few CMAKE_* ones that do not describe the host toolchain (CMAKE_BUILD_TYPE, the compiler
# launchers, CMAKE_COLOR_DIAGNOSTICS), plus KoImage_DIR and the Go toolchain. FILEPATH and PATH
# entries are not: find_*() results belong to each toolchain (set them in its toolchain file).
include_guard(GLOBAL)

function(_ko_rule_platform_tree_configure out_stamp)
  cmake_parse_arguments(PARSE_ARGV 1 R "" "PLATFORM;TOOLCHAIN;TREE" "")
  set(init "${R_TREE}.cache.cmake")
  set(stamp "${R_TREE}.configured")
  # One set() per entry; built as text, not as a list, since values may hold semicolons.
  set(content "# The settings of the ${R_PLATFORM} tree (written by ko_image(); do not edit)\n")
  string(APPEND content "set(_KO_PLATFORM_TREE [==[${R_PLATFORM}]==] CACHE INTERNAL \"\")\n")
  string(APPEND content "set(KO_PLATFORM_TREE [==[${R_PLATFORM}]==] CACHE INTERNAL \"for the project\")\n")
  string(APPEND content "set(CMAKE_TOOLCHAIN_FILE [==[${R_TOOLCHAIN}]==] CACHE FILEPATH \"\")\n")
  string(APPEND content "set(CMAKE_MAKE_PROGRAM [==[${CMAKE_MAKE_PROGRAM}]==] CACHE FILEPATH \"\")\n")
  if(TARGET ko-image)  # cmake-ko itself: the tree runs this tree's helper, not one it builds
    string(APPEND content "set(KO_IMAGE_EXECUTABLE [==[$<TARGET_FILE:ko-image>]==] CACHE FILEPATH \"\")\n")
  endif()
  get_cmake_property(entries CACHE_VARIABLES)
  list(SORT entries)
  foreach(entry IN LISTS entries)
    get_property(type CACHE "${entry}" PROPERTY TYPE)
    get_property(value CACHE "${entry}" PROPERTY VALUE)
    if(type STREQUAL "UNINITIALIZED")  # given with -D, never declared
      set(type STRING)
    endif()
    if(entry MATCHES "^(KoImage_DIR|KO_GO_EXECUTABLE|Go_EXECUTABLE)$"
       OR (type MATCHES "^(BOOL|STRING)$"
           AND NOT entry MATCHES "^(KO_TOOLCHAIN_|_KO_|KO_PLATFORM_TREE$)"
           AND (NOT entry MATCHES "^CMAKE_"
                OR entry MATCHES "^CMAKE_(BUILD_TYPE|C_COMPILER_LAUNCHER|CXX_COMPILER_LAUNCHER|COLOR_DIAGNOSTICS)$")))
      string(APPEND content "set(${entry} [==[${value}]==] CACHE ${type} \"\")\n")
    endif()
  endforeach()
  # file(GENERATE) for the helper's $<TARGET_FILE>; it rewrites the file only when it changes.
  file(GENERATE OUTPUT "${init}" CONTENT "${content}")

  add_custom_command(
    OUTPUT "${stamp}"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${R_TREE}/CMakeCache.txt" "${R_TREE}/CMakeFiles/${CMAKE_VERSION}"
    COMMAND "${CMAKE_COMMAND}" --log-level=WARNING -G "${CMAKE_GENERATOR}"
      -S "${CMAKE_SOURCE_DIR}" -B "${R_TREE}" -C "${init}"
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    # build.ninja: a removed tree is configured again. A byproduct, not an input of the build
    # step: the tree's ninja rewrites it whenever a CMakeLists.txt changes.
    BYPRODUCTS "${R_TREE}/build.ninja"
    DEPENDS "${init}" "${R_TOOLCHAIN}"
    COMMENT "ko: configure the ${R_PLATFORM} build tree (${R_TOOLCHAIN})"
    USES_TERMINAL
    VERBATIM)
  set(${out_stamp} "${stamp}" PARENT_SCOPE)
endfunction()
