# Rule: the application layer, one per image and platform (private).
#
# A deterministic tar.gz (tar.zst with COMPRESSION zstd) with the binary at /ko-app/<binary>
# and KODATA at /var/run/ko, compressed on as many threads as there are CPUs (the bytes do not
# depend on it). The binary is a Go build's output or a CMake executable TARGET (then it
# depends on the target, so editing a .cpp rebuilds exactly the executable, this layer and
# the image).
# With KODATA the helper writes a depfile of the files and directories it read, so adding,
# editing or removing a KODATA file rebuilds the layer.
include_guard(GLOBAL)

function(_ko_rule_layer)
  cmake_parse_arguments(PARSE_ARGV 0 R "CHECK_PLATFORM" "NAME;PLATFORM;BINARY;BINARY_NAME;KODATA;EPOCH;COMPRESSION;OUTPUT;TARGET" "")
  _ko_helper(helper helper_depends)
  _ko_blob_cache(blobs)
  set(kodata_args "")
  set(depfile_args "")
  _ko_ninja_depfile_args(ninja_dir_args)
  if(R_KODATA)
    set(kodata_args --kodata "${R_KODATA}" --depfile "${R_OUTPUT}.d" ${ninja_dir_args})
    set(depfile_args DEPFILE "${R_OUTPUT}.d")
  endif()
  set(check "")
  if(R_TARGET OR R_CHECK_PLATFORM)
    # A CMake executable (TARGET, or CHECK_PLATFORM for one from another platform's tree):
    # its ELF machine is checked here (go-build checks Go binaries).
    set(check --platform ${R_PLATFORM})
  endif()
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} layer ${check}
      --binary "${R_BINARY}" --name "${R_BINARY_NAME}" ${kodata_args} --compression ${R_COMPRESSION}
      --source-date-epoch "${R_EPOCH}" --blobs "${blobs}" --output "${R_OUTPUT}"
    ${depfile_args}
    DEPENDS "${R_BINARY}" ${R_TARGET} ${helper_depends}
    COMMENT "ko: layer /ko-app/${R_BINARY_NAME} (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()
