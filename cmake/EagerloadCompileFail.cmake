# eagerload_compile_fail_test(NAME <test name> SOURCE <file.cpp> REGEX <regex>)
#
# Adds a CTest test that compiles SOURCE (syntax check only) with the compiler,
# C++ standard, include directories, definitions and options a consumer of
# eagerload::eagerload gets. The test passes only if the compile FAILS and the
# compiler output matches REGEX (CMake regex syntax). The first call also adds
# "compile_fail.sanity_check", which must compile <eagerload/eagerload.hpp>
# with the same flags, so a broken setup cannot pass as an expected failure.

set(_EAGERLOAD_COMPILE_FAIL_CHECK "${CMAKE_CURRENT_LIST_DIR}/compile_fail_check.cmake")

function(eagerload_compile_fail_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;SOURCE;REGEX" "")
  if(NOT ARG_NAME OR NOT ARG_SOURCE OR "${ARG_REGEX}" STREQUAL "")
    message(FATAL_ERROR "eagerload_compile_fail_test: NAME, SOURCE and REGEX are required")
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(WARNING "compile-fail test ${ARG_NAME} skipped: needs GCC or Clang")
    return()
  endif()

  set(dir "${PROJECT_BINARY_DIR}/compile_fail")
  set(flags_file "${dir}/flags-$<CONFIG>.cmake")
  get_property(done GLOBAL PROPERTY _EAGERLOAD_COMPILE_FAIL_SETUP)
  if(NOT done)
    set_property(GLOBAL PROPERTY _EAGERLOAD_COMPILE_FAIL_SETUP ON)
    separate_arguments(cxx_flags NATIVE_COMMAND "${CMAKE_CXX_FLAGS}")
    set(tp "$<TARGET_PROPERTY:eagerload,INTERFACE")
    file(GENERATE OUTPUT "${flags_file}" CONTENT
"set(CXX_FLAGS [==[${cxx_flags};${CMAKE_CXX20_STANDARD_COMPILE_OPTION}]==])
set(INCLUDE_DIRS [==[${tp}_INCLUDE_DIRECTORIES>;${PROJECT_SOURCE_DIR}/examples]==])
set(DEFINITIONS [==[${tp}_COMPILE_DEFINITIONS>]==])
set(OPTIONS [==[${tp}_COMPILE_OPTIONS>]==])
set(IMPLICIT_DIRS [==[${CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES}]==])
")
    file(WRITE "${dir}/sanity_check.cpp"
         "#include <eagerload/eagerload.hpp>\nint main() { return 0; }\n")
    add_test(NAME compile_fail.sanity_check
      COMMAND "${CMAKE_COMMAND}" "-DCOMPILER=${CMAKE_CXX_COMPILER}"
        "-DFLAGS_FILE=${flags_file}" "-DSOURCE=${dir}/sanity_check.cpp"
        -P "${_EAGERLOAD_COMPILE_FAIL_CHECK}")
  endif()

  file(WRITE "${dir}/${ARG_NAME}.regex" "${ARG_REGEX}")
  add_test(NAME ${ARG_NAME}
    COMMAND "${CMAKE_COMMAND}" "-DCOMPILER=${CMAKE_CXX_COMPILER}"
      "-DFLAGS_FILE=${flags_file}" "-DSOURCE=${ARG_SOURCE}"
      "-DREGEX_FILE=${dir}/${ARG_NAME}.regex"
      -P "${_EAGERLOAD_COMPILE_FAIL_CHECK}")
endfunction()
