# Rule: <name>_tarball — a `docker load` tarball of one platform and an oci-archive of all
# platforms, beside the layout (private). Deterministic bytes, like the layout.
include_guard(GLOBAL)

function(_ko_rule_tarball)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;LAYOUT;DIGEST_FILE;EPOCH;TAG" "PLATFORMS")
  _ko_helper(helper helper_depends)
  # KO_TARBALL_PLATFORM, else the host's platform when the image has it, else the first.
  if(KO_TARBALL_PLATFORM)
    set(platform "${KO_TARBALL_PLATFORM}")
    if(NOT platform IN_LIST R_PLATFORMS)
      message(FATAL_ERROR "ko_image(${R_NAME}): KO_TARBALL_PLATFORM '${platform}' is not one of its PLATFORMS (${R_PLATFORMS})")
    endif()
  elseif("linux/${_KO_GO_HOST_ARCH}" IN_LIST R_PLATFORMS)
    set(platform "linux/${_KO_GO_HOST_ARCH}")
  else()
    list(GET R_PLATFORMS 0 platform)
  endif()
  string(TOLOWER "ko.local/${R_NAME}:${R_TAG}" repo_tag)
  set(docker "${CMAKE_CURRENT_BINARY_DIR}/${R_NAME}.tar")
  set(oci "${CMAKE_CURRENT_BINARY_DIR}/${R_NAME}.oci.tar")
  add_custom_command(
    OUTPUT "${docker}" "${oci}"
    COMMAND ${helper} tarball --layout "${R_LAYOUT}" --docker-archive "${docker}" --platform ${platform}
      --repo-tag ${repo_tag} --oci-archive "${oci}" --source-date-epoch ${R_EPOCH}
    DEPENDS "${R_DIGEST_FILE}" ${helper_depends}
    COMMENT "ko: tarballs of ${R_NAME} (docker load: ${platform})"
    VERBATIM)
  add_custom_target(${R_NAME}_tarball DEPENDS "${docker}" "${oci}")
endfunction()
