#pragma once
// The runtime description of one SELECT over one model's table: its filter, order
// and limits. A level_spec (detail/level_spec.hpp) adds its result layout (joined
// tables) and, for a prefetched level, how its rows match their parents.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eagerload/detail/condition_node.hpp"
#include "eagerload/order_by.hpp"

namespace eagerload::detail {

struct select_spec {
    const table_info* table = nullptr;
    cond_ptr where;
    std::vector<order_item> order;
    std::optional<long long> limit, offset;
    // Prefetched levels only: a window over each parent's rows.
    std::optional<long long> limit_per_parent, offset_per_parent;
    // A projection (.only<...>()): the indexes of the columns named, sorted; empty: every column.
    std::vector<std::size_t> only;
};

// SELECT count(*) of the rows `s` selects. Appends the bound values to `ps`;
// placeholders are :p1, :p2, ... in order. (Row-returning statements: render_level.)
std::string render_count(const select_spec& s, dialect d, params& ps);

// A condition on `table`'s rows (columns qualified by the table's name), for writes.
std::string render_condition(const cond_node* c, dialect d, std::string_view table, params& ps);

// Human-readable form of a bound value, for error messages ("42", "'abc'").
std::string describe(const param& p);

}  // namespace eagerload::detail
