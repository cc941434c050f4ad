# Proves that eagerload installs and is usable with find_package():
#   1. cmake --install BUILD_DIR into WORK_DIR/prefix
#   2. configure CONSUMER_SOURCE_DIR with CMAKE_PREFIX_PATH=WORK_DIR/prefix
#   3. build it and run the resulting "consumer" executable
# Invoked by CTest as:
#   cmake -DBUILD_DIR=... -DCONSUMER_SOURCE_DIR=... -DWORK_DIR=... -DCONFIG=...
#         -DGENERATOR=... -DCXX_COMPILER=... -P run.cmake
cmake_minimum_required(VERSION 3.20)
foreach(var BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()
set(config_args "")
if(CONFIG)  # empty for a single-config build without CMAKE_BUILD_TYPE
  set(config_args --config "${CONFIG}")
endif()
set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/build")

function(run step)
  list(JOIN ARGN " " command_line)
  message(STATUS "[${step}] ${command_line}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer test: ${step} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
run(install "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args})
run(configure "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${build}"
    -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_BUILD_TYPE=${CONFIG}" "-DCMAKE_PREFIX_PATH=${prefix}")

# find_package must have picked the copy we just installed.
file(STRINGS "${build}/CMakeCache.txt" found_dir REGEX "^eagerload_DIR:")
string(REGEX REPLACE "^[^=]*=" "" found_dir "${found_dir}")
file(REAL_PATH "${prefix}" real_prefix)
file(REAL_PATH "${found_dir}" found_dir)
string(FIND "${found_dir}" "${real_prefix}/" pos)
if(NOT pos EQUAL 0)
  message(FATAL_ERROR "consumer test: eagerload found in ${found_dir}, not under ${prefix}")
endif()

run(build "${CMAKE_COMMAND}" --build "${build}" ${config_args})
if(CONFIG AND EXISTS "${build}/${CONFIG}/consumer")  # multi-config generators
  set(exe "${build}/${CONFIG}/consumer")
else()
  set(exe "${build}/consumer")
endif()
run(run "${exe}")
message(STATUS "consumer test passed: ${exe}")
