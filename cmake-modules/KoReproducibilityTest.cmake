# KoReproducibilityTest
# ---------------------
# ko_add_reproducibility_test(<name> [SHARED_GOCACHE]), part of the KoImage module (which
# includes this file and documents the function; it needs the rules KoImage.cmake loads):
# a CTest test that builds the image again from a copy of the source tree at another path,
# in a fresh build directory, under another umask and a later clock, with a fresh private
# GOCACHE (so every package is compiled again and a nondeterministic compile shows), and
# fails with `ko-image diff`'s explanation when the digest differs.
#
# The second build gets every setting of the first: each cache entry of the first build
# tree that a user or a toolchain can set (all but INTERNAL and STATIC ones, read from its
# CMakeCache.txt when the test runs — so KO_DEFAULT_COMPRESSION, compilers, toolchain
# files, any project option), with paths into the source or build tree moved to the copy,
# the same generator, and the SOURCE_DATE_EPOCH the first configure saw.
#
# This file is both the function (included by KoImage.cmake) and the test script (cmake -P).
if(CMAKE_SCRIPT_MODE_FILE)
  # --- the test, run by ctest ---------------------------------------------------------
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target "${TARGET}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "building ${TARGET} in ${BINARY_DIR} failed")
  endif()
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(copy "${WORK_DIR}/src")
  set(second "${WORK_DIR}/build")

  # The source tree, without the first build tree (which may be inside it) and VCS data.
  string(REGEX REPLACE "([][+.*()^$?|\\\\{}])" "\\\\\\1" binary_regex "${BINARY_DIR}")
  file(COPY "${SOURCE_DIR}/" DESTINATION "${copy}"
       REGEX "^${binary_regex}(/.*)?$" EXCLUDE
       PATTERN ".git" EXCLUDE)

  # Every settable cache entry of the first build, as an initial cache for the second.
  set(init "${WORK_DIR}/initial-cache.cmake")
  file(WRITE "${init}" "# The settings of ${BINARY_DIR}\n")
  file(STRINGS "${BINARY_DIR}/CMakeCache.txt" entries REGEX "^[A-Za-z_][^:]*:[A-Z]+=")
  foreach(entry IN LISTS entries)
    string(REGEX MATCH "^([^:]+):([A-Z]+)=(.*)$" unused "${entry}")
    set(name "${CMAKE_MATCH_1}")
    set(type "${CMAKE_MATCH_2}")
    set(value "${CMAKE_MATCH_3}")
    if(type MATCHES "^(INTERNAL|STATIC)$")
      continue()
    endif()
    if(type STREQUAL "UNINITIALIZED")  # given with -D but never declared
      set(type STRING)
    endif()
    # Paths into the first trees name the same files in the copy (build tree first: it may
    # be inside the source tree).
    foreach(from_to "${BINARY_DIR}|${second}" "${SOURCE_DIR}|${copy}")
      string(REPLACE "|" ";" from_to "${from_to}")
      list(GET from_to 0 from)
      list(GET from_to 1 to)
      string(FIND "${value}" "${from}" at)
      if(at EQUAL 0)
        string(LENGTH "${from}" length)
        string(SUBSTRING "${value}" ${length} -1 rest)
        if(rest STREQUAL "" OR rest MATCHES "^/")
          set(value "${to}${rest}")
          break()
        endif()
      endif()
    endforeach()
    file(APPEND "${init}" "set(${name} [==[${value}]==] CACHE ${type} \"\")\n")
  endforeach()

  if(DEFINED EPOCH_ENV)
    set(ENV{SOURCE_DATE_EPOCH} "${EPOCH_ENV}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -G "${GENERATOR}" -S "${copy}" -B "${second}" -C "${init}"
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring the second build in ${second} failed")
  endif()
  if(SHARED_GOCACHE)
    set(gocache_note "the shared GOCACHE")
  else()
    set(ENV{GOCACHE} "${WORK_DIR}/gocache")
  endif()
  execute_process(COMMAND sh -c "umask 077 && exec \"$0\" --build \"$1\" --target \"$2\""
                          "${CMAKE_COMMAND}" "${second}" "${TARGET}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the second build of ${TARGET} in ${second} failed")
  endif()
  if(NOT SHARED_GOCACHE)
    file(GLOB_RECURSE compiled "${WORK_DIR}/gocache/*-a")
    list(LENGTH compiled compiled)
    set(gocache_note "a private GOCACHE (${compiled} build actions run again)")
  endif()
  file(RELATIVE_PATH relative "${BINARY_DIR}" "${LAYOUT}")
  execute_process(COMMAND "${HELPER}" diff "${LAYOUT}" "${second}/${relative}"
                  OUTPUT_VARIABLE explanation RESULT_VARIABLE rc)
  set(how "second build from a copy of the sources at ${copy}, with ${gocache_note}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${TARGET} is not reproducible (${how}):\n${explanation}")
  endif()
  file(REMOVE_RECURSE "${WORK_DIR}")
  message(STATUS "${TARGET} is reproducible (${how}): ${explanation}")
  return()
endif()

include_guard(GLOBAL)
set(_KO_REPRODUCIBILITY_SCRIPT "${CMAKE_CURRENT_LIST_FILE}" CACHE INTERNAL "")

function(ko_add_reproducibility_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "SHARED_GOCACHE" "" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ko_add_reproducibility_test(${name}): unknown argument(s) ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(_KO_PLATFORM_TREE)
    return()  # another platform's tree (rules/PlatformTreeConfigure.cmake) has no images
  endif()
  _ko_image_property(layout ${name} KO_IMAGE_LAYOUT "ko_add_reproducibility_test(${name})")
  _ko_helper(helper helper_depends)
  set(epoch "")
  if(NOT DEFINED SOURCE_DATE_EPOCH AND DEFINED ENV{SOURCE_DATE_EPOCH})
    set(epoch "-DEPOCH_ENV=$ENV{SOURCE_DATE_EPOCH}")
  endif()
  set(shared "")
  if(arg_SHARED_GOCACHE)
    set(shared "-DSHARED_GOCACHE=ON")
  endif()
  add_test(NAME ${name}.reproducible
    COMMAND "${CMAKE_COMMAND}"
      "-DSOURCE_DIR=${CMAKE_SOURCE_DIR}" "-DBINARY_DIR=${CMAKE_BINARY_DIR}" "-DTARGET=${name}"
      "-DLAYOUT=${layout}" "-DHELPER=${helper}" "-DWORK_DIR=${CMAKE_BINARY_DIR}/ko-reproducibility/${name}"
      "-DGENERATOR=${CMAKE_GENERATOR}" ${epoch} ${shared}
      -P "${_KO_REPRODUCIBILITY_SCRIPT}")
  set_tests_properties(${name}.reproducible PROPERTIES LABELS reproducibility TIMEOUT 1800)
endfunction()
