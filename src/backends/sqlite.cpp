// SQLite: lists and bulk rows travel as ONE JSON text parameter read by json_each
// (SQLite's prepare is quadratic in named placeholders, see docs/design.md). Rows are
// read natively from the sqlite3 connection SOCI opened: SOCI coerces each value to the
// column's declared type (an INTEGER column through 32 bits, 3.7 to 3, 'abc' to 0),
// where each value's own storage class is what tells whether it fits the member exactly.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "../backend.hpp"
#include "../convert.hpp"
#include "../statement_cache.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/explain_report.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

using namespace sqlite_api;

const char* storage_class(int t) {
    switch (t) {
    case SQLITE_INTEGER: return "INTEGER";
    case SQLITE_FLOAT: return "REAL";
    case SQLITE_TEXT: return "TEXT";
    case SQLITE_BLOB: return "BLOB";
    default: return "NULL";
    }
}

std::string_view column_text(sqlite3_stmt* st, int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, c))) : std::string_view();
}

struct statement_guard {
    sqlite3_stmt* st = nullptr;
    ~statement_guard() { sqlite3_finalize(st); }
};


// The sqlite3 connection SOCI opened (the session is a sqlite3 one: opened by open()
// below, or by the caller of database::from_pool for this dialect). Not checked by
// UBSan's vptr sanitizer: the check needs the typeinfo of soci::sqlite3_session_backend,
// which libsoci_sqlite3.so does not export (nm -D lists no such symbol), so a
// -fsanitize=undefined build would not link. (The GNU spelling: GCC and Clang both take it.)
__attribute__((no_sanitize("vptr"))) sqlite3* connection(soci::session& s) {
    return static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
}

// SQLite's extended result codes, as the SQL standard's SQLSTATEs throw_statement_error maps.
[[noreturn]] void throw_sqlite_error(sqlite3* conn, const std::string& sql) {
    const char* state = "";
    switch (sqlite3_extended_errcode(conn)) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: state = "23505"; break;
    case SQLITE_CONSTRAINT_FOREIGNKEY: state = "23503"; break;
    case SQLITE_CONSTRAINT_NOTNULL: state = "23502"; break;
    default: break;
    }
    // "UNIQUE constraint failed: users.id": the table is before the dot.
    const std::string message = sqlite3_errmsg(conn);
    std::string table;
    if (const auto colon = message.find("failed: "); colon != std::string::npos)
        table = message.substr(colon + 8, message.find('.', colon) - colon - 8);
    throw_statement_error(message, sql, state, table);
}

// eagerload_unhex(text): the bytes a hex text spells (SQLite 3.40 has no unhex()). Bulk
// inserts carry bytes columns as hex strings in their one JSON parameter.
constexpr const char* unhex_function = "eagerload_unhex";

void unhex(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const auto n = static_cast<std::size_t>(sqlite3_value_bytes(argv[0]));
    std::string out;
    if (!decode_hex(std::string_view(p, n), out))
        return sqlite3_result_error(ctx, "eagerload_unhex: not a hex text", -1);
    sqlite3_result_blob64(ctx, out.data(), out.size(), SQLITE_TRANSIENT);
}

// Column c of a bulk row read from json_each's `value`: bytes travel as hex text.
std::string json_value(const table_info& t, std::size_t c) {
    const std::string v = "json_extract(value, '$[" + std::to_string(c) + "]')";
    return t.columns[c].type == col_type::bytes ? std::string(unhex_function) + '(' + v + ')' : v;
}

// Registers eagerload_unhex on this connection when the statement uses it (a session of
// database::from_pool was not opened by open()).
void register_functions(sqlite3* conn, const std::string& sql) {
    if (sql.find(unhex_function) == std::string::npos) return;
    sqlite3_create_function_v2(conn, unhex_function, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, unhex, nullptr,
                               nullptr, nullptr);
}

// The index of each of :p1, :p2, ... in `st`.
std::vector<int> placeholder_indices(sqlite3_stmt* st, const std::string& sql, std::size_t n) {
    std::vector<int> at(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string name = ":p" + std::to_string(i + 1);
        at[i] = sqlite3_bind_parameter_index(st, name.c_str());
        if (at[i] == 0) throw_statement_error("no placeholder " + name + " in the statement", sql);
    }
    return at;
}

