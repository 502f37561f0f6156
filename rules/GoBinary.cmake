# Rule: go build, one per image and platform (private).
#
# The helper writes a depfile listing every Go source, embedded file, package directory
# and go.mod/go.sum outside the module cache, so Ninja reruns this step exactly when one
# of them changes. When the new binary has the same bytes the helper leaves the output
# untouched, and Ninja's restat (CMake sets it on custom commands) skips the layer and
# image steps.
include_guard(GLOBAL)

function(_ko_rule_go_binary)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;PLATFORM;MODULE_DIR;PACKAGE;OUTPUT" "LDFLAGS;GOFLAGS;CGO_ARGS;DEPENDS")
  _ko_helper(helper helper_depends)
  set(flags "")
  foreach(flag IN LISTS R_LDFLAGS)
    list(APPEND flags "--ldflag=${flag}")
  endforeach()
  foreach(flag IN LISTS R_GOFLAGS)
    list(APPEND flags "--goflag=${flag}")
  endforeach()
  _ko_ninja_depfile_args(ninja_dir_args)
  if(ninja_dir_args)
    cmake_policy(SET CMP0116 OLD)  # this function's policy scope only
  endif()
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} go-build
      --go "${Go_EXECUTABLE}" --module-dir "${R_MODULE_DIR}" --package "${R_PACKAGE}"
      --platform "${R_PLATFORM}" --output "${R_OUTPUT}" --depfile "${R_OUTPUT}.d" ${ninja_dir_args}
      ${flags} ${R_CGO_ARGS}
    DEPFILE "${R_OUTPUT}.d"
    DEPENDS ${helper_depends} ${R_DEPENDS}
    COMMENT "ko: go build ${R_PACKAGE} (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()

# The helper writes its depfiles as Ninja reads them (paths under the top build directory
# relative to it, --ninja-dir), so with CMP0116 OLD CMake need not append
# `cmake -E cmake_transform_depfile` (one more process, 10-20 ms, on every go build and
# layer edge). Not with CMAKE_NINJA_OUTPUT_PATH_PREFIX, which changes how build.ninja names
# outputs: CMake transforms those.
macro(_ko_ninja_depfile_args out_args)
  if(CMAKE_NINJA_OUTPUT_PATH_PREFIX)
    set(${out_args} "")
  else()
    set(${out_args} --ninja-dir "${CMAKE_BINARY_DIR}")
  endif()
endmacro()
