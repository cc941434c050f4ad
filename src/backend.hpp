#pragma once
// A backend: how to reach one kind of database through SOCI, and its SQL dialect.
// The core (renderer, execution layer, database handle) asks the backend for every
// piece of syntax that differs between databases; it never names a backend itself.
// Backends are listed in ONE place, src/backends/registry.cpp; a new backend is one
// file in src/backends/ plus a line there (see docs/design.md, "Adding a backend").
//
// The defaults below are standard SQL as SQLite and PostgreSQL write it; a backend
// overrides what its database spells differently.
#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/value.hpp"

namespace soci {
class session;
}

namespace eagerload::detail {

struct table_info;
class statement_cache;

// A connection string as a backend read it.
struct connection_spec {
    std::string target;                // what the backend's open() hands to SOCI
    std::string description;           // for messages: every secret as ***
    std::vector<std::string> secrets;  // every form of every secret, scrubbed from any message we pass on
};

}  // namespace eagerload::detail
namespace eagerload {
struct level_explain;
}
namespace eagerload::detail {

class backend {
public:
    virtual ~backend() = default;

    // --- identity --------------------------------------------------------------
    virtual dialect kind() const noexcept = 0;
    virtual const char* name() const noexcept = 0;  // "sqlite", "postgresql", "mariadb"
    // URL schemes database::open accepts for this backend ("postgresql", "postgres").
    virtual std::vector<std::string_view> schemes() const = 0;
    // What database::open's error message shows as the form of a URL.
    virtual const char* url_example() const noexcept = 0;

    // --- sessions --------------------------------------------------------------
    // Opens `s` on `target` and prepares the session (pragmas, message levels).
    virtual void open(soci::session& s, const std::string& target) const = 0;
    // Bounds each statement's run time on `s` (open_options::statement_timeout); false
    // when this database has no such setting (the default).
    virtual bool set_statement_timeout(soci::session& s, std::chrono::milliseconds limit) const;
    // Starts a transaction on `s`. `read_only`: a load's snapshot, which never writes.
    virtual void begin(soci::session& s, isolation level, bool read_only) const;

    // --- rows ------------------------------------------------------------------------
    // Runs a query on `s` and hands its rows to `sink` in batches of at most
    // `batch_rows`, every value converted to its column's type exactly (convert.hpp) or
    // conversion_error. The default goes through SOCI, every value fetched as text;
    // a backend may read natively from the connection SOCI opened.
    virtual void fetch(soci::session& s, const std::string& sql, const params& ps,
                       std::span<const column_source> columns, const batch_sink& sink, std::size_t batch_rows) const;
    // Whether fetch hands rows over while the rest are still to be read (SQLite's steps,
    // libpq's single-row mode, MariaDB's mysql_use_result and, through the statement
    // cache, unbuffered mysql_stmt_fetch), never holding the whole result in client
    // memory. Where it does hold it (the default SOCI path: SOCI's MySQL backend
    // calls mysql_store_result), a huge prefetch level builds its children in one flat
    // vector and fills its lists after the result is freed; where it streams, rows go
    // straight into their lists (src/prefetch.cpp).
    virtual bool streams_rows() const noexcept { return false; }

    // Runs a statement that returns no rows; returns how many rows it changed. The
    // default goes through SOCI.
    virtual std::size_t execute(soci::session& s, const std::string& sql, const params& ps) const;
    // The SQLSTATE of a SOCI error from this backend's database, where it can tell
    // (for typed constraint errors, see throw_statement_error); empty if not.
    virtual std::string error_state(const std::exception& e) const;

    // --- SQL text ----------------------------------------------------------------
    // Appends `name` as a quoted identifier.
    virtual void quote(std::string& out, std::string_view name) const;
    std::string quoted(std::string_view name) const {
        std::string r;
        quote(r, name);
        return r;
    }
    // A table name, schema-qualified or not: "sales.orders" -> "sales"."orders".
    std::string table(std::string_view name) const;
    // What a level's own table is called in its statement: the table name without schema.
    std::string table_alias(std::string_view name) const { return quoted(name.substr(name.rfind('.') + 1)); }
    // The column type in CREATE TABLE.
    virtual const char* sql_type(col_type t) const = 0;
    // A database-generated integer primary key's declaration, after its name.
    virtual std::string generated_key(col_type t) const;
    // Appended to an INSERT to read back the generated key (the quoted column).
    virtual std::string returning(std::string_view quoted_column) const;
    // The type of a PRIMARY KEY or FOREIGN KEY column: a type the database can index
    // and that compares as C++ compares the key. Default: sql_type(t).
    virtual const char* key_sql_type(col_type t) const { return sql_type(t); }
    // LIMIT/OFFSET clause (with its leading space); placeholders allocated by the caller.
    virtual std::string limit_offset(const std::string* limit_ph, const std::string* offset_ph) const;
    // A row's rank among its partition: per-parent limits. The partition is the parent
    // key column, of type `key_type`: it must tell keys apart exactly as C++ does (the
    // loader groups by exact value), whatever the column's collation.
    virtual std::string row_number(std::string_view partition_sql, col_type key_type, std::string_view order_sql) const;

