# Rule: the SPDX SBOM of an image's binary, one per platform (private). Part of `all`, beside
# the layout; <name>_publish attaches it to the pushed image.
include_guard(GLOBAL)

function(_ko_rule_sbom)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;PLATFORM;BINARY;EPOCH;OUTPUT;GO_SUM" "")
  _ko_helper(helper helper_depends)
  # go.sum fills in the module hashes a -mod=vendor binary lacks. Not an input: a version's
  # hash never changes, and a version change changes the binary, which is one.
  set(go_sum "")
  if(R_GO_SUM AND EXISTS "${R_GO_SUM}")
    set(go_sum --go-sum "${R_GO_SUM}")
  endif()
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} sbom --go "${Go_EXECUTABLE}" --binary "${R_BINARY}" --platform ${R_PLATFORM}
      --source-date-epoch ${R_EPOCH} --output "${R_OUTPUT}" ${go_sum}
    DEPENDS "${R_BINARY}" ${helper_depends}
    COMMENT "ko: SBOM (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()
