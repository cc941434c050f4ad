#include "eagerload/schema.hpp"

#include <algorithm>
#include <optional>

#include "backend.hpp"
#include "database_state.hpp"
#include "eagerload/detail/select_spec.hpp"

namespace eagerload::detail {

std::string render_create_table(const table_info& t, dialect d, const std::vector<foreign_key>& fks) {
    const backend& be = backend_for(d);
    const bool composite = t.key_columns().size() > 1;
    std::string out = "CREATE TABLE " + be.table(t.name) + " (";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const column_info& c = t.columns[i];
        if (i) out += ", ";
        // Key and foreign-key columns get the backend's key type (MariaDB cannot index
        // a TEXT column without a prefix length).
        const bool in_key = is_key_column(t, i);
        const bool key = in_key || std::any_of(fks.begin(), fks.end(), [&](const foreign_key& fk) {
                             return fk.column == c.name;
                         });
        out += be.quoted(c.name) + ' ';
        if (i == t.key && t.generated_key) {
            out += be.generated_key(c.type);
            continue;
        }
        out += key ? be.key_sql_type(c.type) : be.sql_type(c.type);
        if (!c.nullable) out += " NOT NULL";
        if (in_key && !composite) out += " PRIMARY KEY";
    }
    if (composite) {  // PRIMARY KEY (a, b), in the key's order
        out += ", PRIMARY KEY (";
        for (std::size_t k = 0; k < t.key_columns().size(); ++k) {
            if (k) out += ", ";
            out += be.quoted(t.columns[t.key_columns()[k]].name);
        }
        out += ')';
    }
    for (const foreign_key& fk : fks)
        out += ", FOREIGN KEY (" + be.quoted(fk.column) + ") REFERENCES " + be.table(fk.target->name) + " (" +
               be.quoted(fk.target_column) + ")";
    out += ')';
    return out;
}

std::string render_create_index(const table_info& t, dialect d, std::string_view name, bool unique,
                                const std::vector<order_item>& columns) {
    const backend& be = backend_for(d);
    std::string out = unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    out += be.quoted(name) + " ON " + be.table(t.name) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) out += ", ";
        out += be.quoted(columns[i].column);
        if (columns[i].descending) out += " DESC";
    }
    return out + ')';
}

std::string render_drop_table(const table_info& t, dialect d) {
    return "DROP TABLE IF EXISTS " + backend_for(d).table(t.name);
}

}  // namespace eagerload::detail
