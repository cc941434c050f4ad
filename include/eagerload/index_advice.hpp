#pragma once
// The index advisor: from a query's plan, the CREATE INDEX statements that serve each
// level, skipping those an existing index (or the table's primary key) already covers.
//
//   for (const auto& a : eagerload::advise_indexes(dashboard, db)) std::puts((a.sql + ";").c_str());
//
// Per level: the matched key column first (a prefetched level's foreign key, or the
// join table's owner column then its target column for many_to_many), then the
// level's order columns with their directions; a trailing primary key column of the
// order is left out (it only breaks ties among the few rows the prefix selects, and
// SQLite and InnoDB carry the key in every index). The root gets its order columns
// when it has a limit (a top-N read follows the index). Every EXISTS filter of a level
// gets the correlated column first, then the columns its filter tests. An advice is
// dropped when an existing index starts with its columns in order, or when another
// advice on the same table does. Names: el_<table>_<columns>, within 63 characters
// (longer ones end in a hash of the whole). Nothing is created: the caller runs them.
#include <cstddef>
#include <string>
#include <vector>

#include "eagerload/select.hpp"

namespace eagerload {

struct index_advice {
    std::size_t level = 0;  // 1: the root statement, then the plan's order (as explain())
    std::string table;      // the table, as declared
    std::vector<std::string> columns;  // in index order, "priority DESC" for a descending one
    std::string name;
    std::string sql;  // CREATE INDEX ..., without a terminating semicolon
};

namespace detail {
std::vector<index_advice> advise_levels(const database& db, const std::vector<level_spec>& levels);

inline void advice_levels(const query_tree& q, std::vector<level_spec>& out) {
    for (const load_tree& load : q.loads) {
        if (load.how == load_tree::kind::prefetched) out.push_back(prefetch_level_spec(load));
        advice_levels(load.nested, out);
    }
}
}  // namespace detail

template <class Q>
std::vector<index_advice> advise_indexes(const Q& q, const database& db) {
    std::vector<detail::level_spec> levels{detail::root_level(q.tree())};
    detail::advice_levels(q.tree(), levels);
    return detail::advise_levels(db, levels);
}

}  // namespace eagerload
