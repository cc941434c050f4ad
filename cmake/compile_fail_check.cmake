# cmake -DCOMPILER=<c++> -DFLAGS_FILE=<flags-CONFIG.cmake> -DSOURCE=<file.cpp>
#       [-DREGEX_FILE=<file>] -P compile_fail_check.cmake
# Without REGEX_FILE the compile must succeed. With it, it must fail, the compiler
# output must match every regex in REGEX_FILE (one per line), and it must report
# exactly as many errors as there are regexes: one message per misuse, no follow-on
# errors.
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

file(STRINGS "${REGEX_FILE}" regexes)
if(rc EQUAL 0)
  message(FATAL_ERROR "${cmd_line}\ncompiled successfully, but must fail with: ${regexes}")
endif()
set(expected_count 0)
foreach(regex IN LISTS regexes)
  if(regex MATCHES "^@(.*)$")  # "// also:" lines: matched, not counted
    set(regex "${CMAKE_MATCH_1}")
  else()
    math(EXPR expected_count "${expected_count} + 1")
  endif()
  if(NOT out MATCHES "${regex}")
    message(FATAL_ERROR "${cmd_line}\nfailed as required, but the output does not match /${regex}/:\n${out}")
  endif()
endforeach()
string(REPLACE ";" "," out_no_semicolons "${out}")  # a ';' would split a list item
string(REGEX MATCHALL "[^\n]*: error: [^\n]*" errors "${out_no_semicolons}")
list(LENGTH errors error_count)
if(NOT error_count EQUAL expected_count)
  list(JOIN errors "\n" error_lines)
  message(FATAL_ERROR "${cmd_line}\nexpected ${expected_count} error(s), one per misuse, but the compiler "
                      "reported ${error_count}:\n${error_lines}\n\nfull output:\n${out}")
endif()
message(STATUS "failed to compile as expected: ${error_count} error(s), each message matched")
