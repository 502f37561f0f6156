# How the rules run the ko-image helper (private).
#
# Inside the cmake-ko project the helper is the `ko-image` target: steps depend on it, so
# a changed helper reruns them. Elsewhere it is KO_IMAGE_EXECUTABLE from find_package.
include_guard(GLOBAL)

function(_ko_helper out_command out_depends)
  if(TARGET ko-image AND NOT (_KO_PLATFORM_TREE AND KO_IMAGE_EXECUTABLE))  # a platform tree
    # of cmake-ko itself runs the main tree's helper (KO_IMAGE_EXECUTABLE), not its own build
    set(${out_command} "$<TARGET_FILE:ko-image>" PARENT_SCOPE)
    set(${out_depends} ko-image PARENT_SCOPE)
  elseif(KO_IMAGE_EXECUTABLE)
    set(${out_command} "${KO_IMAGE_EXECUTABLE}" PARENT_SCOPE)
    set(${out_depends} "${KO_IMAGE_EXECUTABLE}" PARENT_SCOPE)
  else()
    message(FATAL_ERROR "ko_image: the ko-image helper is unknown; use find_package(KoImage) or set KO_IMAGE_EXECUTABLE")
  endif()
endfunction()

# Where every image of this build keeps its blobs: one content-addressed store per build
# tree, from which each image's OCI layout is hard-linked.
function(_ko_blob_cache out_var)
  set(${out_var} "${CMAKE_BINARY_DIR}/ko/blobs" PARENT_SCOPE)
endfunction()

# The helper writes its depfiles as Ninja reads them (paths under the top build directory
# relative to it, --ninja-dir), so with CMP0116 OLD CMake need not append
# `cmake -E cmake_transform_depfile` (one more process, 10-20 ms) to every go build and
# layer edge. Not with CMAKE_NINJA_OUTPUT_PATH_PREFIX, which changes how build.ninja names
# outputs: CMake transforms those. A macro on purpose: the policy must be set in the
# calling rule function's policy scope (and only there), before its add_custom_command.
macro(_ko_ninja_depfile_args out_args)
  if(CMAKE_NINJA_OUTPUT_PATH_PREFIX)
    set(${out_args} "")
  else()
    set(${out_args} --ninja-dir "${CMAKE_BINARY_DIR}")
    cmake_policy(SET CMP0116 OLD)
  endif()
endmacro()

# Sets out_var to a property of the ko_image() `image`; `what` names the caller in the
# error when `image` is not a ko_image().
function(_ko_image_property out_var image property what)
  if(TARGET ${image})
    get_target_property(value ${image} ${property})
  endif()
  if(NOT TARGET ${image} OR NOT value)
    message(FATAL_ERROR "${what}: '${image}' is not a ko_image()")
  endif()
  set(${out_var} "${value}" PARENT_SCOPE)
endfunction()
