// PostgreSQL: lists and bulk rows travel as array parameters (= ANY(CAST(:p AS
// bigint[])), unnest(...)): one placeholder whatever the length, one SQL text per shape.
// Rows are read natively with libpq on the connection SOCI opened (one PQexecParams or
// PQexecPrepared round trip, rows streamed one PGresult each in single-row mode, text
// results parsed exactly by convert.hpp): SOCI's row path copies every value once
// more and cannot say which column a bad value was in.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "../backend.hpp"
#include "../connection_string.hpp"
#include "../convert.hpp"
#include "../statement_cache.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/explain_report.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

const char* array_type(col_type t) {
    switch (t) {
    case col_type::boolean: return "boolean[]";
    case col_type::int16: return "smallint[]";
    case col_type::int32: return "integer[]";
    case col_type::int64: return "bigint[]";
    case col_type::float32: return "real[]";
    case col_type::float64: return "double precision[]";
    case col_type::text:
    case col_type::enum_text: return "text[]";
    case col_type::timestamp: return "timestamp[]";
    case col_type::bytes: return "bytea[]";
    case col_type::decimal: return "numeric[]";
    }
    return "text[]";
}

void append_array_text(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

void append_array_item(std::string& out, const param& p) {
    switch (p.k) {
    case param::kind::null: out += "NULL"; break;
    case param::kind::integer: out += std::to_string(p.i); break;
    case param::kind::real:
        if (std::isnan(p.d)) out += "NaN";
        else if (std::isinf(p.d)) out += p.d > 0 ? "Infinity" : "-Infinity";
        else out += format_double(p.d);
        break;
    case param::kind::text: append_array_text(out, p.s); break;
    case param::kind::decimal: out += p.s; break;
    case param::kind::blob: append_array_text(out, "\\x" + hex(p.s)); break;
    }
}

std::string array_literal(const std::vector<param>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        append_array_item(out, items[i]);
    }
    out += '}';
    return out;
}

constexpr Oid bytea_oid = 17;
constexpr Oid real_oid = 700;

// Type OIDs (pg_type.dat) named in messages.
const char* type_name(Oid oid) {
    switch (oid) {
    case 16: return "boolean";
    case 17: return "bytea";
    case 20: return "bigint";
    case 21: return "smallint";
    case 23: return "integer";
    case 25: return "text";
    case 700: return "real";
    case 701: return "double precision";
    case 1043: return "character varying";
    case 1082: return "date";
    case 1114: return "timestamp";
    case 1184: return "timestamp with time zone";
    case 1700: return "numeric";
    default: return "a type with oid";
    }
}

// :p1 -> $1 (our placeholders are always :p<digits>, and our SQL has no literals).
std::string dollar_placeholders(const std::string& sql) {
    std::string out;
    out.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (sql[i] == ':' && i + 2 < sql.size() && sql[i + 1] == 'p' && sql[i + 2] >= '0' && sql[i + 2] <= '9') {
            out += '$';
            ++i;  // skip 'p'
        } else {
            out += sql[i];
        }
    }
    return out;
}

struct result_guard {
    PGresult* res;
    ~result_guard() { PQclear(res); }
};

// The libpq connection SOCI opened (the session is a postgresql one: opened by open()
// below, or by the caller of database::from_pool for this dialect). Not checked by
// UBSan's vptr sanitizer: the check needs the typeinfo of
// soci::postgresql_session_backend, which libsoci_postgresql.so does not export (nm -D
// lists no such symbol), so a -fsanitize=undefined build would not link. (The GNU spelling:
// GCC and Clang both take it; Clang ignores [[gnu::no_sanitize]] with a warning.)
__attribute__((no_sanitize("vptr"))) PGconn* connection(soci::session& s) {
    return static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;
}

// `ps` as libpq's text parameters: values[i] points into ps or texts.
struct text_params {
    std::vector<std::string> texts;
    std::vector<const char*> values;
    text_params(const params& ps, const std::string& sql);
};

