#pragma once
// The runtime form of a WHERE condition. The typed front end (where.hpp) checks
// columns and value types at compile time, then builds this small tree; the compiled
// back end renders it per dialect. Keeping the tree untyped keeps query types small.
#include <memory>
#include <string>
#include <vector>

#include "eagerload/detail/value.hpp"

namespace eagerload::detail {

struct table_info;

struct cond_node {
    enum class op : std::uint8_t { eq, ne, lt, le, gt, ge, in, is_null, is_not_null, and_, or_, not_, exists };
    op o;
    std::string column;         // comparisons: the column, unqualified
    col_type type{};            // comparisons: the column's type (list encoding, casts)
    std::vector<param> values;  // one for a comparison, the items for `in`
    std::shared_ptr<const cond_node> lhs, rhs;  // logical operators; exists: rhs filters the inner table
    // exists: EXISTS (SELECT 1 FROM inner WHERE inner.inner_column = outer.outer_column AND rhs);
    // through a join table (many_to_many), the inner table is the join table, joined to
    // target_table on target.target_column = inner.through_column, and rhs filters the target.
    const table_info* inner_table = nullptr;
    std::string inner_column, outer_column;
    const table_info* target_table = nullptr;
    std::string through_column, target_column;

    // A test on one column: comparison (one value), in (the items), is_null/is_not_null (none).
    static std::shared_ptr<cond_node> on_column(op o, std::string column, col_type type, std::vector<param> values = {}) {
        auto n = std::make_shared<cond_node>();
        n->o = o;
        n->column = std::move(column);
        n->type = type;
        n->values = std::move(values);
        return n;
    }
    // and_/or_ (both sides), not_ (rhs only).
    static std::shared_ptr<cond_node> logical(op o, std::shared_ptr<const cond_node> lhs,
                                              std::shared_ptr<const cond_node> rhs) {
        auto n = std::make_shared<cond_node>();
        n->o = o;
        n->lhs = std::move(lhs);
        n->rhs = std::move(rhs);
        return n;
    }
};

using cond_ptr = std::shared_ptr<const cond_node>;

}  // namespace eagerload::detail
