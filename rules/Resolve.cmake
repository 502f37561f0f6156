# Rule: ko_resolve() targets, which publish images and write YAML with ko:// resolved (private).
include_guard(GLOBAL)

# Runs at the end of the top-level directory, when every ko_image() is known.
function(_ko_rule_resolve name)
  get_property(output GLOBAL PROPERTY _KO_RESOLVE_${name}_OUTPUT)
  get_property(R_FILES GLOBAL PROPERTY _KO_RESOLVE_${name}_FILES)
  get_property(R_IMAGES GLOBAL PROPERTY _KO_RESOLVE_${name}_IMAGES)
  _ko_helper(helper helper_depends)
  if(NOT R_IMAGES)
    get_property(R_IMAGES GLOBAL PROPERTY _KO_IMAGES)
  endif()
  set(files "")
  foreach(file IN LISTS R_FILES)
    list(APPEND files -f "${file}")
  endforeach()
  set(images "")
  set(publish "")
  foreach(image IN LISTS R_IMAGES)
    _ko_image_property(ref_file ${image} _KO_IMAGE_REF_FILE "ko_resolve(${name}) IMAGES")
    get_target_property(publish_args ${image} _KO_IMAGE_PUBLISH_ARGS)
    list(APPEND publish "--image-args=${publish_args}")
    get_target_property(importpaths ${image} KO_IMAGE_IMPORTPATH)
    get_target_property(as_written ${image} _KO_IMAGE_IMPORTPATH_AS_WRITTEN)
    if(NOT as_written)
      continue()  # a CMake TARGET image: ko:// names Go packages only
    endif()
    # Every binary of the image resolves to it, by full path or as written in IMPORTPATH.
    foreach(importpath written IN ZIP_LISTS importpaths as_written)
      list(APPEND images "--image-ref-file=ko://${importpath}=${ref_file}")
      if(NOT written STREQUAL importpath)
        list(APPEND images "--image-ref-file=ko://${written}=${ref_file}")
      endif()
    endforeach()
  endforeach()
  # The YAML is checked first, so a bad file or an unknown ko:// path fails before any image
  # is pushed; then the images are published by one helper run, as ko_publish does it, and
  # resolved.
  add_custom_target(${name}
    COMMAND ${helper} resolve --check ${files} ${images}
    COMMAND ${helper} publish ${publish}
    COMMAND ${helper} resolve ${files} ${images} --output "${output}"
    DEPENDS ${R_FILES}
    BYPRODUCTS "${output}"
    COMMENT "ko: publish and resolve ko:// references into ${output}"
    USES_TERMINAL
    VERBATIM)
  foreach(image IN LISTS R_IMAGES)
    add_dependencies(${name} ${image})
  endforeach()
endfunction()
