# Rule: the application layer, one per image and platform (private).
#
# A deterministic tar.gz with the binary at /ko-app/<binary> and KODATA at /var/run/ko.
# With KODATA the helper writes a depfile of the files and directories it read, so adding,
# editing or removing a KODATA file rebuilds the layer.
include_guard(GLOBAL)

function(_ko_rule_layer)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;PLATFORM;BINARY;BINARY_NAME;KODATA;EPOCH;OUTPUT" "")
  _ko_helper(helper helper_depends)
  _ko_blob_cache(blobs)
  set(kodata_args "")
  set(depfile_args "")
  if(R_KODATA)
    set(kodata_args --kodata "${R_KODATA}" --depfile "${R_OUTPUT}.d")
    set(depfile_args DEPFILE "${R_OUTPUT}.d")
  endif()
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} layer
      --binary "${R_BINARY}" --name "${R_BINARY_NAME}" ${kodata_args}
      --source-date-epoch "${R_EPOCH}" --blobs "${blobs}" --output "${R_OUTPUT}"
    ${depfile_args}
    DEPENDS "${R_BINARY}" ${helper_depends}
    COMMENT "ko: layer /ko-app/${R_BINARY_NAME} (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()
