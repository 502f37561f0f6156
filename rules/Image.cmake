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
  set(layers "")
  foreach(layer binary IN ZIP_LISTS R_LAYERS R_BINARY_NAMES)
    list(APPEND layers "--layer=${layer}" "--binary-name=${binary}")
  endforeach()
  list(TRANSFORM R_ENV PREPEND "--env=")
  list(TRANSFORM R_ARGS PREPEND "--arg=")
  list(TRANSFORM R_LABELS PREPEND "--label=")
  list(TRANSFORM R_ANNOTATIONS PREPEND "--annotation=")
  set(optional "")
  if(NOT R_WORKDIR STREQUAL "")
    list(APPEND optional "--workdir=${R_WORKDIR}")
  endif()
  if(NOT R_LOCK_FILE STREQUAL "")
    list(APPEND optional "--lock-file=${R_LOCK_FILE}")
  endif()
  if(NOT R_USER STREQUAL "")
    list(APPEND optional "--user=${R_USER}")
  endif()
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} image
      --base "${R_BASE}" --platform "${R_PLATFORM}" --source-date-epoch "${R_EPOCH}"
      --blobs "${blobs}" --output "${R_OUTPUT}"
      ${layers} ${R_ENV} ${R_ARGS} ${R_LABELS} ${R_ANNOTATIONS} ${optional}
    DEPENDS ${R_LAYERS} ${R_BASE_DEPENDS} ${helper_depends}
    COMMENT "ko: image (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()