text_params::text_params(const params& ps, const std::string& sql) : texts(ps.size()), values(ps.size(), nullptr) {
    for (std::size_t i = 0; i < ps.size(); ++i) {
        const param& p = ps[i];
        switch (p.k) {
        case param::kind::null: break;
        case param::kind::integer: texts[i] = std::to_string(p.i); break;
        case param::kind::real: append_array_item(texts[i], p); break;
        case param::kind::blob: texts[i] = "\\x" + hex(p.s); break;
        case param::kind::decimal: texts[i] = p.s; break;
        case param::kind::text:
            if (p.s.find('\0') != std::string::npos)
                throw_statement_error("PostgreSQL text cannot hold a NUL character (parameter :p" +
                                          std::to_string(i + 1) + ")",
                                      sql);
            break;
        }
        if (p.k == param::kind::text) values[i] = p.s.c_str();
        else if (p.k != param::kind::null) values[i] = texts[i].c_str();
    }
}

std::string_view error_field(const PGresult* res, int code) {
    const char* v = res ? PQresultErrorField(res, code) : nullptr;
    return v ? v : "";
}

// The failed result `res` (cleared here) as the exception throw_statement_error picks.
[[noreturn]] void throw_result_error(PGconn* conn, PGresult* res, const std::string& sql) {
    const result_guard g{res};
    throw_statement_error(res ? PQresultErrorMessage(res) : PQerrorMessage(conn), sql,
                          error_field(res, PG_DIAG_SQLSTATE), error_field(res, PG_DIAG_TABLE_NAME),
                          error_field(res, PG_DIAG_CONSTRAINT_NAME));
}

// Runs `sql` with `ps` as text parameters ($1, $2, ...): one PQexecParams round trip.
// `expected`: the result status that means success (PGRES_TUPLES_OK for rows); for a
// statement run for its effect, rows it may return (a SELECT) are fine too.
PGresult* run(soci::session& s, const std::string& sql, const params& ps, ExecStatusType expected) {
    PGconn* conn = connection(s);
    const text_params v(ps, sql);
    const std::string text = dollar_placeholders(sql);
    PGresult* res =
        PQexecParams(conn, text.c_str(), static_cast<int>(ps.size()), nullptr, v.values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(res);
    if (status == expected || (expected == PGRES_COMMAND_OK && status == PGRES_TUPLES_OK)) return res;
    throw_result_error(conn, res, sql);
}

// A statement prepared on the connection (PQprepare), kept by the session's cache.
struct pg_statement final : cached_statement {
    PGconn* conn;
    std::string name;
    pg_statement(PGconn* c, std::string n) : conn(c), name(std::move(n)) {}
    void evicted() noexcept override {
        try {  // frees it on the server; a failure (an aborted transaction) only leaves it there
            PQclear(PQexec(conn, ("DEALLOCATE " + name).c_str()));
        } catch (...) {
        }
    }
};

// A query's results as it streams them in single-row mode: one PGresult per row
// (PGRES_SINGLE_TUPLE), then one with none (PGRES_TUPLES_OK) or an error, then nullptr.
// What is left unread when it goes (a sink threw, a conversion failed) is read and
// dropped, so the connection takes the next statement.
class row_stream {
public:
    explicit row_stream(PGconn* conn) : conn_(conn) {}
    row_stream(const row_stream&) = delete;
    row_stream& operator=(const row_stream&) = delete;
    ~row_stream() { finish(); }
    PGresult* next() { return PQgetResult(conn_); }
    void finish() noexcept {
        while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    }

private:
    PGconn* conn_;
};

// After a PQsend*: rows come one PGresult each, so a level of any size never sits in
// one PGresult (at 1M rows that result was 122 MB, the largest part of a load's peak;
// docs/reliability.md, "Huge input"). Measured against one PGresult (4 columns, median
// of 41, loopback): 1,000 rows 0.49 ms against 0.38, 10,000 rows 6.1 against 9.5,
// 1M rows 753 against 1,203 (the big result's allocations cost more than a PGresult
// per row). A failure to switch (it cannot, right after a send) leaves one PGresult,
// which read_rows() takes as well.
void send_failed_unless(int sent, PGconn* conn, const std::string& sql) {
    if (!sent) throw_result_error(conn, nullptr, sql);
    PQsetSingleRowMode(conn);
}

// Runs `sql` as a prepared statement of the session's cache: PQprepare on first use,
// then one PQexecPrepared round trip (parsed and planned once per session), its rows
// streamed (row_stream). A schema change the statement cannot survive (0A000 "cached
// plan must not change result type"; 26000, the statement is gone) drops it: outside a
// transaction it is prepared again and run at once; inside one, which the failure
// aborted, stale_statement. Returns the first result; `rows` streams the rest.
PGresult* send_cached(PGconn* conn, statement_cache& cache, const std::string& sql, const params& ps,
                      const text_params& v, row_stream& rows) {
    cache.use_connection(conn);
    for (int attempt = 0;; ++attempt) {
        auto* kept = static_cast<pg_statement*>(cache.find(sql));
        if (kept) {
            cache.count_reuse();
        } else {
            auto fresh = std::make_unique<pg_statement>(conn, cache.next_name());
            const std::string text = dollar_placeholders(sql);
            PGresult* prep = PQprepare(conn, fresh->name.c_str(), text.c_str(), static_cast<int>(ps.size()), nullptr);
            if (PQresultStatus(prep) != PGRES_COMMAND_OK) throw_result_error(conn, prep, sql);
            PQclear(prep);
            kept = static_cast<pg_statement*>(cache.insert(sql, std::move(fresh)));
        }
        send_failed_unless(PQsendQueryPrepared(conn, kept->name.c_str(), static_cast<int>(ps.size()),
                                               v.values.data(), nullptr, nullptr, 0),
                           conn, sql);
        PGresult* res = rows.next();
        const ExecStatusType status = PQresultStatus(res);
        if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) return res;
        const std::string_view state = error_field(res, PG_DIAG_SQLSTATE);
        if (state != "0A000" && state != "26000") return res;  // read_rows() throws it
        rows.finish();  // the connection is idle again: its transaction status is known
        const bool idle = PQtransactionStatus(conn) == PQTRANS_IDLE;
        cache.erase(sql, idle);  // DEALLOCATE it where the connection still takes statements
        if (idle && attempt == 0) {
            PQclear(res);
            continue;
        }
        const result_guard g{res};
        throw stale_statement("eagerload: " + std::string(PQresultErrorMessage(res)) +
                                  "  (a table under this prepared statement changed since the session prepared it; "
                                  "the transaction it ran in is aborted; the statement is prepared again on its next "
                                  "use: retry the transaction)\n  statement: " +
                                  (sql.size() > 2000 ? sql.substr(0, 2000) + "..." : sql),
                              sql);
    }
}

