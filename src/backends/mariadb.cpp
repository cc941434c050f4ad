// MariaDB (10.6+; tested with 10.11) through SOCI's MySQL backend. Lists and bulk rows
// travel as ONE JSON text parameter read by JSON_TABLE: one placeholder whatever the
// length, one SQL text per shape.
//
// Binding: SOCI 4.0.3's MySQL backend does not use server-side prepared statements.
// It substitutes each bound value into the statement text on the client, as a
// literal escaped by mysql_real_escape_string() (which follows the session's
// NO_BACKSLASH_ESCAPES), just before sending it. That is SOCI's binding and the only
// one its MySQL backend has; eagerload still never puts a value into SQL text itself.
// The SQL eagerload renders holds only identifiers from declarations, placeholders,
// and the fixed literals '$[*]', '$' and '$[N]' (JSON paths).
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <cmath>
#include <stdexcept>

#include "../backend.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/explain_report.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

// The widest DECIMAL: 65 digits, 30 after the point.
constexpr const char* decimal_type = "DECIMAL(65,30)";

// The type a JSON_TABLE column reads a value as, before it meets the real column.
const char* json_table_type(col_type t) {
    switch (t) {
    case col_type::boolean:
    case col_type::int16:
    case col_type::int32:
    case col_type::int64: return "BIGINT";
    case col_type::float32:
    case col_type::float64: return "DOUBLE";
    case col_type::text:
    case col_type::enum_text:
    case col_type::bytes: return "LONGTEXT";  // never truncates (a VARCHAR(N) would, silently); bytes as hex
    case col_type::timestamp: return "DATETIME(6)";
    case col_type::decimal: return decimal_type;
    }
    return "LONGTEXT";
}

// Bytes travel as hex text and become bytes in SQL (UNHEX): SOCI substitutes a bound
// string into the statement text as a utf8mb4 literal, which neither carries a zero
// byte nor every byte sequence. A decimal is CAST to DECIMAL so that the database
// compares it as a decimal, not as a double (MariaDB compares a string with a DECIMAL
// column as doubles). `:pN` -> `UNHEX(:pN)` / `CAST(:pN AS DECIMAL(65,30))`.
bool needs_wrapping(const params& ps) {
    for (const param& p : ps)
        if (p.k == param::kind::blob || p.k == param::kind::decimal) return true;
    return false;
}
std::string wrap_placeholders(const std::string& sql, params& ps) {
    std::string out;
    out.reserve(sql.size() + 16);
    for (std::size_t i = 0; i < sql.size();) {
        if (sql[i] == ':' && i + 2 < sql.size() && sql[i + 1] == 'p' && sql[i + 2] >= '0' && sql[i + 2] <= '9') {
            std::size_t end = i + 2;
            std::size_t n = 0;
            while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') n = n * 10 + static_cast<std::size_t>(sql[end++] - '0');
            const std::string ph = sql.substr(i, end - i);
            param* p = n >= 1 && n <= ps.size() ? &ps[n - 1] : nullptr;
            if (p && p->k == param::kind::blob) {
                *p = param::text(hex(p->s));
                out += "UNHEX(" + ph + ")";
            } else if (p && p->k == param::kind::decimal) {
                *p = param::text(std::move(p->s));
                out += "CAST(" + ph + " AS " + decimal_type + ")";
            } else {
                out += ph;
            }
            i = end;
        } else {
            out += sql[i++];
        }
    }
    return out;
}

// True when the SOCI MySQL connection string names a charset itself.
bool has_charset(const std::string& conn) {
    for (std::size_t pos = conn.find("charset"); pos != std::string::npos; pos = conn.find("charset", pos + 1)) {
        const bool starts_word = pos == 0 || conn[pos - 1] == ' ' || conn[pos - 1] == '\t';
        std::size_t after = pos + 7;
        while (after < conn.size() && (conn[after] == ' ' || conn[after] == '\t')) ++after;
        if (starts_word && after < conn.size() && conn[after] == '=') return true;
    }
    return false;
}

class mariadb_impl final : public backend {
public:
    dialect kind() const noexcept override { return dialect::mariadb; }
    const char* name() const noexcept override { return "mariadb"; }
    std::vector<std::string_view> schemes() const override { return {"mariadb", "mysql"}; }
    const char* url_example() const noexcept override { return "mariadb:db=D user=U host=H port=P"; }

