# Rule: the image manifest and config, one per image and platform (private).
#
# Appends the layer to the base image for the platform and applies the image settings.
# Every setting is on the command line, so changing one in CMakeLists.txt reruns just this.
include_guard(GLOBAL)

function(_ko_rule_image)
  cmake_parse_arguments(PARSE_ARGV 0 R ""
    "NAME;PLATFORM;BASE;LOCK_FILE;EPOCH;OUTPUT;WORKDIR;USER"
    "LAYERS;BINARY_NAMES;BASE_DEPENDS;ENV;ARGS;LABELS;ANNOTATIONS")
  _ko_helper(helper helper_depends)
  _ko_blob_cache(blobs)
  set(settings "")
  foreach(layer binary IN ZIP_LISTS R_LAYERS R_BINARY_NAMES)
    list(APPEND settings "--layer=${layer}" "--binary-name=${binary}")
  endforeach()
  foreach(item IN LISTS R_ENV)
    list(APPEND settings "--env=${item}")
  endforeach()
  foreach(item IN LISTS R_ARGS)
    list(APPEND settings "--arg=${item}")
  endforeach()
  foreach(item IN LISTS R_LABELS)
    list(APPEND settings "--label=${item}")
  endforeach()
  foreach(item IN LISTS R_ANNOTATIONS)
    list(APPEND settings "--annotation=${item}")
  endforeach()
  if(NOT R_WORKDIR STREQUAL "")
    list(APPEND settings "--workdir=${R_WORKDIR}")
  endif()
  if(NOT R_LOCK_FILE STREQUAL "")
    list(APPEND settings "--lock-file=${R_LOCK_FILE}")
  endif()
  if(NOT R_USER STREQUAL "")
    list(APPEND settings "--user=${R_USER}")
  endif()
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} image
      --base "${R_BASE}" --platform "${R_PLATFORM}" --source-date-epoch "${R_EPOCH}"
      --blobs "${blobs}" --output "${R_OUTPUT}" ${settings}
    DEPENDS ${R_LAYERS} ${R_BASE_DEPENDS} ${helper_depends}
    COMMENT "ko: image (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()
