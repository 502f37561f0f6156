# Rule: the image's OCI layout directory and digest file (private).
#
# The digest file is the output Ninja tracks; the helper rewrites it only when the digest
# changes. The layout's blobs are hard links into the build's blob store.
include_guard(GLOBAL)

function(_ko_rule_layout)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;DESCRIPTOR;LAYOUT;DIGEST_FILE" "TAGS;EXPECT")
  _ko_helper(helper helper_depends)
  _ko_blob_cache(blobs)
  list(TRANSFORM R_TAGS PREPEND "--tag=")
  add_custom_command(
    OUTPUT "${R_DIGEST_FILE}"
    BYPRODUCTS "${R_LAYOUT}/index.json"
    COMMAND ${helper} layout
      --blobs "${blobs}" --descriptor "${R_DESCRIPTOR}" --layout "${R_LAYOUT}"
      --digest-file "${R_DIGEST_FILE}" --name ${R_NAME} ${R_TAGS} ${R_EXPECT}
    DEPENDS "${R_DESCRIPTOR}" ${helper_depends}
    COMMENT "ko: OCI layout ${R_NAME}.oci"
    VERBATIM)
endfunction()