    // `target`: SOCI's MySQL form, "db=D user=U password=X host=H port=P [charset=C]".
    // utf8mb4 unless it names a charset: anything less loses 4-byte UTF-8 (emoji).
    void open(soci::session& s, const std::string& target) const override {
        s.open(soci::mysql, has_charset(target) ? target : target + " charset=utf8mb4");
        // sql_mode: strict (an out-of-range or too-long value is an error, not a silent
        // truncation); NO_BACKSLASH_ESCAPES (a backslash in a string literal is a
        // backslash, as in standard SQL; SOCI's escaping follows it); no ANSI_QUOTES:
        // identifiers are quoted with backticks. NO_ZERO_DATE is left out: it only
        // rejects writes, and eagerload never writes a zero date; reading one is a
        // conversion error naming the column. time_zone: UTC, so NOW() and
        // TIMESTAMP columns agree with eagerload::timestamp (DATETIME has no zone).
        s << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,"
             "NO_BACKSLASH_ESCAPES', time_zone = '+00:00'";
    }

    // MariaDB cannot name the isolation level in START TRANSACTION: SET TRANSACTION
    // sets it for the next transaction only. A load's snapshot (REPEATABLE READ, read
    // only) starts its consistent read at once, not at its first SELECT.
    void begin(soci::session& s, isolation level, bool read_only) const override {
        switch (level) {
        case isolation::default_level: break;
        case isolation::read_committed: s << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED"; break;
        case isolation::repeatable_read: s << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"; break;
        case isolation::serializable: s << "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"; break;
        }
        std::string sql = "START TRANSACTION";
        if (level == isolation::repeatable_read) sql += " WITH CONSISTENT SNAPSHOT";
        if (read_only) sql += level == isolation::repeatable_read ? ", READ ONLY" : " READ ONLY";
        s << sql;
    }

    void quote(std::string& out, std::string_view name) const override {
        out += '`';
        for (char c : name) {
            if (c == '`') out += '`';
            out += c;
        }
        out += '`';
    }

    // No OFFSET without LIMIT: the largest LIMIT stands for "all".
    std::string limit_offset(const std::string* limit_ph, const std::string* offset_ph) const override {
        if (!limit_ph && offset_ph) return " LIMIT 18446744073709551615 OFFSET " + *offset_ph;
        return backend::limit_offset(limit_ph, offset_ph);
    }

    // Text keys partition by their bytes: under a case-insensitive collation 'abc' and
    // 'ABC' would share one partition, and one parent's limit would eat the other's rows.
    std::string row_number(std::string_view partition_sql, col_type key_type,
                           std::string_view order_sql) const override {
        if (key_type != col_type::text) return backend::row_number(partition_sql, key_type, order_sql);
        return "ROW_NUMBER() OVER (PARTITION BY CAST(" + std::string(partition_sql) + " AS BINARY) ORDER BY " +
               std::string(order_sql) + ")";
    }

    // `column IN (SELECT v FROM JSON_TABLE(:p, '$[*]' COLUMNS (v BIGINT PATH '$')))`.
    // Text: the list's values are JSON_UNQUOTE()d from a JSON column, which makes them
    // "coercible" (the collation of a literal): the comparison takes the column's
    // collation, as `column = 'literal'` does, and a column whose collation differs
    // from the connection's (utf8mb4_unicode_ci, latin1) raises no "Illegal mix of
    // collations". The index on the column stays usable. Where that collation
    // ignores case, a prefetch may get rows whose key differs from every parent key
    // in case only: the loader then stops with an error naming the column.
    std::string in_list(std::string_view column_sql, col_type t, std::string_view ph) const override {
        std::string r(column_sql);
        if (t == col_type::text) {
            r += " IN (SELECT JSON_UNQUOTE(`v`) FROM JSON_TABLE(";
            r += ph;
            r += ", '$[*]' COLUMNS (`v` JSON PATH '$')) AS `el_list`)";
        } else {
            r += " IN (SELECT `v` FROM JSON_TABLE(";
            r += ph;
            r += ", '$[*]' COLUMNS (`v` ";
            r += json_table_type(t);
            r += " PATH '$')) AS `el_list`)";
        }
        return r;
    }

    std::string encode_keys(std::span<const long long> keys) const override { return json_keys(keys); }
    std::string encode_keys(std::span<const std::string_view> keys) const override { return json_keys(keys); }

    std::string encode_list(col_type, const std::vector<param>& items) const override {
        return json_list(items, "MariaDB");
    }

    const char* sql_type(col_type t) const override {
        switch (t) {
        case col_type::boolean: return "BOOLEAN";
        case col_type::int16: return "SMALLINT";
        case col_type::int32: return "INT";
        case col_type::int64: return "BIGINT";
        case col_type::float32: return "FLOAT";
        case col_type::float64: return "DOUBLE";
        case col_type::text:
        case col_type::enum_text: return "LONGTEXT";       // TEXT stops at 64 KiB
        case col_type::timestamp: return "DATETIME(6)";  // TIMESTAMP converts time zones and stops in 2038
        case col_type::bytes: return "LONGBLOB";
        case col_type::decimal: return decimal_type;     // the widest; an existing DECIMAL(p,s) reads as well
        }
        return "LONGTEXT";
    }

