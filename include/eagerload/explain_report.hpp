#pragma once
// What EXPLAIN per level (eagerload/explain.hpp) reports, without the query machinery.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace eagerload {

// One table access in a statement's plan.
struct table_scan {
    std::string table;  // as the plan names it (an alias for joined tables on SQLite and MariaDB)
    bool full = false;  // reads the whole table (or the whole of an index)
    std::string index;  // the index used, "" when none
};

struct level_explain {
    std::size_t level = 0;  // 1: the root statement, then the plan's order
    std::string sql;
    std::string keys;  // how the level's key list was bound: "" (root) or "10 sample keys 1..10"
    std::vector<table_scan> scans;
    std::optional<double> estimated_rows;  // the top node's estimate (PostgreSQL, MariaDB); SQLite gives none
    std::string raw;                       // the database's own output

    bool full_scan() const {
        for (const auto& s : scans)
            if (s.full) return true;
        return false;
    }
};

// The per-level report, as the dashboard's --explain prints it.
std::string to_string(const std::vector<level_explain>& levels);

}  // namespace eagerload
