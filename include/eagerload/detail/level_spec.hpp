#pragma once
// The runtime description of one statement of a load: a table, its joined tables,
// and for a prefetched level how its rows match the parents' keys. Rendered by
// src/sql.cpp.
#include <optional>
#include <string>
#include <vector>

#include "eagerload/detail/select_spec.hpp"

namespace eagerload::detail {

// LEFT JOIN table AS alias ON alias.table_column = parent.parent_column
struct join_spec {
    const table_info* table;
    std::string alias;  // quoted
    std::string table_column;
    std::string parent;  // quoted qualifier of the parent side
    std::string parent_column;
};

struct level_spec {
    select_spec base;
    std::vector<join_spec> joins;  // depth-first, in row layout order
    // Prefetched levels: rows whose match_column is in the parents' key list, or,
    // through a join table, rows reached from join rows whose through_owner_column is.
    bool prefetch = false;
    std::string match_column;
    col_type key_type{};
    const table_info* through = nullptr;
    std::string through_owner_column, through_target_column;
    std::optional<long long> limit_per_parent, offset_per_parent;
};

// `key_list` is the encoded key list (prefetched levels only); placeholders are
// numbered in text order.
std::string render_level(const level_spec& s, dialect d, const std::string* key_list, params& ps);

// The single parameter value that carries a list of keys, in the dialect's form.
std::string encode_list(dialect d, col_type t, const std::vector<param>& items);

}  // namespace eagerload::detail
