#pragma once
// Refreshing a table's planner statistics, for tests that read EXPLAIN at scale. Its
// spelling differs per database (MariaDB: ANALYZE TABLE); it is declared in backend.cpp
// beside the other backend differences, in a header of its own so that the few tests
// that use it are the only ones to include it.
#include <string_view>

#include "eagerload/database.hpp"

namespace eagerload_test {

// ANALYZE of `table` (a declared table name): the statistics the planner reads.
void analyze(const eagerload::database& db, std::string_view table);

}  // namespace eagerload_test
