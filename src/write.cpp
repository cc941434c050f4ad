// The compiled half of the typed writes: INSERT (insert.hpp), UPDATE and DELETE
// (update.hpp), upsert (upsert.hpp). The SQL that differs between databases comes from
// the backend (src/backends/*.cpp); this file chunks rows, runs the statements in the
// caller's transaction (or in one of its own when a write takes several statements),
// and hands back keys in input order.
#include <algorithm>
#include <optional>

#include "backend.hpp"
#include "database_state.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/update.hpp"
#include "eagerload/upsert.hpp"

namespace eagerload::detail {

std::size_t& rows_per_statement() {
    static std::size_t n = 50000;
    return n;
}

namespace {

std::size_t row_count(const std::vector<std::vector<param>>& columns) {
    for (const auto& c : columns)
        if (!c.empty()) return c.size();
    return 0;
}

// Rows [first, first + n) of every column.
std::vector<std::vector<param>> chunk_of(std::vector<std::vector<param>>& columns, std::size_t first, std::size_t n) {
    std::vector<std::vector<param>> chunk(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].empty()) continue;
        chunk[c].assign(std::make_move_iterator(columns[c].begin() + static_cast<std::ptrdiff_t>(first)),
                        std::make_move_iterator(columns[c].begin() + static_cast<std::ptrdiff_t>(first + n)));
    }
    return chunk;
}

// All or nothing: a write of several statements runs in a transaction, unless this
// thread is already in one (then that transaction decides). One statement is atomic alone.
void own_transaction(std::optional<transaction>& tx, const database& db, bool several_statements) {
    if (several_statements && !tx && db.state().pinned_slot() == npos) tx.emplace(db);
}

void append_key(column_data& keys, const column_data& from, std::size_t r) {
    keys.nulls.push_back(from.nulls[r]);
    switch (keys.type) {
    case col_type::boolean:
    case col_type::int16:
    case col_type::int32:
    case col_type::int64:
    case col_type::enum_text: keys.ints.push_back(from.ints[r]); break;  // an enum: its index
    case col_type::float32:
    case col_type::float64: keys.reals.push_back(from.reals[r]); break;
    case col_type::text:
    case col_type::bytes:
    case col_type::decimal: keys.texts.push_back(from.texts[r]); break;
    case col_type::timestamp: keys.times.push_back(from.times[r]); break;
    }
}

std::string column_list(const table_info& t, const std::vector<std::size_t>& cols) {
    std::string out;
    for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? ", \"" : "\"") + t.columns[cols[i]].name + '"';
    return out;
}

const table_info& position_table() {
    static const table_info info{"(input position)", {column_info{"position", col_type::int64, false}}, 0};
    return info;
}

}  // namespace

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
    const std::size_t rows = row_count(columns);
    const backend& be = db.state().be();
    const std::size_t per = rows_per_statement();
    std::optional<transaction> tx;
    own_transaction(tx, db, rows > per);
    for (std::size_t first = 0; first < rows; first += per) {
        auto chunk = chunk_of(columns, first, std::min(per, rows - first));
        params ps;
        const std::string sql = be.insert_many(t, chunk, ps);
        execute(db, sql, ps);
    }
    if (tx) tx->commit();
}

