# FindGo
# ------
# Finds the Go toolchain.
#
#   find_package(Go 1.19 REQUIRED)
#
# Input variables:
#   KO_GO_EXECUTABLE   The go binary to use (CMake or environment variable). Default: `go`
#                      on PATH.
#
# Result variables:
#   Go_FOUND           True when a go binary of a suitable version was found.
#   Go_EXECUTABLE      Absolute path of the go binary (cached).
#   Go_VERSION         Its version, e.g. 1.22.5 (from `go env GOVERSION`).
#   Go_HOST_ARCH       GOHOSTARCH, e.g. amd64: the default image platform is linux/<this>.
include_guard(GLOBAL)

if(NOT KO_GO_EXECUTABLE AND DEFINED ENV{KO_GO_EXECUTABLE})
  set(KO_GO_EXECUTABLE "$ENV{KO_GO_EXECUTABLE}")
endif()
if(KO_GO_EXECUTABLE)
  if(NOT EXISTS "${KO_GO_EXECUTABLE}")
    message(FATAL_ERROR "KO_GO_EXECUTABLE='${KO_GO_EXECUTABLE}' does not exist; point it at a go binary")
  endif()
  set(Go_EXECUTABLE "${KO_GO_EXECUTABLE}" CACHE FILEPATH "The Go toolchain's go binary" FORCE)
else()
  find_program(Go_EXECUTABLE NAMES go DOC "The Go toolchain's go binary")
endif()

if(Go_EXECUTABLE)
  # GOTOOLCHAIN=local: report the toolchain on disk, never one Go would download. Set in
  # CMake's own environment for this call (and restored): a `cmake -E env` wrapper would
  # cost a second CMake start, about 10 ms of every configure.
  foreach(_go_var GOTOOLCHAIN GOFLAGS)
    set(_go_saved_${_go_var} "$ENV{${_go_var}}")
    set(_go_had_${_go_var} FALSE)
    if(DEFINED ENV{${_go_var}})
      set(_go_had_${_go_var} TRUE)
    endif()
  endforeach()
  set(ENV{GOTOOLCHAIN} local)
  set(ENV{GOFLAGS} "")
  execute_process(
    COMMAND "${Go_EXECUTABLE}" env GOVERSION GOHOSTARCH
    OUTPUT_VARIABLE _go_env RESULT_VARIABLE _go_result ERROR_VARIABLE _go_error
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  foreach(_go_var GOTOOLCHAIN GOFLAGS)
    if(_go_had_${_go_var})
      set(ENV{${_go_var}} "${_go_saved_${_go_var}}")
    else()
      unset(ENV{${_go_var}})
    endif()
  endforeach()
  if(_go_result EQUAL 0 AND _go_env MATCHES "^go([0-9]+(\\.[0-9]+)*)[^\n]*\n([a-z0-9]+)")
    set(Go_VERSION "${CMAKE_MATCH_1}")
    set(Go_HOST_ARCH "${CMAKE_MATCH_3}")
  else()
    string(STRIP "${_go_error}" _go_error)
    message(WARNING "Could not get the version of ${Go_EXECUTABLE}: ${_go_error}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Go REQUIRED_VARS Go_EXECUTABLE Go_VERSION Go_HOST_ARCH VERSION_VAR Go_VERSION)
mark_as_advanced(Go_EXECUTABLE)
