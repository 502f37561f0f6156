# Rule: the built-in static base image, generated once per build tree (private).
#
# Its CA bundle and zone info come from the pinned snapshot in tool/static-base
# (_KO_STATIC_BASE_DATA), checked by the helper against the recorded digests; the files are
# inputs, so a refreshed snapshot rebuilds the base and every image on it.
include_guard(GLOBAL)

# Sets out_var to the base's layout directory, adding its rule the first time.
function(_ko_static_base_layout out_var)
  set(layout "${CMAKE_BINARY_DIR}/ko/static-base.oci")
  get_property(added GLOBAL PROPERTY _KO_STATIC_BASE_ADDED)
  if(NOT added)
    set_property(GLOBAL PROPERTY _KO_STATIC_BASE_ADDED TRUE)
    _ko_helper(helper helper_depends)
    set(data "${_KO_STATIC_BASE_DATA}")
    add_custom_command(
      OUTPUT "${layout}/index.json"
      COMMAND ${helper} static-base --output "${layout}" --data "${data}"
      DEPENDS ${helper_depends} "${data}/manifest.json" "${data}/ca-certificates.crt" "${data}/zoneinfo.tar.gz"
      COMMENT "ko: built-in static base image"
      VERBATIM)
    add_custom_target(ko_static_base DEPENDS "${layout}/index.json")
  endif()
  set(${out_var} "${layout}" PARENT_SCOPE)
endfunction()
