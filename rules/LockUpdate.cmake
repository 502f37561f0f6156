# Rule: ko_lock_update, which re-resolves every registry base's tag and rewrites the lock
# file (private). Not part of `all`; the changed lock file re-runs configure, which then
# passes the new digests to the image steps.
include_guard(GLOBAL)

# Records the registry base `base` (as written, before pinning) and the lock file for
# ko_lock_update, and schedules that target the first time.
function(_ko_lock_update_target base lock_file)
  set_property(GLOBAL APPEND PROPERTY _KO_REGISTRY_BASES "${base}")
  set_property(GLOBAL PROPERTY _KO_LOCK_FILE "${lock_file}")
  get_property(scheduled GLOBAL PROPERTY _KO_LOCK_UPDATE_SCHEDULED)
  if(NOT scheduled)
    set_property(GLOBAL PROPERTY _KO_LOCK_UPDATE_SCHEDULED TRUE)
    # Deferred to the end of the top-level directory, when every ko_image() has run.
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _ko_add_lock_update_target)
  endif()
endfunction()

function(_ko_add_lock_update_target)
  _ko_helper(helper helper_depends)
  get_property(bases GLOBAL PROPERTY _KO_REGISTRY_BASES)
  get_property(lock_file GLOBAL PROPERTY _KO_LOCK_FILE)
  list(REMOVE_DUPLICATES bases)
  list(FILTER bases EXCLUDE REGEX "@sha256:")  # already pinned in CMakeLists.txt
  if(bases)
    set(command ${helper} lock --lock-file "${lock_file}" ${bases})
  else()
    set(command "${CMAKE_COMMAND}" -E echo "ko: every registry base is pinned by digest in CMakeLists.txt")
  endif()
  add_custom_target(ko_lock_update
    COMMAND ${command}
    COMMENT "ko: pin base images in ${lock_file}"
    USES_TERMINAL
    VERBATIM)
endfunction()