    // --- lists: ONE bound parameter, whatever the length ---------------------------
    // `column IN list`, the list being the parameter named `placeholder`.
    virtual std::string in_list(std::string_view column_sql, col_type t, std::string_view placeholder) const = 0;
    // The value in_list() binds, from typed values (where(col.in(...))) ...
    virtual std::string encode_list(col_type t, const std::vector<param>& items) const = 0;
    // ... and from a level's parent keys (the hot path: no param per key).
    virtual std::string encode_keys(std::span<const long long> keys) const = 0;
    virtual std::string encode_keys(std::span<const std::string_view> keys) const = 0;

    // --- writes ------------------------------------------------------------------
    // One INSERT statement for many rows given column-major; appends its parameters.
    virtual std::string insert_many(const table_info& t, const std::vector<std::vector<param>>& columns,
                                    params& ps) const = 0;

    // --- column types ----------------------------------------------------------------
    // A column in a SELECT list, as this database must be asked for it so that its text
    // is exact for a member of type `t` (MariaDB prints FLOAT with 6 digits: it selects
    // CAST(col AS DOUBLE)). Default: the column itself.
    virtual std::string select_column(std::string column_sql, col_type t) const;
    // --- connections and transactions -----------------------------------------------
    // The name SOCI gives this backend's sessions (soci::session::get_backend_name()):
    // database::from_pool checks the caller's sessions against it.
    virtual const char* soci_name() const noexcept = 0;
    // Whether `s` is still inside the transaction begin() started, able to commit it:
    // false once the database rolled it back (PostgreSQL after any failed statement,
    // MariaDB after a deadlock), hand-written SQL ended it, or the connection is gone.
    // `after_failure`: a statement failed in the transaction since it began (a backend
    // that reads a status flag the failure left stale asks the server instead).
    // Never throws. Default: true (cannot tell).
    virtual bool in_transaction(soci::session& s, bool after_failure) const noexcept;
    // Reads what the caller gave: database::open's text after "scheme:", a whole URI
    // ("postgresql://..."), or what the backend's factory (database::postgresql()) got.
    // Throws connection_string_error (src/connection_string.hpp), whose message holds no
    // value. Default: the text is the target as is, with no secret (SQLite's path).
    virtual connection_spec parse_connection(std::string_view s) const;
    // --- writes that return keys (insert_all of generated keys, upsert) -------------
    // One INSERT of many rows (column-major; the generated key's column is left out,
    // its vector empty) that returns one row per input row: the generated key. Where
    // the statement returns them in input order, `sorted` stays false; where it
    // returns them in any order, it sets `sorted`: the keys then increase in input
    // order and the caller sorts them (each backend says why that is exact).
    virtual std::string insert_many_returning(const table_info& t, const std::vector<std::vector<param>>& columns,
                                              params& ps, bool& sorted) const = 0;
    // Insert, or on a conflict on the `conflict` columns update the `update` columns
    // (none: do nothing; `version`: a column bumped by one on update, npos if none).
    // Column-major rows as for insert_many (the key's vector empty when generated).
    // Returns the statement; when `keys_returned`, it returns one row per input row in
    // input order: the row's key, one column per key column (NULL where it could not
    // see it). Otherwise the caller runs upsert_keys() next, in the same transaction.
    // `read_keys` false (the rows carry their key: a composite key is the conflict
    // target): the statement only writes, and `keys_returned` stays false.
    struct upsert_spec {
        std::vector<std::size_t> conflict;
        std::vector<std::size_t> update;
        std::size_t version = npos;
        bool read_keys = true;
    };
    virtual std::string upsert_many(const table_info& t, const upsert_spec& u,
                                    const std::vector<std::vector<param>>& columns, params& ps,
                                    bool& keys_returned) const = 0;
    // After upsert_many: SELECT the key of every input row, joined on the conflict
    // columns, one row per input row in input order (rows the join misses are absent).
    // Returns the row's 0-based input position, then each key column (t.key_columns()).
    virtual std::string upsert_keys(const table_info& t, const upsert_spec& u,
                                    const std::vector<std::vector<param>>& columns, params& ps) const;
    // --- prepared statements ----------------------------------------------------------
    // fetch() through the session's statement cache (nullptr: off). A backend that can
    // keep prepared statements on its connection reuses them by SQL text, prepares
    // again after a schema change made them stale, and throws stale_statement when
    // that happened inside a transaction. The default is fetch().
    virtual void fetch_cached(soci::session& s, statement_cache* cache, const std::string& sql, const params& ps,
                              std::span<const column_source> columns, const batch_sink& sink,
                              std::size_t batch_rows) const;