// libpq's keys that hold secrets.
constexpr std::string_view secret_keys[] = {"password", "sslpassword"};

// libpq's keywords (PQconndefaults), and "ssl", which libpq's URIs take for sslmode=require.
bool libpq_knows(std::string_view key) {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> out;
        if (PQconninfoOption* options = PQconndefaults()) {
            for (const PQconninfoOption* o = options; o->keyword; ++o) out.emplace_back(o->keyword);
            PQconninfoFree(options);
            out.emplace_back("ssl");
        }
        return out;
    }();
    return keys.empty() || std::find(keys.begin(), keys.end(), key) != keys.end();  // empty: out of memory, libpq checks
}

// A libpq URI or key=value conninfo as the pairs libpq would read from it.
conn_params postgresql_params(std::string_view s) {
    static constexpr std::string_view schemes[] = {"postgresql", "postgres"};
    if (!is_uri(s, schemes)) return parse_key_value(s);
    const conn_uri u = parse_uri(s);
    conn_params ps;
    if (u.has_user) ps.push_back({"user", u.user});
    if (u.has_password) ps.push_back({"password", u.password});
    if (!u.hosts.empty()) {
        std::string hosts, ports;
        bool any_port = false;
        for (std::size_t i = 0; i < u.hosts.size(); ++i) {
            if (i) {
                hosts += ',';
                ports += ',';
            }
            hosts += u.hosts[i].host;
            ports += u.hosts[i].port;
            any_port = any_port || !u.hosts[i].port.empty();
        }
        if (hosts.find_first_not_of(',') != std::string::npos) ps.push_back({"host", hosts});
        if (any_port) ps.push_back({"port", ports});
    }
    if (u.has_path && !u.path.empty()) ps.push_back({"dbname", u.path});
    ps.insert(ps.end(), u.query.begin(), u.query.end());
    return ps;
}