void insert_returning_keys(const database& db, const table_info& t, std::vector<std::vector<param>>& columns,
                           column_data& keys) {
    const std::size_t rows = row_count(columns);
    const backend& be = db.state().be();
    const std::size_t per = rows_per_statement();
    keys = column_data{t.columns[t.key].type, t.columns[t.key].domain, {}, {}, {}, {}, {}};
    keys.ints.reserve(rows);
    std::optional<transaction> tx;
    own_transaction(tx, db, rows > per);
    const column_source key{&t, t.key};
    for (std::size_t first = 0; first < rows; first += per) {
        const std::size_t n = std::min(per, rows - first);
        auto chunk = chunk_of(columns, first, n);
        params ps;
        bool sorted = false;
        const std::string sql = be.insert_many_returning(t, chunk, ps, sorted);
        const std::size_t before = keys.ints.size();
        fetch(
            db, sql, ps, std::span<const column_source>(&key, 1),
            [&](result_batch& b) {
                for (std::size_t r = 0; r < b.rows; ++r) {
                    if (b.columns[0].nulls[r])
                        throw error("eagerload: insert into \"" + t.name + "\" returned a NULL generated key in \"" +
                                    t.columns[t.key].name + "\"");
                    keys.ints.push_back(b.columns[0].ints[r]);
                }
            },
            n);
        if (keys.ints.size() - before != n)
            throw error("eagerload: insert into \"" + t.name + "\" of " + std::to_string(n) + " rows returned " +
                        std::to_string(keys.ints.size() - before) + " generated keys");
        if (sorted) std::sort(keys.ints.begin() + static_cast<std::ptrdiff_t>(before), keys.ints.end());
    }
    keys.nulls.assign(keys.ints.size(), 0);
    if (tx) tx->commit();
}

void upsert_columns(const database& db, const table_info& t, const std::vector<std::size_t>& conflict,
                    const std::vector<std::size_t>& update, std::size_t version,
                    std::vector<std::vector<param>>& columns, std::vector<column_data>* keys) {
    const std::size_t rows = row_count(columns);
    const backend& be = db.state().be();
    const std::size_t per = rows_per_statement();
    const backend::upsert_spec spec{conflict, update, version, keys != nullptr};
    const auto key_columns = t.key_columns();
    std::vector<column_source> returned;  // the key columns; after the input position in a lookup
    std::vector<column_source> looked_up{column_source{&position_table(), 0}};
    if (keys) {
        keys->clear();
        for (std::size_t k : key_columns) {
            keys->push_back(column_data{t.columns[k].type, t.columns[k].domain, {}, {}, {}, {}, {}});
            returned.push_back(column_source{&t, k});
            looked_up.push_back(column_source{&t, k});
        }
    }
    const std::size_t width = key_columns.size();
    std::optional<transaction> tx;
    for (std::size_t first = 0; first < rows; first += per) {
        const std::size_t n = std::min(per, rows - first);
        auto chunk = chunk_of(columns, first, n);
        params ps;
        bool keys_returned = false;
        const std::string sql = be.upsert_many(t, spec, chunk, ps, keys_returned);
        own_transaction(tx, db, rows > per || (keys && !keys_returned));
        if (!keys) {  // the rows carry their key: the upsert alone
            execute(db, sql, ps);
            continue;
        }
        const std::size_t before = (*keys)[0].nulls.size();
        if (keys_returned) {
            fetch(
                db, sql, ps, returned,
                [&](result_batch& b) {
                    for (std::size_t r = 0; r < b.rows; ++r)
                        for (std::size_t k = 0; k < width; ++k) append_key((*keys)[k], b.columns[k], r);
                },
                n);
            for (std::size_t r = before; r < (*keys)[0].nulls.size(); ++r)
                for (std::size_t k = 0; k < width; ++k)
                    if ((*keys)[k].nulls[r])
                        throw error("eagerload: upsert into \"" + t.name + "\": input row " + std::to_string(r) +
                                    " conflicted on (" + column_list(t, conflict) +
                                    ") with a row another transaction committed while this statement ran, which "
                                    "the statement's snapshot cannot see: its key is unknown. The statement's other "
                                    "rows were written (they stay unless a transaction around them rolls back): "
                                    "retry the upsert to get every key");
        } else {
            execute(db, sql, ps);
            params kps;
            const std::string lookup = be.upsert_keys(t, spec, chunk, kps);
            std::vector<column_data> found;
            for (std::size_t k : key_columns)
                found.push_back(column_data{t.columns[k].type, t.columns[k].domain, {}, {}, {}, {}, {}});
            std::vector<std::size_t> at(n, npos);
            fetch(
                db, lookup, kps, looked_up,
                [&](result_batch& b) {
                    for (std::size_t r = 0; r < b.rows; ++r) {
                        const auto p = static_cast<std::size_t>(b.columns[0].ints[r]);
                        if (p >= n || at[p] != npos)
                            throw error("eagerload: upsert into \"" + t.name + "\": input row " +
                                        std::to_string(first + std::min(p, n)) + " matched more than one row on (" +
                                        column_list(t, conflict) + "): declare a unique key as the conflict target");
                        at[p] = found[0].nulls.size();
                        for (std::size_t k = 0; k < width; ++k) append_key(found[k], b.columns[1 + k], r);
                    }
                },
                n);
            for (std::size_t p = 0; p < n; ++p) {
                if (at[p] == npos)
                    throw error("eagerload: upsert into \"" + t.name + "\": after the statement no row has the (" +
                                column_list(t, conflict) + ") of input row " + std::to_string(first + p) +
                                " (a conflict on another unique key of the table, which MariaDB's ON DUPLICATE "
                                "KEY UPDATE also takes?)");
                for (std::size_t k = 0; k < width; ++k) append_key((*keys)[k], found[k], at[p]);
            }
        }
        if ((*keys)[0].nulls.size() - before != n)
            throw error("eagerload: upsert into \"" + t.name + "\" of " + std::to_string(n) + " rows returned " +
                        std::to_string((*keys)[0].nulls.size() - before) + " keys");
    }
    if (tx) tx->commit();
}

