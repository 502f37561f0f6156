# Package configuration for find_package(KoImage).
#
# Works from a cmake-ko build tree (-DKoImage_DIR=<build>, whose generated
# KoImageConfig.cmake sets KO_IMAGE_EXECUTABLE and includes this file) and from an
# installed tree (<prefix>/lib/cmake/KoImage, with the helper in <prefix>/bin).
include_guard(GLOBAL)

if(NOT KO_IMAGE_EXECUTABLE AND NOT TARGET ko-image)
  find_program(KO_IMAGE_EXECUTABLE ko-image
    HINTS "${CMAKE_CURRENT_LIST_DIR}/../../../bin"
    DOC "The ko-image helper")
  if(NOT KO_IMAGE_EXECUTABLE)
    set(KoImage_FOUND FALSE)
    set(KoImage_NOT_FOUND_MESSAGE "the ko-image helper was not found next to ${CMAKE_CURRENT_LIST_FILE}; set KO_IMAGE_EXECUTABLE")
    return()
  endif()
endif()

include("${CMAKE_CURRENT_LIST_DIR}/KoImage.cmake")
