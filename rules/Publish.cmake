# Rule: <name>_publish, <name>_load, and the aggregate ko_publish (private).
#
# Not part of `all`: publishing happens only when asked for. The targets depend on the
# images, so they never build more than a normal build would, and run in Ninja's console
# pool so progress shows. Each image's publish flags are written at configure time to
# <binary dir>/<name>.publish-args (one flag per line, rewritten only when they change);
# <name>_publish runs the helper on that one file, ko_publish runs it once on the files of
# every image, so all images share connections and their blobs go up together. One line
# per image goes to stdout: the pushed reference, also written to <name>.ref. Without
# REPOSITORY the helper reads KO_DOCKER_REPO from the environment when it runs (a
# -DKO_DOCKER_REPO=… given to CMake takes precedence). With SIGNING_KEY (a path; the key
# itself is read only by the helper when it publishes, never copied here) or else
# KO_SIGNING_KEY in the environment of the run, the helper signs everything it pushes.
include_guard(GLOBAL)

function(_ko_rule_publish)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;LAYOUT;DIGEST_FILE;REF_FILE;IMPORTPATH;REPOSITORY;NAMING;SIGNING_KEY" "TAGS;SBOMS")
  _ko_helper(helper helper_depends)
  set(args "--layout=${R_LAYOUT}\n--name=${R_NAME}\n--importpath=${R_IMPORTPATH}\n--naming=${R_NAMING}\n")
  if(R_REPOSITORY)
    string(APPEND args "--repository=${R_REPOSITORY}\n")
  elseif(DEFINED KO_DOCKER_REPO AND NOT KO_DOCKER_REPO STREQUAL "")
    string(APPEND args "--docker-repo=${KO_DOCKER_REPO}\n")
  endif()
  foreach(tag IN LISTS R_TAGS)
    string(APPEND args "--tag=${tag}\n")
  endforeach()
  foreach(sbom IN LISTS R_SBOMS)  # already --sbom=<platform>=<file>
    string(APPEND args "${sbom}\n")
  endforeach()
  if(NOT "${R_SIGNING_KEY}" STREQUAL "")
    string(APPEND args "--signing-key=${R_SIGNING_KEY}\n")
  endif()
  string(APPEND args "--ref-file=${R_REF_FILE}\n")
  set(args_file "${CMAKE_CURRENT_BINARY_DIR}/${R_NAME}.publish-args")
  set(old "")
  if(EXISTS "${args_file}")
    file(READ "${args_file}" old)
  endif()
  if(NOT old STREQUAL args)
    file(WRITE "${args_file}" "${args}")
  endif()

  set_property(TARGET ${R_NAME} PROPERTY _KO_IMAGE_PUBLISH_ARGS "${args_file}")  # for ko_resolve

  add_custom_target(${R_NAME}_publish
    COMMAND ${helper} publish --image-args "${args_file}"
    DEPENDS "${R_DIGEST_FILE}"
    BYPRODUCTS "${R_REF_FILE}"
    COMMENT "ko: publish ${R_NAME}"
    USES_TERMINAL
    VERBATIM)
  add_dependencies(${R_NAME}_publish ${R_NAME})

  # <name>_load: the same image into the local Docker daemon (DOCKER_HOST), as
  # KO_DOCKER_REPO=ko.local would publish it, whatever repository is configured. It leaves
  # <name>.ref alone: that holds what <name>_publish published.
  add_custom_target(${R_NAME}_load
    COMMAND ${helper} publish --image-args "${args_file}" --to daemon
    DEPENDS "${R_DIGEST_FILE}"
    COMMENT "ko: load ${R_NAME} into the Docker daemon"
    USES_TERMINAL
    VERBATIM)
  add_dependencies(${R_NAME}_load ${R_NAME})

  # One helper run for every image. The list of args files is a property of the target,
  # read when the build system is generated, so images defined later (in any directory)
  # are part of it too.
  if(NOT TARGET ko_publish)
    add_custom_target(ko_publish
      COMMAND ${helper} publish "$<TARGET_PROPERTY:ko_publish,_KO_PUBLISH_IMAGE_ARGS>"
      COMMENT "ko: publish every image"
      USES_TERMINAL
      COMMAND_EXPAND_LISTS
      VERBATIM)
  endif()
  set_property(TARGET ko_publish APPEND PROPERTY _KO_PUBLISH_IMAGE_ARGS "--image-args=${args_file}")
  add_dependencies(ko_publish ${R_NAME})
endfunction()
