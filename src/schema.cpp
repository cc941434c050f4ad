#include "eagerload/schema.hpp"

#include <algorithm>
#include <optional>

#include "backend.hpp"
#include "database_state.hpp"
#include "eagerload/detail/select_spec.hpp"

namespace eagerload::detail {

namespace {
constexpr std::size_t rows_per_insert = 50000;
}

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

std::string render_insert(const table_info& t, dialect d) {
    const backend& be = backend_for(d);
    std::string names, values;
    std::size_t n = 0;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i == t.key && t.generated_key) continue;  // the database assigns it
        if (n) {
            names += ", ";
            values += ", ";
        }
        be.quote(names, t.columns[i].name);
        values += ":p" + std::to_string(++n);
    }
    std::string out = "INSERT INTO " + be.table(t.name) + " (" + names + ") VALUES (" + values + ")";
    if (t.generated_key) out += be.returning(be.quoted(t.columns[t.key].name));
    return out;
}

void insert_columns(const database& db, const table_info& t, std::vector<std::vector<param>>& columns) {
    const std::size_t rows = columns.empty() ? 0 : columns[0].size();
    const backend& be = db.state().be();
    // All or nothing: more than one statement runs in a transaction, unless this thread
    // is already in one (then that transaction decides). One statement is atomic alone.
    std::optional<transaction> tx;
    if (rows > rows_per_insert && db.state().pinned_slot() == npos) tx.emplace(db);
    for (std::size_t first = 0; first < rows; first += rows_per_insert) {
        const std::size_t n = std::min(rows_per_insert, rows - first);
        std::vector<std::vector<param>> chunk(columns.size());
        for (std::size_t c = 0; c < columns.size(); ++c)
            chunk[c].assign(std::make_move_iterator(columns[c].begin() + static_cast<std::ptrdiff_t>(first)),
                            std::make_move_iterator(columns[c].begin() + static_cast<std::ptrdiff_t>(first + n)));
        params ps;
        const std::string sql = be.insert_many(t, chunk, ps);
        execute(db, sql, ps);
    }
    if (tx) tx->commit();
}

}  // namespace eagerload::detail