class postgresql_impl final : public backend {
public:
    dialect kind() const noexcept override { return dialect::postgresql; }
    const char* name() const noexcept override { return "postgresql"; }
    std::vector<std::string_view> schemes() const override { return {"postgresql", "postgres"}; }
    const char* url_example() const noexcept override {
        return "postgresql:host=H port=P dbname=D user=U\", \"postgresql://U:PASSWORD@H:P/D?sslmode=require";
    }

    void open(soci::session& s, const std::string& target) const override {
        s.open(soci::postgresql, target);
        s << "SET client_min_messages = warning";
    }

    bool set_statement_timeout(soci::session& s, std::chrono::milliseconds limit) const override {
        s << "SET statement_timeout = " + std::to_string(limit.count());
        return true;
    }

    std::string error_state(const std::exception& e) const override {
        const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e);
        return pg ? pg->sqlstate() : std::string();
    }

    std::size_t execute(soci::session& s, const std::string& sql, const params& ps) const override {
        const result_guard g{run(s, sql, ps, PGRES_COMMAND_OK)};
        const char* n = PQcmdTuples(g.res);
        return n && *n ? static_cast<std::size_t>(std::stoull(n)) : 0;
    }

    bool streams_rows() const noexcept override { return true; }
    void fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
               const batch_sink& sink, std::size_t batch_rows) const override {
        PGconn* conn = connection(s);
        const text_params v(ps, sql);
        const std::string text = dollar_placeholders(sql);
        send_failed_unless(PQsendQueryParams(conn, text.c_str(), static_cast<int>(ps.size()), nullptr,
                                             v.values.data(), nullptr, nullptr, 0),
                           conn, sql);
        row_stream rows(conn);
        read_rows(conn, rows, rows.next(), sql, columns, sink, batch_rows);
    }

    void fetch_cached(soci::session& s, statement_cache* cache, const std::string& sql, const params& ps,
                      std::span<const column_source> columns, const batch_sink& sink,
                      std::size_t batch_rows) const override {
        if (!cache) return fetch(s, sql, ps, columns, sink, batch_rows);
        PGconn* conn = connection(s);
        const text_params v(ps, sql);
        row_stream rows(conn);
        PGresult* first = send_cached(conn, *cache, sql, ps, v, rows);
        read_rows(conn, rows, first, sql, columns, sink, batch_rows);
    }

    // Hands the rows of `first` and of every later result of `rows` (each cleared here)
    // to `sink`, in batches of `batch_rows`: at most one row's PGresult and one batch are
    // alive at a time.
    static void read_rows(PGconn* conn, row_stream& rows, PGresult* first, const std::string& sql,
                          std::span<const column_source> columns, const batch_sink& sink, std::size_t batch_rows) {
        result_batch batch;
        std::vector<Oid> oids;
        bool started = false, complete = false;
        std::string raw;
        for (PGresult* res = first; res; res = rows.next()) {
            const ExecStatusType status = PQresultStatus(res);
            if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK) throw_result_error(conn, res, sql);
            complete = status == PGRES_TUPLES_OK;
            const result_guard g{res};
            const int nrows = PQntuples(res);
            const int ncols = PQnfields(res);
            if (!started) {
                check_column_count(static_cast<std::size_t>(ncols), columns, sql);
                // One result with every row (single-row mode refused): a batch no larger than it.
                const std::size_t size = status == PGRES_TUPLES_OK ? static_cast<std::size_t>(nrows) : batch_rows;
                batch = make_batch(columns, std::min<std::size_t>(batch_rows, size));
                oids.resize(columns.size());
                for (std::size_t c = 0; c < columns.size(); ++c) oids[c] = PQftype(res, static_cast<int>(c));
                started = true;
            }
            for (int row = 0; row < nrows; ++row) {
                const std::size_t r = batch.rows;
                for (int c = 0; c < ncols; ++c) {
                    column_data& col = batch.columns[static_cast<std::size_t>(c)];
                    col.nulls[r] = PQgetisnull(res, row, c) != 0;
                    if (col.nulls[r]) continue;
                    const std::string_view v(PQgetvalue(res, row, c), static_cast<std::size_t>(PQgetlength(res, row, c)));
                    const Oid oid = oids[static_cast<std::size_t>(c)];
                    bool ok;
                    if (oid == bytea_oid && col.type == col_type::bytes) ok = decode_bytea(v, raw) && store_bytes(col, r, raw);
                    else if (oid == real_oid) ok = store_float_text(col, r, v);  // real prints its float's shortest text
                    else ok = store_text(col, r, v);
                    if (!ok) {
                        const column_source& src = columns[static_cast<std::size_t>(c)];
                        const std::string_view key =
                            src.key < columns.size() ? std::string_view(PQgetvalue(res, row, static_cast<int>(src.key)))
                                                     : std::string_view();
                        throw_conversion(src, key, v, type_name(oid));
                    }
                }
                if (++batch.rows == batch_rows) {
                    sink(batch);
                    batch.rows = 0;
                }
            }
        }
        // Every stream ends in PGRES_TUPLES_OK or an error; anything else is a broken
        // connection, never a short result.
        if (!complete) throw_result_error(conn, nullptr, sql);
        if (batch.rows > 0) sink(batch);
    }

    // A text enum's column may be a PostgreSQL enum type, which has no = with text[]:
    // compared as text (a no-op cast on a text column, whose index stays usable).
    std::string in_list(std::string_view column_sql, col_type t, std::string_view ph) const override {
        std::string r = t == col_type::enum_text ? "CAST(" + std::string(column_sql) + " AS text)" : std::string(column_sql);
        r += " = ANY(CAST(";
        r += ph;
        r += " AS ";
        r += array_type(t);
        r += "))";
        return r;
    }

    std::string encode_list(col_type, const std::vector<param>& items) const override { return array_literal(items); }

    std::string encode_keys(std::span<const long long> keys) const override {
        std::string out = json_keys(keys);  // [1,2] -> {1,2}
        out.front() = '{';
        out.back() = '}';
        return out;
    }
    std::string encode_keys(std::span<const std::string_view> keys) const override {
        std::string out = "{";
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (i) out += ',';
            append_array_text(out, keys[i]);
        }
        out += '}';
        return out;
    }

    const char* sql_type(col_type t) const override {
        switch (t) {
        case col_type::boolean: return "BOOLEAN";
        case col_type::int16: return "SMALLINT";
        case col_type::int32: return "INTEGER";
        case col_type::int64: return "BIGINT";
        case col_type::float32: return "REAL";
        case col_type::float64: return "DOUBLE PRECISION";
        case col_type::text:
        case col_type::enum_text: return "TEXT";
        case col_type::timestamp: return "TIMESTAMP";
        case col_type::bytes: return "BYTEA";
        case col_type::decimal: return "NUMERIC";
        }
        return "TEXT";
    }

    // Column c's value `v` (a column of unnest's text/number arrays) in column c's own
    // type. A PostgreSQL enum type (CREATE TYPE ... AS ENUM) is not assigned from text,
    // and the statement cannot name that type (only the table is declared): an enum
    // member's value is read through the table's row type, which knows it, whatever it is.
    //   (json_populate_record(CAST(NULL AS "cells"), json_build_object(CAST(:p1 AS text), "c1")))."v"
    // Placeholders number in order of appearance: call this where its text goes.
    std::string as_column_type(const table_info& t, std::size_t c, const std::string& v, params& ps) const {
        if (t.columns[c].type != col_type::enum_text) return v;
        ps.push_back(param::text(t.columns[c].name));
        return "(json_populate_record(CAST(NULL AS " + table(t.name) + "), json_build_object(CAST(:p" +
               std::to_string(ps.size()) + " AS text), " + v + ")))." + quoted(t.columns[c].name);
    }

    // One array per column: the arrays, appended to ps in column order, skipping `skip`.
    std::string column_arrays(const table_info& t, const std::vector<std::vector<param>>& columns, std::size_t skip,
                              params& ps) const {
        std::string arrays;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == skip) continue;
            if (!arrays.empty()) arrays += ", ";
            ps.push_back(param::text(array_literal(columns[c])));
            arrays += "CAST(:p" + std::to_string(ps.size()) + " AS " + array_type(t.columns[c].type) + ")";
        }
        return arrays;
    }

    //   INSERT INTO "cells" ("id", "v") SELECT "c0", "c1" FROM unnest(CAST(:p1 AS bigint[]), ...) AS "el_in"("c0", "c1")
    std::string insert_many(const table_info& t, const std::vector<std::vector<param>>& columns,
                            params& ps) const override {
        std::string names, values, in_names;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c) {
                names += ", ";
                values += ", ";
                in_names += ", ";
            }
            quote(names, t.columns[c].name);
            const std::string v = "\"c" + std::to_string(c) + "\"";
            in_names += v;
            values += as_column_type(t, c, v, ps);  // before the arrays: they come after in the text
        }
        const std::string arrays = column_arrays(t, columns, npos, ps);
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM unnest(" + arrays +
               ") AS \"el_in\"(" + in_names + ")";
    }

    const char* soci_name() const noexcept override { return "postgresql"; }
    // libpq tracks it from every result, without a round trip: INERROR after a failed
    // statement (the transaction is aborted), IDLE once it ended, UNKNOWN when the
    // connection is bad.
    bool in_transaction(soci::session& s, bool) const noexcept override {
        return PQtransactionStatus(connection(s)) == PQTRANS_INTRANS;
    }

    // URIs (postgresql://, postgres://) and key=value conninfo, quoted values included.
    // SOCI 4.0.3 re-splits a conninfo at every space (a quoted 'my secret' breaks) and
    // cannot take a URI without '='; libpq reads both. So the target is always the URI
    // form with every key in the query, percent-encoded: postgresql://?host=h&password=p,
    // which SOCI passes through untouched (one token, at least one '=').
    connection_spec parse_connection(std::string_view s) const override {
        const conn_params ps = postgresql_params(s);
        // An unknown keyword (a misspelt "pasword") would be shown in messages: refuse it
        // first, by name only (libpq would refuse it too).
        for (const conn_param& p : ps)
            if (!libpq_knows(p.key))
                throw connection_string_error("unknown key \"" + p.key + "\" (not a libpq connection keyword)");
        connection_spec spec;
        for (const conn_param& p : ps) {
            spec.target += spec.target.empty() ? "postgresql://?" : "&";
            spec.target += percent_encode(p.key) + '=' + percent_encode(p.value);
            for (std::string_view k : secret_keys)
                if (p.key == k && !p.value.empty()) {
                    spec.secrets.push_back(p.value);
                    spec.secrets.push_back(percent_encode(p.value));
                }
        }
        spec.description = describe(ps, secret_keys);
        return spec;
    }

    // Exact by construction, one statement: a MATERIALIZED CTE draws one key per input
    // row from the key column's sequence (IDENTITY or SERIAL) beside the row's ordinal,
    // a data-modifying CTE inserts those rows with those keys, and the statement
    // returns the keys ordered by ordinal. No reliance on the order of RETURNING.
    //   WITH "el_rows" AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence(:p1, :p2)) AS "el_key", "el_in".*
    //          FROM unnest(CAST(:p3 AS text[]), ...) WITH ORDINALITY AS "el_in"("c1", ..., "el_ord")),
    //        "el_insert" AS (INSERT INTO "orders" ("id", "status", ...) OVERRIDING SYSTEM VALUE
    //          SELECT "el_key", "c1", ... FROM "el_rows")
    //   SELECT "el_key" FROM "el_rows" ORDER BY "el_ord"
    std::string insert_many_returning(const table_info& t, const std::vector<std::vector<param>>& columns,
                                      params& ps, bool& sorted) const override {
        sorted = false;
        ps.push_back(param::text(table(t.name)));  // parsed as an identifier: quoted as in our SQL
        ps.push_back(param::text(t.columns[t.key].name));  // taken literally
        const std::string arrays = column_arrays(t, columns, t.key, ps);
        std::string in_names, names, values;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == t.key) continue;
            const std::string v = "\"c" + std::to_string(c) + "\"";
            if (!in_names.empty()) in_names += ", ";
            in_names += v;
            names += ", ";
            quote(names, t.columns[c].name);
            values += ", " + as_column_type(t, c, v, ps);  // after the arrays, as in the text
        }
        return "WITH \"el_rows\" AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence(:p1, :p2)) AS \"el_key\", "
               "\"el_in\".* FROM unnest(" + arrays + ") WITH ORDINALITY AS \"el_in\"(" + in_names +
               ", \"el_ord\")), \"el_insert\" AS (INSERT INTO " + table(t.name) + " (" + quoted(t.columns[t.key].name) +
               names + ") OVERRIDING SYSTEM VALUE SELECT \"el_key\"" + values +
               " FROM \"el_rows\") SELECT \"el_key\" FROM \"el_rows\" ORDER BY \"el_ord\"";
    }

    // One statement, keys of every input row in input order:
    //   WITH "el_in" AS (SELECT * FROM unnest(...) WITH ORDINALITY AS "el_in"("c0", ..., "el_ord")),
    //        "el_up" AS (INSERT INTO "products" AS "el_t" (...) SELECT "c0", ... FROM "el_in" ORDER BY "el_ord"
    //          ON CONFLICT ("sku") DO UPDATE SET "price" = EXCLUDED."price"   -- or DO NOTHING
    //          RETURNING "el_t"."id" AS "el_key", "el_t"."sku" AS "k0")
    //   SELECT COALESCE("el_up"."el_key", "el_old"."id") FROM "el_in"
    //     LEFT JOIN "el_up" ON "el_up"."k0" = "el_in"."c3"
    //     LEFT JOIN "products" AS "el_old" ON "el_old"."sku" = "el_in"."c3" ORDER BY "el_in"."el_ord"
    // A composite key has one "el_key" column per key column ("el_key", "el_key1", ...).
    // Without read_keys (a composite key as the target: the rows carry it), the upsert alone:
    //   INSERT INTO "lines" AS "el_t" (...) SELECT "c0", ... FROM unnest(...) WITH ORDINALITY
    //     AS "el_in"("c0", ..., "el_ord") ORDER BY "el_ord" ON CONFLICT ("order_id", "line_no") DO ...
    // Inserted and updated rows come from RETURNING; a row DO NOTHING skipped is the
    // existing row, read from the statement's snapshot. A conflicting row committed by
    // another transaction after that snapshot was taken (READ COMMITTED only: stricter
    // levels fail with a serialization error instead) comes back NULL, and the caller
    // throws rather than guess.
    std::string upsert_many(const table_info& t, const upsert_spec& u, const std::vector<std::vector<param>>& columns,
                            params& ps, bool& keys_returned) const override {
        keys_returned = true;
        const std::size_t skip = t.generated_key ? t.key : npos;
        const std::string arrays = column_arrays(t, columns, skip, ps);
        std::string in_names, names, values;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == skip) continue;
            const std::string v = "\"c" + std::to_string(c) + "\"";
            if (!in_names.empty()) {
                in_names += ", ";
                names += ", ";
                values += ", ";
            }
            in_names += v;
            quote(names, t.columns[c].name);
            values += as_column_type(t, c, v, ps);  // after the arrays, as in the text
        }
        std::string target, returning, join_up, join_old;
        for (std::size_t i = 0; i < u.conflict.size(); ++i) {
            const std::size_t c = u.conflict[i];
            const std::string col = quoted(t.columns[c].name);
            const std::string v = "\"el_in\".\"c" + std::to_string(c) + "\"";
            target += (i ? ", " : "") + col;
            const std::string k = "\"k" + std::to_string(i) + "\"";
            returning += ", \"el_t\"." + col + " AS " + k;
            // An enum column (possibly a PostgreSQL enum type) is compared as text, like the input.
            const bool as_text = t.columns[c].type == col_type::enum_text;
            const std::string up = "\"el_up\"." + k, old = "\"el_old\"." + col;
            join_up += (i ? " AND " : "") + (as_text ? "CAST(" + up + " AS text)" : up) + " = " + v;
            join_old += (i ? " AND " : "") + (as_text ? "CAST(" + old + " AS text)" : old) + " = " + v;
        }
        std::string action;
        if (u.update.empty()) {
            action = "DO NOTHING";
        } else {
            action = "DO UPDATE SET ";
            for (std::size_t i = 0; i < u.update.size(); ++i) {
                const std::string col = quoted(t.columns[u.update[i]].name);
                action += (i ? ", " : "") + col + " = EXCLUDED." + col;
            }
            if (u.version != npos) {
                const std::string col = quoted(t.columns[u.version].name);
                action += ", " + col + " = \"el_t\"." + col + " + 1";
            }
        }
        if (!u.read_keys) {  // the rows carry their key: the upsert alone
            keys_returned = false;
            return "INSERT INTO " + table(t.name) + " AS \"el_t\" (" + names + ") SELECT " + values + " FROM unnest(" +
                   arrays + ") WITH ORDINALITY AS \"el_in\"(" + in_names + ", \"el_ord\") ORDER BY \"el_ord\" ON CONFLICT (" +
                   target + ") " + action;
        }
        // Each key column: "el_key" (a composite key's next ones "el_key1", ...) from
        // RETURNING, else the existing row's.
        std::string key_returning, key_select;
        const auto key_columns = t.key_columns();
        for (std::size_t i = 0; i < key_columns.size(); ++i) {
            const std::string key = quoted(t.columns[key_columns[i]].name);
            const std::string k = i ? "\"el_key" + std::to_string(i) + '"' : std::string("\"el_key\"");
            key_returning += (i ? ", \"el_t\"." : "\"el_t\".") + key + " AS " + k;
            key_select += (i ? ", COALESCE(\"el_up\"." : "COALESCE(\"el_up\".") + k + ", \"el_old\"." + key + ')';
        }
        return "WITH \"el_in\" AS (SELECT * FROM unnest(" + arrays + ") WITH ORDINALITY AS \"el_in\"(" + in_names +
               ", \"el_ord\")), \"el_up\" AS (INSERT INTO " + table(t.name) + " AS \"el_t\" (" + names + ") SELECT " +
               values + " FROM \"el_in\" ORDER BY \"el_ord\" ON CONFLICT (" + target + ") " + action +
               " RETURNING " + key_returning + returning + ") SELECT " + key_select +
               " FROM \"el_in\" LEFT JOIN \"el_up\" ON " + join_up + " LEFT JOIN " + table(t.name) +
               " AS \"el_old\" ON " + join_old + " ORDER BY \"el_in\".\"el_ord\"";
    }

    // --- EXPLAIN -----------------------------------------------------------------
    std::string index_columns_query(std::string_view table, params& ps) const override {
        // The table by its quoted name (search_path applies as in the statements).
        ps.push_back(param::text(this->table(table)));
        return "SELECT c.relname, a.attname FROM pg_index i "
               "JOIN pg_class c ON c.oid = i.indexrelid "
               "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos) "
               "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 "
               "WHERE i.indrelid = to_regclass(:p1) ORDER BY c.relname, k.pos";
    }
    std::string explain_statement(std::string_view sql) const override {
        return "EXPLAIN (FORMAT JSON) " + std::string(sql);
    }
    // One row of JSON. A node's own fields come before its "Plans": the fields after a
    // "Node Type" are that node's until the next. A Bitmap Heap Scan's index is named by
    // the Bitmap Index Scan below it.
    void explain_read(const std::vector<std::string>& rows, level_explain& out) const override {
        struct node {
            std::string type, relation, index;
        };
        std::vector<node> nodes;
        for (const std::string& row : rows)
            for (const auto& [k, v] : json_scalar_fields(row)) {
                if (k == "Node Type") nodes.push_back({v, {}, {}});
                else if (nodes.empty()) continue;
                else if (k == "Relation Name") nodes.back().relation = v;
                else if (k == "Index Name") nodes.back().index = v;
                else if (k == "Plan Rows" && !out.estimated_rows) out.estimated_rows = std::strtod(v.c_str(), nullptr);
            }
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const node& n = nodes[i];
            if (n.type == "Seq Scan") out.scans.push_back({n.relation, true, {}});
            else if (n.type == "Index Scan" || n.type == "Index Only Scan") out.scans.push_back({n.relation, false, n.index});
            else if (n.type == "Bitmap Heap Scan") {
                std::string index;
                for (std::size_t j = i + 1; j < nodes.size() && index.empty(); ++j)
                    if (nodes[j].type == "Bitmap Index Scan") index = nodes[j].index;
                out.scans.push_back({n.relation, false, index});
            }
        }
    }
};

}  // namespace

const backend& postgresql_backend() {
    static const postgresql_impl b;
    return b;
}

}  // namespace eagerload::detail
