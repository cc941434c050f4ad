// PostgreSQL: lists and bulk rows travel as array parameters (= ANY(CAST(:p AS
// bigint[])), unnest(...)): one placeholder whatever the length, one SQL text per shape.
// Rows are read natively with libpq on the connection SOCI opened (one PQexecParams,
// text results parsed exactly by convert.hpp): SOCI's row path copies every value once
// more and cannot say which column a bad value was in.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <cmath>
#include <memory>

#include "../backend.hpp"
#include "../convert.hpp"
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

// bytea's text output: hex ("\x00ff", the default) or the older escape format
// (bytea_output = 'escape': printable bytes as themselves, "\\" and "\ooo" octal).
bool decode_bytea(std::string_view s, std::string& out) {
    out.clear();
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') {
        if (s.size() % 2) return false;
        out.reserve((s.size() - 2) / 2);
        for (std::size_t i = 2; i < s.size(); i += 2) {
            const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
            if (hi < 0 || lo < 0) return false;
            out += static_cast<char>(hi * 16 + lo);
        }
        return true;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
        } else if (i + 1 < s.size() && s[i + 1] == '\\') {
            out += '\\';
            ++i;
        } else if (i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
                   s[i + 3] >= '0' && s[i + 3] <= '7') {
            out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            return false;
        }
    }
    return true;
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
// lists no such symbol), so a -fsanitize=undefined build would not link.
[[gnu::no_sanitize("vptr")]] PGconn* connection(soci::session& s) {
    return static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;
}

// Runs `sql` with `ps` as text parameters ($1, $2, ...): one PQexecParams round trip.
// `expected`: the result status that means success (PGRES_TUPLES_OK for rows); for a
// statement run for its effect, rows it may return (a SELECT) are fine too.
PGresult* run(soci::session& s, const std::string& sql, const params& ps, ExecStatusType expected) {
    PGconn* conn = connection(s);
    std::vector<std::string> texts(ps.size());
    std::vector<const char*> values(ps.size(), nullptr);
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
    const std::string text = dollar_placeholders(sql);
    PGresult* res =
        PQexecParams(conn, text.c_str(), static_cast<int>(ps.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(res);
    if (status == expected || (expected == PGRES_COMMAND_OK && status == PGRES_TUPLES_OK)) return res;
    const result_guard g{res};
    auto field = [&](int code) -> std::string_view {
        const char* v = res ? PQresultErrorField(res, code) : nullptr;
        return v ? v : "";
    };
    throw_statement_error(res ? PQresultErrorMessage(res) : PQerrorMessage(conn), sql, field(PG_DIAG_SQLSTATE),
                          field(PG_DIAG_TABLE_NAME), field(PG_DIAG_CONSTRAINT_NAME));
}

class postgresql_impl final : public backend {
public:
    dialect kind() const noexcept override { return dialect::postgresql; }
    const char* name() const noexcept override { return "postgresql"; }
    std::vector<std::string_view> schemes() const override { return {"postgresql", "postgres"}; }
    const char* url_example() const noexcept override { return "postgresql:host=H port=P dbname=D user=U"; }

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

    void fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
               const batch_sink& sink, std::size_t batch_rows) const override {
        const result_guard g{run(s, sql, ps, PGRES_TUPLES_OK)};
        const int nrows = PQntuples(g.res);
        const int ncols = PQnfields(g.res);
        check_column_count(static_cast<std::size_t>(ncols), columns, sql);
        result_batch batch = make_batch(columns, std::min<std::size_t>(batch_rows, static_cast<std::size_t>(nrows)));
        std::vector<Oid> oids(columns.size());
        for (std::size_t c = 0; c < columns.size(); ++c) oids[c] = PQftype(g.res, static_cast<int>(c));
        std::string raw;
        for (int row = 0; row < nrows; ++row) {
            const std::size_t r = batch.rows;
            for (int c = 0; c < ncols; ++c) {
                column_data& col = batch.columns[static_cast<std::size_t>(c)];
                col.nulls[r] = PQgetisnull(g.res, row, c) != 0;
                if (col.nulls[r]) continue;
                const std::string_view v(PQgetvalue(g.res, row, c), static_cast<std::size_t>(PQgetlength(g.res, row, c)));
                const Oid oid = oids[static_cast<std::size_t>(c)];
                bool ok;
                if (oid == bytea_oid && col.type == col_type::bytes) ok = decode_bytea(v, raw) && store_bytes(col, r, raw);
                else if (oid == real_oid) ok = store_float_text(col, r, v);  // real prints its float's shortest text
                else ok = store_text(col, r, v);
                if (!ok) {
                    const column_source& src = columns[static_cast<std::size_t>(c)];
                    const std::string_view key =
                        src.key < columns.size() ? std::string_view(PQgetvalue(g.res, row, static_cast<int>(src.key)))
                                                 : std::string_view();
                    throw_conversion(src, key, v, type_name(oids[static_cast<std::size_t>(c)]));
                }
            }
            if (++batch.rows == batch_rows) {
                sink(batch);
                batch.rows = 0;
            }
        }
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

    std::string insert_many(const table_info& t, const std::vector<std::vector<param>>& columns,
                            params& ps) const override {
        std::string names, arrays;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c) {
                names += ", ";
                arrays += ", ";
            }
            quote(names, t.columns[c].name);
            ps.push_back(param::text(array_literal(columns[c])));
            arrays += "CAST(:p" + std::to_string(ps.size()) + " AS " + array_type(t.columns[c].type) + ")";
        }
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT * FROM unnest(" + arrays + ")";
    }

    // --- EXPLAIN -----------------------------------------------------------------
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
