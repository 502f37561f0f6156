# Rule: the image index over all platforms of a multi-platform image (private).
include_guard(GLOBAL)

function(_ko_rule_index)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;OUTPUT" "IMAGES;ANNOTATIONS")
  _ko_helper(helper helper_depends)
  _ko_blob_cache(blobs)
  list(TRANSFORM R_ANNOTATIONS PREPEND "--annotation=")
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} index --blobs "${blobs}" --output "${R_OUTPUT}" ${R_ANNOTATIONS} ${R_IMAGES}
    DEPENDS ${R_IMAGES} ${helper_depends}
    COMMENT "ko: image index for ${R_NAME}"
    VERBATIM)
endfunction()
