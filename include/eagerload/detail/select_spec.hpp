#pragma once
// The runtime description of one SELECT over one model's table, rendered to SQL by
// the compiled back end (src/sql.cpp).
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
};

std::string quote_identifier(std::string_view name);

// Appends the bound values to `ps`; placeholders are :p1, :p2, ... in order.
std::string render_select(const select_spec& s, dialect d, params& ps);
std::string render_count(const select_spec& s, dialect d, params& ps);
std::string render_condition(const cond_node* c, dialect d, std::string_view qualifier, params& ps);

// Human-readable form of a bound value, for error messages ("42", "'abc'").
std::string describe(const param& p);

}  // namespace eagerload::detail
