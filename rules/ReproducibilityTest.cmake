# Rule: ko_add_reproducibility_test(<name>) — a CTest test that builds the image again from
# the same sources in a fresh build directory at another path, under another umask and a
# later clock, and fails with `ko-image diff`'s explanation when the digest differs.
#
# This file is both the rule (included by KoImage.cmake) and the test script (cmake -P).
if(CMAKE_SCRIPT_MODE_FILE)
  # --- the test, run by ctest ---------------------------------------------------------
  string(REPLACE "|" ";" cache_args "${CACHE_ARGS}")
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target "${TARGET}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "building ${TARGET} in ${BINARY_DIR} failed")
  endif()
  file(REMOVE_RECURSE "${WORK_DIR}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -G Ninja -S "${SOURCE_DIR}" -B "${WORK_DIR}" ${cache_args}
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring the second build in ${WORK_DIR} failed")
  endif()
  execute_process(COMMAND sh -c "umask 077 && exec \"$0\" --build \"$1\" --target \"$2\""
                          "${CMAKE_COMMAND}" "${WORK_DIR}" "${TARGET}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the second build of ${TARGET} in ${WORK_DIR} failed")
  endif()
  file(RELATIVE_PATH relative "${BINARY_DIR}" "${LAYOUT}")
  execute_process(COMMAND "${HELPER}" diff "${LAYOUT}" "${WORK_DIR}/${relative}"
                  OUTPUT_VARIABLE explanation RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${TARGET} is not reproducible:\n${explanation}")
  endif()
  file(REMOVE_RECURSE "${WORK_DIR}")
  message(STATUS "${TARGET} is reproducible: ${explanation}")
  return()
endif()

include_guard(GLOBAL)
set(_KO_REPRODUCIBILITY_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

function(ko_add_reproducibility_test name)
  _ko_image_property(layout ${name} KO_IMAGE_LAYOUT "ko_add_reproducibility_test(${name})")
  _ko_helper(helper helper_depends)
  # The second build sees the same settings as this one.
  set(cache_args "")
  foreach(var KoImage_DIR KO_IMAGE_EXECUTABLE KO_DEFAULT_PLATFORMS KO_DEFAULT_BASE_IMAGE KO_GO_EXECUTABLE CMAKE_TOOLCHAIN_FILE
              KO_LOCK_FILE SOURCE_DATE_EPOCH CMAKE_PREFIX_PATH CMAKE_BUILD_TYPE)
    if(DEFINED ${var})
      string(REPLACE ";" "\\;" value "${${var}}")
      list(APPEND cache_args "-D${var}=${value}")
    endif()
  endforeach()
  list(JOIN cache_args "|" cache_args)
  add_test(NAME ${name}.reproducible
    COMMAND "${CMAKE_COMMAND}"
      "-DSOURCE_DIR=${CMAKE_SOURCE_DIR}" "-DBINARY_DIR=${CMAKE_BINARY_DIR}" "-DTARGET=${name}"
      "-DLAYOUT=${layout}" "-DHELPER=${helper}" "-DWORK_DIR=${CMAKE_BINARY_DIR}/ko-reproducibility/${name}"
      "-DCACHE_ARGS=${cache_args}"
      -P "${_KO_REPRODUCIBILITY_SCRIPT}")
  set_tests_properties(${name}.reproducible PROPERTIES LABELS reproducibility TIMEOUT 1800)
endfunction()
