# cmake -DCOMPILER=<c++> -DFLAGS_FILE=<flags-CONFIG.cmake> -DSOURCE=<file.cpp>
#       [-DREGEX_FILE=<file>] -P compile_fail_check.cmake
# Without REGEX_FILE the compile must succeed; with it, it must fail and the
# compiler output must match the regex stored in REGEX_FILE.
cmake_minimum_required(VERSION 3.20)
include("${FLAGS_FILE}")

# LC_ALL=C: plain ASCII quotes in diagnostics, so regexes need not match ‘’.
set(cmd "${CMAKE_COMMAND}" -E env LC_ALL=C "${COMPILER}" ${CXX_FLAGS} -fsyntax-only -fdiagnostics-color=never)
foreach(dir IN LISTS INCLUDE_DIRS)
  if(NOT dir IN_LIST IMPLICIT_DIRS)
    list(APPEND cmd "-I${dir}")
  endif()
endforeach()
foreach(def IN LISTS DEFINITIONS)
  list(APPEND cmd "-D${def}")
endforeach()
list(APPEND cmd ${OPTIONS} "${SOURCE}")

execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
list(JOIN cmd " " cmd_line)

if(NOT DEFINED REGEX_FILE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${cmd_line}\nshould compile but failed:\n${out}")
  endif()
  return()
endif()

file(READ "${REGEX_FILE}" regex)
if(rc EQUAL 0)
  message(FATAL_ERROR "${cmd_line}\ncompiled successfully, but must fail with /${regex}/")
elseif(NOT out MATCHES "${regex}")
  message(FATAL_ERROR "${cmd_line}\nfailed as required, but the output does not match /${regex}/:\n${out}")
endif()
message(STATUS "failed to compile, as expected (output matches /${regex}/)")
