# Rule: go build, one per image and platform (private).
#
# The helper writes a depfile listing every Go source, embedded file, package directory
# and go.mod/go.sum outside the module cache, so Ninja reruns this step exactly when one
# of them changes. When the new binary has the same bytes the helper leaves the output
# untouched, and Ninja's restat (CMake sets it on custom commands) skips the layer and
# image steps.
include_guard(GLOBAL)

function(_ko_rule_go_binary)
  cmake_parse_arguments(PARSE_ARGV 0 R "" "NAME;PLATFORM;MODULE_DIR;PACKAGE;OUTPUT" "LDFLAGS;GOFLAGS;CGO_ARGS;DEPENDS")
  _ko_helper(helper helper_depends)
  list(TRANSFORM R_LDFLAGS PREPEND "--ldflag=")
  list(TRANSFORM R_GOFLAGS PREPEND "--goflag=")
  _ko_ninja_depfile_args(ninja_dir_args)
  add_custom_command(
    OUTPUT "${R_OUTPUT}"
    COMMAND ${helper} go-build
      --go "${Go_EXECUTABLE}" --module-dir "${R_MODULE_DIR}" --package "${R_PACKAGE}"
      --platform "${R_PLATFORM}" --output "${R_OUTPUT}" --depfile "${R_OUTPUT}.d" ${ninja_dir_args}
      ${R_LDFLAGS} ${R_GOFLAGS} ${R_CGO_ARGS}
    DEPFILE "${R_OUTPUT}.d"
    DEPENDS ${helper_depends} ${R_DEPENDS}
    COMMENT "ko: go build ${R_PACKAGE} (${R_PLATFORM}) for ${R_NAME}"
    VERBATIM)
endfunction()