// Binds `ps` (which must outlive the statement's run: SQLITE_STATIC) at `at`.
void bind_params(sqlite3* conn, sqlite3_stmt* st, const std::string& sql, const params& ps, const std::vector<int>& at) {
    if (at.size() != ps.size()) throw_statement_error("a statement run with another number of parameters", sql);
    for (std::size_t i = 0; i < ps.size(); ++i) {
        const param& p = ps[i];
        int rc = SQLITE_OK;
        switch (p.k) {
        case param::kind::null: rc = sqlite3_bind_null(st, at[i]); break;
        case param::kind::integer: rc = sqlite3_bind_int64(st, at[i], p.i); break;
        case param::kind::real: rc = sqlite3_bind_double(st, at[i], p.d); break;
        case param::kind::text:
        case param::kind::decimal:  // NUMERIC affinity makes it a number where it is one
            rc = sqlite3_bind_text64(st, at[i], p.s.data(), p.s.size(), SQLITE_STATIC, SQLITE_UTF8);
            break;
        case param::kind::blob:  // never a null pointer: that would bind NULL
            rc = sqlite3_bind_blob64(st, at[i], p.s.empty() ? "" : p.s.data(), p.s.size(), SQLITE_STATIC);
            break;
        }
        if (rc != SQLITE_OK) throw_sqlite_error(conn, sql);
    }
}

// Prepares `sql` on `conn` with `ps` bound to :p1, :p2, ...
void prepare_bound(sqlite3* conn, const std::string& sql, const params& ps, statement_guard& g) {
    register_functions(conn, sql);
    if (sqlite3_prepare_v2(conn, sql.data(), static_cast<int>(sql.size()), &g.st, nullptr) != SQLITE_OK)
        throw_sqlite_error(conn, sql);
    bind_params(conn, g.st, sql, ps, placeholder_indices(g.st, sql, ps.size()));
}

// A statement kept by the session's statement cache: prepared once (prepare_v2
// prepares it again by itself after a schema change), reset after every run.
struct sqlite_statement final : cached_statement {
    sqlite3_stmt* st = nullptr;
    std::vector<int> at;  // of :p1, :p2, ...
    ~sqlite_statement() override { sqlite3_finalize(st); }
};

// Leaves a kept statement ready for its next run, however this one ended: no read
// lock held, no binding pointing at parameters that are gone.
struct reset_guard {
    sqlite3_stmt* st;
    ~reset_guard() {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
};

class sqlite_impl final : public backend {
public:
    dialect kind() const noexcept override { return dialect::sqlite; }
    const char* name() const noexcept override { return "sqlite"; }
    std::vector<std::string_view> schemes() const override { return {"sqlite"}; }
    const char* url_example() const noexcept override { return "sqlite:PATH\" or \"sqlite::memory:"; }

    void open(soci::session& s, const std::string& target) const override {
        s.open(soci::sqlite3, "db=\"" + target + "\" timeout=30");
        s << "PRAGMA foreign_keys = ON";
    }

    // SQLite's closest setting: how long a statement waits for another connection's lock.
    bool set_statement_timeout(soci::session& s, std::chrono::milliseconds limit) const override {
        s << "PRAGMA busy_timeout = " + std::to_string(limit.count());
        return true;
    }

    std::size_t execute(soci::session& s, const std::string& sql, const params& ps) const override {
        sqlite3* conn = connection(s);
        statement_guard g;
        prepare_bound(conn, sql, ps, g);
        for (;;) {
            const int rc = sqlite3_step(g.st);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) throw_sqlite_error(conn, sql);
        }
        return static_cast<std::size_t>(sqlite3_changes64(conn));
    }