    // --- EXPLAIN (eagerload/explain.hpp; src/explain.cpp runs it) -------------------
    // `sql` under this database's EXPLAIN, in the form explain_read() reads.
    virtual std::string explain_statement(std::string_view sql) const = 0;
    // What EXPLAIN returned (each row's columns as text, tab-separated) as table scans
    // and the estimated rows.
    virtual void explain_read(const std::vector<std::string>& rows, level_explain& out) const = 0;

    // --- existing indexes (eagerload/index_advice.hpp; src/index_advice.cpp runs it) ---
    // A query of two columns, (index name, column name), one row per column of each
    // index on `table` (as declared: "sales.orders" or "orders"), ordered by index name
    // then position; a column that is an expression reads as NULL. Values are bound
    // (appended to `ps`, placeholders :p1, ...).
    virtual std::string index_columns_query(std::string_view table, params& ps) const = 0;
};

// The registry (src/backends/registry.cpp).
const backend& backend_for(dialect d);
// nullptr when no backend takes `scheme`.
const backend* backend_for_scheme(std::string_view scheme);
// "sqlite:PATH", "postgresql:CONNINFO", ...: for error messages.
std::string known_urls();

// The backends themselves, one per file in src/backends/.
const backend& sqlite_backend();
const backend& postgresql_backend();
const backend& mariadb_backend();

// A statement the database refused: database_error with its message (trimmed) and the
// statement; `sqlstate` (SQL standard codes; backends map their own codes to them)
// picks a more precise type: 23505 unique_violation, 23503 foreign_key_violation,
// 23502 not_null_violation. `table`/`constraint`: what the database named, if anything.
[[noreturn]] void throw_statement_error(std::string_view message, const std::string& sql,
                                        std::string_view sqlstate = {}, std::string_view table = {},
                                        std::string_view constraint = {});

// Shared text helpers for the backends.
void append_json_string(std::string& out, std::string_view s);
std::string format_double(double v);
// A JSON array of values ([1,"a",null]), and of rows given column-major ([[1,"a"],[2,"b"]]),
// for the backends that bind lists as JSON. `database` names who refuses NaN/infinity
// and text holding a NUL (std::invalid_argument).
std::string json_list(const std::vector<param>& items, const char* database);
// Given the table (`column_of`: the table column of each of `columns`, when they are not
// all of them in order), a refused value names its column and row.
std::string json_rows(const std::vector<std::vector<param>>& columns, const char* database,
                      const table_info* t = nullptr, const std::vector<std::size_t>* column_of = nullptr);
// The scalar fields of a JSON document in document order, as (key, value) with string
// values unquoted: how the backends read EXPLAIN's JSON without a JSON library.
std::vector<std::pair<std::string, std::string>> json_scalar_fields(std::string_view json);
// Runs a query on `s` directly (not through the execution layer: observers do not see
// it), each row's columns as text, tab-separated, NULL as "": EXPLAIN and catalog reads.
std::vector<std::string> text_rows(soci::session& s, const std::string& sql, const params& ps);

// Lowercase hex of raw bytes: "00ff".
std::string hex(std::string_view raw);
// A JSON array of keys: [1,2,3] or ["a","b"].
std::string json_keys(std::span<const long long> keys);
std::string json_keys(std::span<const std::string_view> keys);

}  // namespace eagerload::detail
