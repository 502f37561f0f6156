# Rule: build what the main tree takes from another platform's build tree (private), one edge
# per platform. This file is also that edge's command (cmake -P, below).
#
# A TARGET or CGO image for a platform that is not the CMake toolchain's gets that platform's
# executable (or cgo Go binary) from <build>/ko/platforms/<os>-<arch>, the same sources
# configured with KO_TOOLCHAIN_<os>_<arch> (PlatformTreeConfigure.cmake); the layer, image and
# index steps stay in the main graph. Unlike ExternalProject's build step, which must run
# the sub-build on every build (BUILD_ALWAYS) or never notice a source change, this edge is
# an ordinary Ninja edge: after the sub-tree's `ninja` succeeds it writes a depfile of every
# file the sub-tree's outputs were made from — `ninja -t inputs` of the wanted targets and of
# build.ninja (sources, CMakeLists.txt, toolchain and CMake modules), `ninja -t deps` of their
# intermediate files (the headers the compilers reported) and the depfiles of the tree's
# go-build steps (Go sources) — without anything inside the tree itself, which its own builds
# rewrite. A no-op build therefore runs no edge; an edited source reruns this one edge, whose
# sub-tree `ninja` rebuilds exactly what depends on it there; the binaries it did not touch
# keep their mtime, and Ninja's restat (CMake sets it on custom commands) skips their
# layers. USES_TERMINAL (Ninja's console pool): the sub-build's compiler messages stream to
# the terminal as they come; its failure fails this edge.
if(CMAKE_SCRIPT_MODE_FILE)
  # --- the edge's command: TREE, PLATFORM, NINJA, TARGETS and GO_DEPFILES (|-separated),
  # OUTPUTS (|-separated), STAMP, DEPFILE, DEPFILE_TARGET ------------------------------
  string(REPLACE "|" ";" targets "${TARGETS}")
  string(REPLACE "|" ";" outputs "${OUTPUTS}")
  string(REPLACE "|" ";" go_depfiles "${GO_DEPFILES}")
  set(ENV{NINJA_STATUS} "[${PLATFORM} %f/%t] ")  # tells its lines from the main build's
  execute_process(COMMAND "${NINJA}" -C "${TREE}" ${targets} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    list(JOIN targets ", " what)
    message(FATAL_ERROR "ko: building ${what} in the ${PLATFORM} build tree (${TREE}) failed")
  endif()
  foreach(output IN LISTS outputs)
    if(NOT EXISTS "${output}")
      message(FATAL_ERROR "ko: the ${PLATFORM} build tree did not make ${output} "
        "(does the executable's RUNTIME_OUTPUT_DIRECTORY differ between toolchains?)")
    endif()
  endforeach()

  # Every file outside the tree that its outputs were made from.
  execute_process(COMMAND "${NINJA}" -C "${TREE}" -t inputs ${targets} build.ninja
                  OUTPUT_VARIABLE listed RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ko: ninja -t inputs failed in ${TREE}")
  endif()
  # Relative paths are the tree's own files, or (ccache's base_dir makes the compilers report
  # them so) sources named from the tree.
  string(REPLACE "\n" ";" listed "${listed}")
  set(inputs "")
  set(intermediates "")
  foreach(path IN LISTS listed)
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${TREE}" NORMALIZE OUTPUT_VARIABLE absolute)
    string(FIND "${absolute}" "${TREE}/" in_tree)
    if(in_tree EQUAL 0)
      list(APPEND intermediates "${path}")  # made in the tree: ask for its recorded deps
    elseif(NOT path STREQUAL "")
      list(APPEND inputs "${absolute}")
    endif()
  endforeach()
  if(intermediates)
    execute_process(COMMAND "${NINJA}" -C "${TREE}" -t deps ${intermediates}
                    OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "ko: ninja -t deps failed in ${TREE}")
    endif()
    string(REGEX MATCHALL "\n    [^\n]+" deps "${deps}")
    foreach(dep IN LISTS deps)
      string(REGEX REPLACE "^\n    " "" dep "${dep}")
      cmake_path(ABSOLUTE_PATH dep BASE_DIRECTORY "${TREE}" NORMALIZE)
      list(APPEND inputs "${dep}")
    endforeach()
  endif()
  # The helper's depfiles: `target: \` then one path per line, spaces and # escaped, $ as $$.
  string(ASCII 1 space)
  foreach(depfile IN LISTS go_depfiles)
    file(READ "${depfile}" text)
    string(REPLACE "\\\n" " " text "${text}")
    string(REPLACE "\\ " "${space}" text "${text}")
    string(REPLACE "\\#" "#" text "${text}")
    string(REPLACE "$$" "$" text "${text}")
    string(REGEX REPLACE "^[^ ]*: " "" text "${text}")
    string(REGEX MATCHALL "[^ \n]+" paths "${text}")
    foreach(path IN LISTS paths)
      string(REPLACE "${space}" " " path "${path}")
      cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${TREE}" NORMALIZE)
      list(APPEND inputs "${path}")
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES inputs)
  list(SORT inputs)
  set(text "${DEPFILE_TARGET}:")
  foreach(input IN LISTS inputs)
    string(FIND "${input}" "${TREE}/" in_tree)
    if(NOT input MATCHES "^/" OR in_tree EQUAL 0)  # the tree's own files
      continue()
    endif()
    string(REPLACE "$" "$$" input "${input}")
    string(REGEX REPLACE "([ #])" "\\\\\\1" input "${input}")
    string(APPEND text " \\\n  ${input}")
  endforeach()
  file(WRITE "${DEPFILE}.tmp" "${text}\n")
  file(RENAME "${DEPFILE}.tmp" "${DEPFILE}")
  file(TOUCH "${STAMP}")
  return()
endif()

include_guard(GLOBAL)
set(_KO_PLATFORM_TREE_BUILD_SCRIPT "${CMAKE_CURRENT_LIST_FILE}" CACHE INTERNAL "")

# Sets out_binary to the file at `binary` (relative to the tree's top) that the tree of
# `platform` makes through its Ninja target `ninja_target` (a target name or that file), and
# adds it to that tree's one build edge, defined when the top directory is done. `go_depfile`:
# the go-build step's depfile, for a Go binary.
function(_ko_platform_tree_binary out_binary where platform toolchain ninja_target binary go_depfile)
  string(REPLACE "/" "-" slug "${platform}")
  set(tree "${CMAKE_BINARY_DIR}/ko/platforms/${slug}")
  get_property(trees GLOBAL PROPERTY _KO_PLATFORM_TREES)
  if(NOT platform IN_LIST trees)
    set_property(GLOBAL APPEND PROPERTY _KO_PLATFORM_TREES "${platform}")
    set_property(GLOBAL PROPERTY _KO_PLATFORM_TREE_${slug}_TOOLCHAIN "${toolchain}")
    cmake_language(EVAL CODE
      "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _ko_rule_platform_tree [[${platform}]])")
  else()
    get_property(known GLOBAL PROPERTY _KO_PLATFORM_TREE_${slug}_TOOLCHAIN)
    if(NOT known STREQUAL toolchain)
      message(FATAL_ERROR "${where}: the ${platform} toolchain is ${toolchain} here but ${known} for an earlier image; "
        "set KO_TOOLCHAIN_* once, before the first ko_image()")
    endif()
  endif()
  set_property(GLOBAL APPEND PROPERTY _KO_PLATFORM_TREE_${slug}_TARGETS "${ninja_target}")
  set_property(GLOBAL APPEND PROPERTY _KO_PLATFORM_TREE_${slug}_OUTPUTS "${tree}/${binary}")
  if(go_depfile)
    set_property(GLOBAL APPEND PROPERTY _KO_PLATFORM_TREE_${slug}_GO_DEPFILES "${tree}/${go_depfile}")
  endif()
  set(${out_binary} "${tree}/${binary}" PARENT_SCOPE)
endfunction()

# Deferred to the end of the top directory: the configure and build edges of one tree.
function(_ko_rule_platform_tree platform)
  string(REPLACE "/" "-" slug "${platform}")
  set(tree "${CMAKE_BINARY_DIR}/ko/platforms/${slug}")
  foreach(property TOOLCHAIN TARGETS OUTPUTS GO_DEPFILES)
    get_property(${property} GLOBAL PROPERTY _KO_PLATFORM_TREE_${slug}_${property})
  endforeach()
  list(REMOVE_DUPLICATES TARGETS)
  list(REMOVE_DUPLICATES OUTPUTS)
  _ko_rule_platform_tree_configure(configured PLATFORM ${platform} TOOLCHAIN "${TOOLCHAIN}" TREE "${tree}")
  _ko_helper(helper helper_depends)
  set(stamp "${tree}.built")
  file(RELATIVE_PATH stamp_in_ninja "${CMAKE_BINARY_DIR}" "${stamp}")
  _ko_ninja_depfile_args(unused)  # CMP0116 OLD: the depfile names the stamp as Ninja does
  list(JOIN TARGETS "|" targets)
  list(JOIN OUTPUTS "|" outputs)
  list(JOIN GO_DEPFILES "|" go_depfiles)
  list(JOIN TARGETS ", " what)
  add_custom_command(
    OUTPUT "${stamp}" ${OUTPUTS}
    COMMAND "${CMAKE_COMMAND}" "-DTREE=${tree}" "-DPLATFORM=${platform}" "-DNINJA=${CMAKE_MAKE_PROGRAM}"
      "-DTARGETS=${targets}" "-DOUTPUTS=${outputs}" "-DGO_DEPFILES=${go_depfiles}"
      "-DSTAMP=${stamp}" "-DDEPFILE=${tree}.d" "-DDEPFILE_TARGET=${stamp_in_ninja}"
      -P "${_KO_PLATFORM_TREE_BUILD_SCRIPT}"
    DEPFILE "${tree}.d"
    DEPENDS "${configured}" "${_KO_PLATFORM_TREE_BUILD_SCRIPT}" ${helper_depends}
    COMMENT "ko: build ${what} in the ${platform} build tree"
    USES_TERMINAL
    VERBATIM)
  add_custom_target(_ko_platform_tree_${slug} DEPENDS "${stamp}")
endfunction()
