# Helpers in the spirit of abseil's absl_cc_library: one library per module,
# dependencies listed explicitly, tests beside the code.

# zx_library(NAME name SRCS a.cc b.cc DEPS zx_common ...)
function(zx_library)
  cmake_parse_arguments(ZX "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(${ZX_NAME} STATIC ${ZX_SRCS})
  target_include_directories(${ZX_NAME} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${ZX_NAME} PUBLIC ${ZX_DEPS})
  target_compile_definitions(${ZX_NAME} PUBLIC ZX_DATA_DIR="${ZX_DATA_DIR}" ZX_TEST_DIR="${ZX_TEST_DIR}")
endfunction()

# zx_test(NAME name SRCS a_test.cc DEPS zx_common ...)
# Registers a GoogleTest binary with CTest (one CTest entry per binary keeps
# ctest fast on two cores) and labels it "unit".
function(zx_test)
  cmake_parse_arguments(ZX "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ZX_NAME} ${ZX_SRCS})
  target_link_libraries(${ZX_NAME} PRIVATE ${ZX_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  add_test(NAME ${ZX_NAME} COMMAND ${ZX_NAME})
  set_tests_properties(${ZX_NAME} PROPERTIES LABELS unit)
endfunction()

# zx_module(NAME name [DIRS d1 d2] DEPS ... [PRIVATE_DEPS ...])
# Every *.cc in the module folder (and DIRS) that is not *_test.cc or
# *_fuzz.cc goes into the library; every *_test.cc into one test binary
# named <name>_test.
function(zx_module)
  cmake_parse_arguments(ZX "" "NAME" "DIRS;DEPS;PRIVATE_DEPS;TEST_DEPS" ${ARGN})
  set(globs ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(test_globs ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  foreach(dir ${ZX_DIRS})
    list(APPEND globs ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cc)
    list(APPEND test_globs ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*_test.cc)
  endforeach()
  file(GLOB all_srcs CONFIGURE_DEPENDS ${globs})
  file(GLOB test_srcs CONFIGURE_DEPENDS ${test_globs})
  set(lib_srcs ${all_srcs})
  list(FILTER lib_srcs EXCLUDE REGEX "(_test|_fuzz)\\.cc$")
  if(NOT lib_srcs)
    # A module whose sources are still to come: header-only for now.
    add_library(${ZX_NAME} INTERFACE)
    target_include_directories(${ZX_NAME} INTERFACE ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${ZX_NAME} INTERFACE ${ZX_DEPS})
    return()
  endif()
  zx_library(NAME ${ZX_NAME} SRCS ${lib_srcs} DEPS ${ZX_DEPS})
  if(ZX_PRIVATE_DEPS)
    target_link_libraries(${ZX_NAME} PRIVATE ${ZX_PRIVATE_DEPS})
  endif()
  if(test_srcs)
    zx_test(NAME ${ZX_NAME}_test SRCS ${test_srcs} DEPS ${ZX_NAME} ${ZX_TEST_DEPS})
  endif()
endfunction()
