# Rule: <name>_publish, and the aggregate ko_publish (private).
#
# Not part of `all`: publishing happens only when asked for. The target depends on the
# image, so it never builds more than a normal build would, and runs in Ninja's console
# pool so progress shows. Exactly one line goes to stdout: the pushed reference, also
# written to <name>.ref. Without REPOSITORY the helper reads KO_DOCKER_REPO from the
# environment when it runs (a -DKO_DOCKER_REPO=… given to CMake takes precedence).
include_guard(GLOBAL)

function(_ko_rule_publish)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;LAYOUT;DIGEST_FILE;REF_FILE;IMPORTPATH;REPOSITORY;NAMING" "TAGS;SBOMS")
  _ko_helper(helper helper_depends)
  set(where "")
  if(R_REPOSITORY)
    set(where --repository "${R_REPOSITORY}")
  elseif(DEFINED KO_DOCKER_REPO AND NOT KO_DOCKER_REPO STREQUAL "")
    set(where --docker-repo "${KO_DOCKER_REPO}")
  endif()
  set(tags "")
  foreach(tag IN LISTS R_TAGS)
    list(APPEND tags "--tag=${tag}")
  endforeach()
  add_custom_target(${R_NAME}_publish
    COMMAND ${helper} publish --layout "${R_LAYOUT}" --name ${R_NAME} --importpath "${R_IMPORTPATH}"
      --naming ${R_NAMING} ${where} ${tags} ${R_SBOMS} --ref-file "${R_REF_FILE}"
    DEPENDS "${R_DIGEST_FILE}"
    BYPRODUCTS "${R_REF_FILE}"
    COMMENT "ko: publish ${R_NAME}"
    USES_TERMINAL
    VERBATIM)
  add_dependencies(${R_NAME}_publish ${R_NAME})

  if(NOT TARGET ko_publish)
    add_custom_target(ko_publish COMMENT "ko: published every image")
  endif()
  add_dependencies(ko_publish ${R_NAME}_publish)
endfunction()