    bool streams_rows() const noexcept override { return true; }
    void fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
               const batch_sink& sink, std::size_t batch_rows) const override {
        sqlite3* conn = connection(s);
        statement_guard g;
        prepare_bound(conn, sql, ps, g);
        read_rows(conn, g.st, sql, columns, sink, batch_rows);
    }

    void fetch_cached(soci::session& s, statement_cache* cache, const std::string& sql, const params& ps,
                      std::span<const column_source> columns, const batch_sink& sink,
                      std::size_t batch_rows) const override {
        if (!cache) return fetch(s, sql, ps, columns, sink, batch_rows);
        sqlite3* conn = connection(s);
        cache->use_connection(conn);
        auto* kept = static_cast<sqlite_statement*>(cache->find(sql));
        if (kept) {
            cache->count_reuse();
        } else {
            auto fresh = std::make_unique<sqlite_statement>();
            register_functions(conn, sql);
            if (sqlite3_prepare_v2(conn, sql.data(), static_cast<int>(sql.size()), &fresh->st, nullptr) != SQLITE_OK)
                throw_sqlite_error(conn, sql);
            fresh->at = placeholder_indices(fresh->st, sql, ps.size());
            kept = static_cast<sqlite_statement*>(cache->insert(sql, std::move(fresh)));
        }
        const reset_guard reset{kept->st};
        bind_params(conn, kept->st, sql, ps, kept->at);
        read_rows(conn, kept->st, sql, columns, sink, batch_rows);
    }

    static void read_rows(sqlite3* conn, sqlite3_stmt* st, const std::string& sql,
                          std::span<const column_source> columns, const batch_sink& sink, std::size_t batch_rows) {
        // The column count is read after the first step: a kept statement whose table
        // changed since it was prepared is prepared again by that step (SQLITE_SCHEMA),
        // with the table's columns as they are now.
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw_sqlite_error(conn, sql);
        const int ncols = sqlite3_column_count(st);
        check_column_count(static_cast<std::size_t>(ncols), columns, sql);
        result_batch batch = make_batch(columns, batch_rows);
        for (;; rc = sqlite3_step(st)) {
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) throw_sqlite_error(conn, sql);
            const std::size_t r = batch.rows;
            for (int c = 0; c < ncols; ++c) {
                column_data& col = batch.columns[static_cast<std::size_t>(c)];
                const int type = sqlite3_column_type(st, c);
                col.nulls[r] = type == SQLITE_NULL;
                bool ok = true;
                switch (type) {
                case SQLITE_NULL: break;
                case SQLITE_INTEGER: ok = store_integer(col, r, sqlite3_column_int64(st, c)); break;
                case SQLITE_FLOAT: ok = store_real(col, r, sqlite3_column_double(st, c)); break;
                case SQLITE_TEXT:
                    // Numbers stored as text are not numbers: SQLite's affinity already turned
                    // every numeric-looking text in a numeric column into a number. A decimal
                    // stays text when 15 digits cannot hold it: that text is the exact value.
                    ok = (col.type == col_type::text || col.type == col_type::timestamp ||
                          col.type == col_type::bytes || col.type == col_type::decimal ||
                          col.type == col_type::enum_text) &&
                         store_text(col, r, column_text(st, c));
                    break;
                default: {  // BLOB
                    const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
                    ok = store_bytes(col, r, std::string_view(p ? p : "", static_cast<std::size_t>(
                                                                                sqlite3_column_bytes(st, c))));
                }
                }
                if (!ok) {
                    const column_source& src = columns[static_cast<std::size_t>(c)];
                    const std::string key(src.key < columns.size() ? column_text(st, static_cast<int>(src.key))
                                                                   : std::string_view());
                    const std::string value(column_text(st, c));
                    throw_conversion(src, key, value, storage_class(type));
                }
            }
            if (++batch.rows == batch_rows) {
                sink(batch);
                batch.rows = 0;
            }
        }
        if (batch.rows > 0) sink(batch);
    }

    std::string in_list(std::string_view column_sql, col_type, std::string_view ph) const override {
        std::string r(column_sql);
        r += " IN (SELECT value FROM json_each(";
        r += ph;
        r += "))";
        return r;
    }

    std::string encode_keys(std::span<const long long> keys) const override { return json_keys(keys); }
    std::string encode_keys(std::span<const std::string_view> keys) const override { return json_keys(keys); }

    std::string encode_list(col_type, const std::vector<param>& items) const override {
        return json_list(items, "SQLite");
    }

    const char* sql_type(col_type t) const override {
        // BIGINT, not INTEGER: SOCI reads a column declared INTEGER as 32-bit.
        switch (t) {
        case col_type::boolean: return "BOOLEAN";
        case col_type::int16: return "SMALLINT";
        case col_type::int32: return "INTEGER";
        case col_type::int64: return "BIGINT";
        case col_type::float32: return "REAL";  // an 8-byte double: holds every float exactly
        case col_type::float64: return "REAL";
        case col_type::text:
        case col_type::enum_text: return "TEXT";
        case col_type::timestamp: return "TIMESTAMP";
        case col_type::bytes: return "BLOB";
        case col_type::decimal: return "NUMERIC";  // compares as a number; see docs/existing-schemas.md
        }
        return "TEXT";
    }

    // The rowid alias: exactly "INTEGER PRIMARY KEY" (64-bit, read exactly by fetch()).
    std::string generated_key(col_type) const override { return "INTEGER PRIMARY KEY"; }

    // SQLite has one isolation level (serializable) and no READ ONLY transactions:
    // a deferred BEGIN takes its read snapshot at the first read and keeps it.
    void begin(soci::session& s, isolation, bool) const override { s << "BEGIN"; }

    std::string insert_many(const table_info& t, const std::vector<std::vector<param>>& columns,
                            params& ps) const override {
        std::string names, values;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c) {
                names += ", ";
                values += ", ";
            }
            quote(names, t.columns[c].name);
            values += json_value(t, c);
        }
        ps.push_back(param::text(json_rows(columns, "SQLite", &t)));
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values +
               " FROM json_each(:p" + std::to_string(ps.size()) + ")";
    }

    // INSERT INTO "orders" ("customer_id", ...) SELECT json_extract(value, '$[1]'), ...
    //   FROM json_each(:p1) WHERE true ORDER BY key RETURNING "id"
    // RETURNING's row order is unspecified (sqlite.org/lang_returning.html): the caller
    // sorts the keys. Exact because the rows are inserted in input order (ORDER BY the
    // array index) and SQLite gives each new row one more than the largest rowid in
    // the table (sqlite.org/autoinc.html; with AUTOINCREMENT, one more than the largest
    // ever used), so keys grow in input order. The one exception, documented there:
    // once the largest rowid is 9223372036854775807 SQLite picks unused rowids at random.
    std::string insert_many_returning(const table_info& t, const std::vector<std::vector<param>>& columns,
                                      params& ps, bool& sorted) const override {
        sorted = true;
        std::string names, values;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == t.key) continue;
            if (!names.empty()) {
                names += ", ";
                values += ", ";
            }
            quote(names, t.columns[c].name);
            values += json_value(t, c);
        }
        ps.push_back(param::text(json_rows(columns, "SQLite", &t)));
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM json_each(:p" +
               std::to_string(ps.size()) + ") WHERE true ORDER BY key RETURNING " + quoted(t.columns[t.key].name);
    }

    // INSERT INTO "products" (...) SELECT json_extract(value, '$[0]'), ... FROM json_each(:p1)
    //   WHERE true ORDER BY key ON CONFLICT ("sku") DO UPDATE SET "price" = excluded."price"
    // (or DO NOTHING); the keys come from upsert_keys(), in the same transaction.
    std::string upsert_many(const table_info& t, const upsert_spec& u, const std::vector<std::vector<param>>& columns,
                            params& ps, bool& keys_returned) const override {
        keys_returned = false;
        std::string names, values;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == t.key && t.generated_key) continue;
            if (!names.empty()) {
                names += ", ";
                values += ", ";
            }
            quote(names, t.columns[c].name);
            values += json_value(t, c);
        }
        ps.push_back(param::text(json_rows(columns, "SQLite", &t)));
        std::string target;
        for (std::size_t i = 0; i < u.conflict.size(); ++i) target += (i ? ", " : "") + quoted(t.columns[u.conflict[i]].name);
        std::string action;
        if (u.update.empty()) {
            action = "DO NOTHING";
        } else {
            action = "DO UPDATE SET ";
            for (std::size_t i = 0; i < u.update.size(); ++i) {
                const std::string col = quoted(t.columns[u.update[i]].name);
                action += (i ? ", " : "") + col + " = excluded." + col;
            }
            if (u.version != npos) {
                const std::string col = quoted(t.columns[u.version].name);
                action += ", " + col + " = " + col + " + 1";
            }
        }
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM json_each(:p" +
               std::to_string(ps.size()) + ") WHERE true ORDER BY key ON CONFLICT (" + target + ") " + action;
    }

    // SELECT "el_in"."key", "el_t"."id" FROM json_each(:p1) AS "el_in" JOIN "products" AS "el_t"
    //   ON "el_t"."sku" = json_extract("el_in"."value", '$[0]') ORDER BY "el_in"."key"
    // (the JSON rows hold the conflict columns only; a composite key: each key column
    // after the position). SQLite compares with the column's collation, as the ON CONFLICT did.
    std::string upsert_keys(const table_info& t, const upsert_spec& u, const std::vector<std::vector<param>>& columns,
                            params& ps) const override {
        std::vector<std::vector<param>> conflict;
        std::string on;
        for (std::size_t i = 0; i < u.conflict.size(); ++i) {
            conflict.push_back(columns[u.conflict[i]]);
            on += (i ? " AND " : "") + ("\"el_t\"." + quoted(t.columns[u.conflict[i]].name) +
                                        " = json_extract(\"el_in\".\"value\", '$[" + std::to_string(i) + "]')");
        }
        ps.push_back(param::text(json_rows(conflict, "SQLite", &t, &u.conflict)));
        std::string keys;  // every key column
        for (std::size_t k : t.key_columns()) keys += ", \"el_t\"." + quoted(t.columns[k].name);
        return "SELECT \"el_in\".\"key\"" + keys + " FROM json_each(:p" +
               std::to_string(ps.size()) + ") AS \"el_in\" JOIN " + table(t.name) + " AS \"el_t\" ON " + on +
               " ORDER BY \"el_in\".\"key\"";
    }

    std::string limit_offset(const std::string* limit_ph, const std::string* offset_ph) const override {
        if (!limit_ph && offset_ph) return " LIMIT -1 OFFSET " + *offset_ph;  // no OFFSET without LIMIT
        return backend::limit_offset(limit_ph, offset_ph);
    }

    const char* soci_name() const noexcept override { return "sqlite3"; }
    // sqlite3_get_autocommit: 0 inside BEGIN ... COMMIT; SQLite leaves autocommit mode
    // at BEGIN and returns to it when the transaction ends, by COMMIT or by an automatic
    // rollback (disk full, I/O error).
    bool in_transaction(soci::session& s, bool) const noexcept override {
        return sqlite3_get_autocommit(connection(s)) == 0;
    }

    // --- EXPLAIN -----------------------------------------------------------------
    std::string index_columns_query(std::string_view table, params& ps) const override {
        // The pragma table-valued functions; a schema-qualified name reads that schema.
        const std::size_t dot = table.rfind('.');
        ps.push_back(param::text(std::string(table.substr(dot == std::string_view::npos ? 0 : dot + 1))));
        const std::string schema = dot == std::string_view::npos ? std::string("main") : std::string(table.substr(0, dot));
        ps.push_back(param::text(schema));
        ps.push_back(param::text(schema));
        return "SELECT il.name, ii.name FROM pragma_index_list(:p1, :p2) AS il, pragma_index_info(il.name, :p3) AS ii "
               "ORDER BY il.name, ii.seqno";
    }
    std::string explain_statement(std::string_view sql) const override {
        return "EXPLAIN QUERY PLAN " + std::string(sql);
    }
    // Rows "id, parent, notused, detail": "SCAN tasks", "SEARCH tasks USING INDEX
    // t_proj (project_id=?)", "SCAN json_each VIRTUAL TABLE INDEX 1:" (the key list:
    // skipped). A per-parent window is a derived table ("MATERIALIZE tasks",
    // "CO-ROUTINE (subquery-4)"): scanning its result outside its own subtree reads no
    // table, and is skipped. No row estimates.
    void explain_read(const std::vector<std::string>& rows, level_explain& out) const override {
        struct node {
            long id, parent;
            std::string_view detail;
        };
        std::vector<node> nodes;
        for (const std::string& row : rows) {
            const std::size_t t1 = row.find('\t');
            nodes.push_back({std::strtol(row.c_str(), nullptr, 10), std::strtol(row.c_str() + t1 + 1, nullptr, 10),
                             std::string_view(row).substr(row.rfind('\t') + 1)});
        }
        std::vector<std::pair<std::string_view, long>> derived;  // name, id
        for (const node& n : nodes)
            for (std::string_view prefix : {"MATERIALIZE ", "CO-ROUTINE "})
                if (n.detail.starts_with(prefix)) derived.emplace_back(n.detail.substr(prefix.size()), n.id);
        const auto inside = [&](long id, long ancestor) {
            for (int guard = 0; guard < 64 && id != 0; ++guard) {
                if (id == ancestor) return true;
                const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const node& n) { return n.id == id; });
                if (it == nodes.end()) break;
                id = it->parent;
            }
            return false;
        };
        for (const node& n : nodes) {
            const std::string_view detail = n.detail;
            const bool scan = detail.starts_with("SCAN ");
            if (!scan && !detail.starts_with("SEARCH ")) continue;
            if (detail.find("VIRTUAL TABLE") != std::string_view::npos) continue;
            std::string_view rest = detail.substr(scan ? 5 : 7);
            const std::string_view table = rest.substr(0, rest.find(' '));
            if (table == "CONSTANT" || table.starts_with("(")) continue;
            if (std::any_of(derived.begin(), derived.end(),
                            [&](const auto& d) { return d.first == table && !inside(n.id, d.second); }))
                continue;
            table_scan s{std::string(table), scan, {}};
            for (std::string_view u : {"USING COVERING INDEX ", "USING INDEX "}) {
                const std::size_t at = rest.find(u);
                if (at == std::string_view::npos) continue;
                const std::string_view name = rest.substr(at + u.size());
                s.index = std::string(name.substr(0, name.find(' ')));
                break;
            }
            if (s.index.empty() && rest.find("PRIMARY KEY") != std::string_view::npos) s.index = "PRIMARY KEY";
            out.scans.push_back(std::move(s));
        }
    }
};

}  // namespace

const backend& sqlite_backend() {
    static const sqlite_impl b;
    return b;
}

}  // namespace eagerload::detail
