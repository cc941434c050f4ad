// UPDATE and DELETE statements (eagerload/update.hpp).
#include "backend.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/update.hpp"

namespace eagerload::detail {

std::string render_update(const table_info& t, dialect d, const std::vector<assignment>& set, const cond_node* where,
                          params& ps) {
    const backend& be = backend_for(d);
    std::string out = "UPDATE " + be.table(t.name) + " SET ";
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (i) out += ", ";
        const std::string column = be.quoted(t.columns[set[i].column].name);
        ps.push_back(set[i].value);
        out += column + " = " + (set[i].add ? column + " + " : std::string()) + ":p" + std::to_string(ps.size());
    }
    if (where) out += " WHERE " + render_condition(where, d, t.name, ps);
    return out;
}

std::string render_delete(const table_info& t, dialect d, const cond_node* where, params& ps) {
    std::string out = "DELETE FROM " + backend_for(d).table(t.name);
    if (where) out += " WHERE " + render_condition(where, d, t.name, ps);
    return out;
}

}  // namespace eagerload::detail
