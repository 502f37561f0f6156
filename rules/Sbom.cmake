# Rule: the SPDX SBOM of an image's binary, one per platform (private). Part of `all`, beside
# the layout; <name>_publish attaches it to the pushed image.
include_guard(GLOBAL)

function(_ko_rule_sbom)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;PLATFORM;BINARY;EPOCH;OUTPUT" "")
  _ko_helper(helper helper_depends)
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} sbom --go "${Go_EXECUTABLE}" --binary "${R_BINARY}" --platform ${R_PLATFORM}
      --source-date-epoch ${R_EPOCH} --output "${R_OUTPUT}"
    DEPENDS "${R_BINARY}" ${helper_depends}
    COMMENT "ko: SBOM (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()