std::string render_update(const table_info& t, dialect d, const std::vector<assignment>& set, const cond_node* where,
                          params& ps, std::size_t version) {
    const backend& be = backend_for(d);
    std::string out = "UPDATE " + be.table(t.name) + " SET ";
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (i) out += ", ";
        const std::string column = be.quoted(t.columns[set[i].column].name);
        ps.push_back(set[i].value);
        out += column + " = " + (set[i].add ? column + " + " : std::string()) + ":p" + std::to_string(ps.size());
    }
    if (version != npos) {
        const std::string column = be.quoted(t.columns[version].name);
        out += ", " + column + " = " + column + " + 1";
    }
    if (where) out += " WHERE " + render_condition(where, d, t.name, ps);
    return out;
}

std::string render_delete(const table_info& t, dialect d, const cond_node* where, params& ps) {
    std::string out = "DELETE FROM " + backend_for(d).table(t.name);
    if (where) out += " WHERE " + render_condition(where, d, t.name, ps);
    return out;
}

std::size_t update_versioned(const database& db, const table_info& t, std::size_t version, const std::string& sql,
                             const params& ps, const params& key, long long expected) {
    const std::size_t n = execute(db, sql, ps);
    if (n > 0) return n;
    // Nothing matched: a stale version, or no row with that key at all. One more
    // statement, only on this path, tells which (see docs/writing.md).
    const backend& be = db.state().be();
    const auto columns = t.key_columns();
    std::string exists = "SELECT count(*) FROM " + be.table(t.name) + " WHERE ";
    std::string named;  // id = 42; a composite key: order_id = 1, line_no = 2
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string& name = t.columns[columns[i]].name;
        exists += (i ? " AND " : "") + be.quoted(name) + " = :p" + std::to_string(i + 1);
        named += (i ? ", " : "") + name + " = " + describe(key[i]);
    }
    if (fetch_scalar(db, exists, key) == 0) return 0;
    // key(): the value alone for a one-column key (42, 'abc'), every column named for a composite one.
    const std::string shown = columns.size() == 1 ? describe(key[0]) : named;
    throw stale_row("eagerload: stale row: \"" + t.name + "\" with " + named + " has moved on from " +
                        t.columns[version].name + " = " + std::to_string(expected) +
                        ", the version this object holds: another write changed it since it was read; nothing "
                        "was written",
                    t.name, shown);
}

}  // namespace eagerload::detail