    // A text key must be indexable (no TEXT) and compare as std::string does: byte for
    // byte, trailing spaces included (NO PAD), so 'abc' and 'ABC' are two keys.
    std::string generated_key(col_type t) const override {
        return std::string(sql_type(t)) + " NOT NULL AUTO_INCREMENT PRIMARY KEY";
    }

    // MariaDB's error numbers as the SQLSTATEs of typed constraint errors.
    std::string error_state(const std::exception& e) const override {
        const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e);
        if (!m) return {};
        switch (m->err_num_) {
        case 1062: return "23505";                                // ER_DUP_ENTRY
        case 1216: case 1217: case 1451: case 1452: return "23503";  // ER_(NO_REFERENCED|ROW_IS_REFERENCED)*
        case 1048: case 1364: return "23502";                     // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
        default: return {};
        }
    }

    // FLOAT prints 6 significant digits (123456789 as 123457000): ask for the float's
    // exact value as a DOUBLE.
    std::string select_column(std::string column_sql, col_type t) const override {
        if (t != col_type::float32) return column_sql;
        return "CAST(" + column_sql + " AS DOUBLE)";
    }

    std::size_t execute(soci::session& s, const std::string& sql, const params& ps) const override {
        if (!needs_wrapping(ps)) return backend::execute(s, sql, ps);
        params wrapped = ps;
        return backend::execute(s, wrap_placeholders(sql, wrapped), wrapped);
    }
    void fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
               const batch_sink& sink, std::size_t batch_rows) const override {
        if (!needs_wrapping(ps)) return backend::fetch(s, sql, ps, columns, sink, batch_rows);
        params wrapped = ps;
        backend::fetch(s, wrap_placeholders(sql, wrapped), wrapped, columns, sink, batch_rows);
    }

    const char* key_sql_type(col_type t) const override {
        if (t == col_type::text) return "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin";
        return sql_type(t);
    }

    // INSERT INTO t (a, b) SELECT `c0`, `c1` FROM JSON_TABLE(:p, '$[*]' COLUMNS
    // (`c0` BIGINT PATH '$[0]', `c1` LONGTEXT PATH '$[1]')): the chunk's rows as ONE
    // JSON array of arrays, one statement. JSON null reads as SQL NULL.
    std::string insert_many(const table_info& t, const std::vector<std::vector<param>>& columns,
                            params& ps) const override {
        std::string names, values, defs;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c) {
                names += ", ";
                values += ", ";
                defs += ", ";
            }
            quote(names, t.columns[c].name);
            const std::string v = "`c" + std::to_string(c) + "`";
            values += t.columns[c].type == col_type::bytes ? "UNHEX(" + v + ")" : v;
            defs += v + ' ' + json_table_type(t.columns[c].type) + " PATH '$[" + std::to_string(c) + "]'";
        }
        ps.push_back(param::text(json_rows(columns, "MariaDB")));
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs + ")) AS `el_rows`";
    }

    // --- EXPLAIN -----------------------------------------------------------------
    std::string explain_statement(std::string_view sql) const override {
        return "EXPLAIN FORMAT=JSON " + std::string(sql);
    }
    // One row of JSON: each "table" object names table_name, access_type (ALL: full
    // scan; index: a full scan of an index), key and rows. The key list (JSON_TABLE
    // `el_list`) and derived tables (<subquery2>) are skipped.
    void explain_read(const std::vector<std::string>& rows, level_explain& out) const override {
        table_scan* current = nullptr;
        bool skipping = false;
        for (const std::string& row : rows)
            for (const auto& [k, v] : json_scalar_fields(row)) {
                if (k == "table_name") {
                    skipping = v == "el_list" || v.starts_with("<");
                    current = nullptr;
                    if (!skipping) {
                        out.scans.push_back({v, false, {}});
                        current = &out.scans.back();
                    }
                } else if (!current || skipping) {
                    continue;
                } else if (k == "access_type") {
                    current->full = v == "ALL" || v == "index";
                } else if (k == "key") {
                    current->index = v;
                } else if (k == "rows" && !out.estimated_rows) {
                    out.estimated_rows = std::strtod(v.c_str(), nullptr);
                }
            }
    }
};

}  // namespace

const backend& mariadb_backend() {
    static const mariadb_impl b;
    return b;
}

}  // namespace eagerload::detail
