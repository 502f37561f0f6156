# Rule: fetch a registry base image for one platform into the shared cache (private).
#
# One edge per base, platform and directory, with no inputs but the helper: it runs once, in
# parallel with go build, so a cold build overlaps the base's download with compiling. The
# image step depends on its output (the base manifest's digest) and then reads the base
# from the cache without network; if the cache was emptied since, the image step fetches
# what is missing itself, so this edge never decides correctness. A tag is pinned in the
# lock file here, as the image step would.
include_guard(GLOBAL)

function(_ko_rule_fetch_base out_var)
  cmake_parse_arguments(PARSE_ARGV 1 R "" "BASE;PLATFORM;LOCK_FILE" "")
  _ko_helper(helper helper_depends)
  string(MD5 key "${R_BASE}")
  string(REPLACE "/" "-" slug "${R_PLATFORM}")
  set(output "${CMAKE_CURRENT_BINARY_DIR}/ko/bases/${key}-${slug}.digest")
  set(${out_var} "${output}" PARENT_SCOPE)
  get_property(defined DIRECTORY PROPERTY _KO_FETCH_BASE_OUTPUTS)
  if("${output}" IN_LIST defined)
    return()
  endif()
  set_property(DIRECTORY APPEND PROPERTY _KO_FETCH_BASE_OUTPUTS "${output}")
  set(lock "")
  if(NOT R_LOCK_FILE STREQUAL "")
    set(lock "--lock-file=${R_LOCK_FILE}")
  endif()
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${helper} fetch-base --base "${R_BASE}" --platform ${R_PLATFORM} ${lock}
      --output "${output}"
    DEPENDS ${helper_depends}
    COMMENT "ko: fetch base ${R_BASE} (${R_PLATFORM})"
    VERBATIM)
endfunction()
