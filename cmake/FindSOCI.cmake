# FindSOCI.cmake -- SOCI (https://soci.sourceforge.net) for distributions that ship
# no CMake package config and no pkg-config file (e.g. Debian's libsoci-dev 4.0.3).
#
#   find_package(SOCI [version] [REQUIRED] [COMPONENTS sqlite3 postgresql mysql])
#
# Without COMPONENTS every backend is looked for. Result variables:
#   SOCI_FOUND, SOCI_VERSION, SOCI_INCLUDE_DIR, SOCI_CORE_LIBRARY,
#   SOCI_<backend>_FOUND, SOCI_<backend>_LIBRARY
# Imported targets:
#   SOCI::core        libsoci_core
#   SOCI::sqlite3     libsoci_sqlite3     + SOCI::core + SQLite::SQLite3
#   SOCI::postgresql  libsoci_postgresql  + SOCI::core + PostgreSQL::PostgreSQL
#   SOCI::mysql       libsoci_mysql       + SOCI::core + SOCI::mariadb_client
#   SOCI::mariadb_client  the MySQL/MariaDB client library (libmariadb) with the
#                     directory of <mysql.h>, which soci-mysql.h includes

include(FindPackageHandleStandardArgs)

set(_soci_known_backends sqlite3 postgresql mysql)
if(SOCI_FIND_COMPONENTS)
  set(_soci_backends ${SOCI_FIND_COMPONENTS})
else()
  set(_soci_backends ${_soci_known_backends})
endif()

find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h PATH_SUFFIXES include)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY)

if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_version_line
       REGEX "^#define[ \t]+SOCI_VERSION[ \t]+[0-9]+")
  if(_soci_version_line MATCHES "SOCI_VERSION[ \t]+([0-9]+)")
    # SOCI_VERSION is MAJOR * 100000 + MINOR * 100 + PATCH, e.g. 400003.
    math(EXPR _soci_major "${CMAKE_MATCH_1} / 100000")
    math(EXPR _soci_minor "${CMAKE_MATCH_1} / 100 % 1000")
    math(EXPR _soci_patch "${CMAKE_MATCH_1} % 100")
    set(SOCI_VERSION "${_soci_major}.${_soci_minor}.${_soci_patch}")
  endif()
endif()

# The client library of the mysql backend: MariaDB Connector/C (Debian: libmariadb-dev),
# found through pkg-config (libmariadb, then mysqlclient) or, without pkg-config, by
# its header and library names. Sets SOCI_MARIADB_CLIENT_FOUND,
# SOCI_MARIADB_CLIENT_INCLUDE_DIR and SOCI_MARIADB_CLIENT_LIBRARY.
macro(_soci_find_mariadb_client)
  if(NOT SOCI_MARIADB_CLIENT_LIBRARY OR NOT SOCI_MARIADB_CLIENT_INCLUDE_DIR)
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
      pkg_search_module(_soci_mariadb_pc QUIET libmariadb mariadb mysqlclient)
    endif()
    find_path(SOCI_MARIADB_CLIENT_INCLUDE_DIR NAMES mysql.h
      HINTS ${_soci_mariadb_pc_INCLUDE_DIRS}
      PATH_SUFFIXES mariadb mysql)
    find_library(SOCI_MARIADB_CLIENT_LIBRARY NAMES mariadb mariadbclient mysqlclient
      HINTS ${_soci_mariadb_pc_LIBRARY_DIRS})
    mark_as_advanced(SOCI_MARIADB_CLIENT_INCLUDE_DIR SOCI_MARIADB_CLIENT_LIBRARY)
  endif()
  if(SOCI_MARIADB_CLIENT_LIBRARY AND SOCI_MARIADB_CLIENT_INCLUDE_DIR)
    set(SOCI_MARIADB_CLIENT_FOUND TRUE)
  else()
    set(SOCI_MARIADB_CLIENT_FOUND FALSE)
  endif()
endmacro()

# Each backend needs its own library plus the client library of its database.
foreach(_soci_backend IN LISTS _soci_backends)
  if(NOT _soci_backend IN_LIST _soci_known_backends)
    message(FATAL_ERROR "FindSOCI: unknown component '${_soci_backend}' "
                        "(known: ${_soci_known_backends})")
  endif()
  find_library(SOCI_${_soci_backend}_LIBRARY NAMES soci_${_soci_backend})
  mark_as_advanced(SOCI_${_soci_backend}_LIBRARY)
  if(_soci_backend STREQUAL "sqlite3")
    find_package(SQLite3 QUIET)
    set(_soci_client_found ${SQLite3_FOUND})
  elseif(_soci_backend STREQUAL "postgresql")
    find_package(PostgreSQL QUIET)
    set(_soci_client_found ${PostgreSQL_FOUND})
  else()
    _soci_find_mariadb_client()
    set(_soci_client_found ${SOCI_MARIADB_CLIENT_FOUND})
  endif()
  if(SOCI_${_soci_backend}_LIBRARY AND _soci_client_found)
    set(SOCI_${_soci_backend}_FOUND TRUE)
  else()
    set(SOCI_${_soci_backend}_FOUND FALSE)
  endif()
endforeach()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_CORE_LIBRARY SOCI_INCLUDE_DIR
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)

if(SOCI_FOUND)
  if(NOT TARGET SOCI::core)
    add_library(SOCI::core UNKNOWN IMPORTED)
    set_target_properties(SOCI::core PROPERTIES
      IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
  endif()
  if(SOCI_sqlite3_FOUND AND NOT TARGET SOCI::sqlite3)
    add_library(SOCI::sqlite3 UNKNOWN IMPORTED)
    set_target_properties(SOCI::sqlite3 PROPERTIES
      IMPORTED_LOCATION "${SOCI_sqlite3_LIBRARY}"
      INTERFACE_LINK_LIBRARIES "SOCI::core;SQLite::SQLite3")
  endif()
  if(SOCI_postgresql_FOUND AND NOT TARGET SOCI::postgresql)
    add_library(SOCI::postgresql UNKNOWN IMPORTED)
    set_target_properties(SOCI::postgresql PROPERTIES
      IMPORTED_LOCATION "${SOCI_postgresql_LIBRARY}"
      INTERFACE_LINK_LIBRARIES "SOCI::core;PostgreSQL::PostgreSQL")
  endif()
  if(SOCI_mysql_FOUND AND NOT TARGET SOCI::mysql)
    if(NOT TARGET SOCI::mariadb_client)
      add_library(SOCI::mariadb_client UNKNOWN IMPORTED)
      set_target_properties(SOCI::mariadb_client PROPERTIES
        IMPORTED_LOCATION "${SOCI_MARIADB_CLIENT_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_MARIADB_CLIENT_INCLUDE_DIR}")
    endif()
    add_library(SOCI::mysql UNKNOWN IMPORTED)
    set_target_properties(SOCI::mysql PROPERTIES
      IMPORTED_LOCATION "${SOCI_mysql_LIBRARY}"
      INTERFACE_LINK_LIBRARIES "SOCI::core;SOCI::mariadb_client")
  endif()
endif()

unset(_soci_known_backends)
unset(_soci_backends)
unset(_soci_backend)
unset(_soci_client_found)
unset(_soci_version_line)
