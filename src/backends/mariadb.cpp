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
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

// The type a JSON_TABLE column reads a value as, before it meets the real column.
const char* json_table_type(col_type t) {
    switch (t) {
    case col_type::boolean:
    case col_type::int32:
    case col_type::int64: return "BIGINT";
    case col_type::float64: return "DOUBLE";
    case col_type::text: return "LONGTEXT";  // never truncates (a VARCHAR(N) would, silently)
    case col_type::timestamp: return "DATETIME(6)";
    }
    return "LONGTEXT";
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

// SOCI's MySQL backend puts each value into the statement text and sends that as a C
// string: a NUL ends it there (a syntax error at best). Refused with a clear error.
void refuse_nul(const std::string& sql, const params& ps) {
    for (std::size_t i = 0; i < ps.size(); ++i)
        if (ps[i].k == param::kind::text && ps[i].s.find('\0') != std::string::npos)
            throw_statement_error("MariaDB (through SOCI's MySQL backend) cannot take a text value holding a NUL "
                                  "character (parameter :p" + std::to_string(i + 1) + ")",
                                  sql);
}

class mariadb_impl final : public backend {
public:
    std::size_t execute(soci::session& s, const std::string& sql, const params& ps) const override {
        refuse_nul(sql, ps);
        return backend::execute(s, sql, ps);
    }
    void fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
               const batch_sink& sink, std::size_t batch_rows) const override {
        refuse_nul(sql, ps);
        backend::fetch(s, sql, ps, columns, sink, batch_rows);
    }

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
        case col_type::int32: return "INT";
        case col_type::int64: return "BIGINT";
        case col_type::float64: return "DOUBLE";
        case col_type::text: return "LONGTEXT";       // TEXT stops at 64 KiB
        case col_type::timestamp: return "DATETIME(6)";  // TIMESTAMP converts time zones and stops in 2038
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
            values += v;
            defs += v + ' ' + json_table_type(t.columns[c].type) + " PATH '$[" + std::to_string(c) + "]'";
        }
        ps.push_back(param::text(json_rows(columns, "MariaDB", &t)));
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs + ")) AS `el_rows`";
    }

    // INSERT INTO `orders` (...) SELECT `c1`, ... FROM JSON_TABLE(:p1, '$[*]' COLUMNS (`el_ord`
    //   FOR ORDINALITY, `c1` BIGINT PATH '$[1]', ...)) AS `el_rows` ORDER BY `el_ord` RETURNING `id`
    // (INSERT ... RETURNING: MariaDB 10.5+). The order of RETURNING's rows is not
    // documented: the caller sorts the keys. Exact because the rows are inserted in
    // the ORDER BY's order and an AUTO_INCREMENT counter only grows, whatever
    // innodb_autoinc_lock_mode (with mode 2 other statements' keys may fall between
    // ours, never out of order) and auto_increment_increment.
    std::string insert_many_returning(const table_info& t, const std::vector<std::vector<param>>& columns,
                                      params& ps, bool& sorted) const override {
        sorted = true;
        std::string names, values, defs = "`el_ord` FOR ORDINALITY";
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == t.key) continue;
            if (!names.empty()) {
                names += ", ";
                values += ", ";
            }
            quote(names, t.columns[c].name);
            const std::string v = "`c" + std::to_string(c) + "`";
            values += v;
            defs += ", " + v + ' ' + json_table_type(t.columns[c].type) + " PATH '$[" + std::to_string(c) + "]'";
        }
        ps.push_back(param::text(json_rows(columns, "MariaDB", &t)));
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs + ")) AS `el_rows` ORDER BY `el_ord` RETURNING " +
               quoted(t.columns[t.key].name);
    }

    // INSERT INTO `products` (...) SELECT `c0`, ... FROM JSON_TABLE(...) AS `el_rows` ORDER BY `el_ord`
    //   ON DUPLICATE KEY UPDATE `price` = VALUES(`price`)     -- do nothing: `sku` = `sku`
    // MariaDB has no conflict target: ON DUPLICATE KEY fires on a duplicate of ANY
    // unique key of the table (the declared one included). The keys come from
    // upsert_keys(), in the same transaction.
    std::string upsert_many(const table_info& t, const upsert_spec& u, const std::vector<std::vector<param>>& columns,
                            params& ps, bool& keys_returned) const override {
        keys_returned = false;
        std::string names, values, defs = "`el_ord` FOR ORDINALITY";
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (c == t.key && t.generated_key) continue;
            if (!names.empty()) {
                names += ", ";
                values += ", ";
            }
            quote(names, t.columns[c].name);
            const std::string v = "`c" + std::to_string(c) + "`";
            values += v;
            defs += ", " + v + ' ' + json_table_type(t.columns[c].type) + " PATH '$[" + std::to_string(c) + "]'";
        }
        ps.push_back(param::text(json_rows(columns, "MariaDB", &t)));
        std::string action;
        if (u.update.empty()) {
            const std::string col = quoted(t.columns[u.conflict.front()].name);
            action = col + " = " + col;  // changes nothing: 0 rows affected
        } else {
            for (std::size_t i = 0; i < u.update.size(); ++i) {
                const std::string col = quoted(t.columns[u.update[i]].name);
                action += (i ? ", " : "") + col + " = VALUES(" + col + ")";
            }
            if (u.version != npos) {
                const std::string col = quoted(t.columns[u.version].name);
                action += ", " + col + " = " + col + " + 1";
            }
        }
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs +
               ")) AS `el_rows` ORDER BY `el_ord` ON DUPLICATE KEY UPDATE " + action;
    }

    // SELECT `el_rows`.`el_ord` - 1, `el_t`.`id` FROM JSON_TABLE(:p1, '$[*]' COLUMNS (`el_ord` FOR
    //   ORDINALITY, `k0` JSON PATH '$[0]')) AS `el_rows` JOIN `products` AS `el_t`
    //   ON `el_t`.`sku` = JSON_UNQUOTE(`el_rows`.`k0`) ORDER BY `el_rows`.`el_ord` LOCK IN SHARE MODE
    // Text compares in the column's collation, as the duplicate-key check did (see
    // in_list). A locking read: it sees the newest committed rows, not the snapshot of
    // an older read in the caller's transaction.
    std::string upsert_keys(const table_info& t, const upsert_spec& u, const std::vector<std::vector<param>>& columns,
                            params& ps) const override {
        std::vector<std::vector<param>> conflict;
        std::string defs = "`el_ord` FOR ORDINALITY", on;
        for (std::size_t i = 0; i < u.conflict.size(); ++i) {
            const column_info& col = t.columns[u.conflict[i]];
            conflict.push_back(columns[u.conflict[i]]);
            const std::string k = "`k" + std::to_string(i) + "`";
            const bool text = col.type == col_type::text;
            defs += ", " + k + ' ' + (text ? "JSON" : json_table_type(col.type)) + " PATH '$[" + std::to_string(i) + "]'";
            on += (i ? " AND " : "") + ("`el_t`." + quoted(col.name) + " = " +
                                        (text ? "JSON_UNQUOTE(`el_rows`." + k + ")" : "`el_rows`." + k));
        }
        ps.push_back(param::text(json_rows(conflict, "MariaDB", &t, &u.conflict)));
        return "SELECT `el_rows`.`el_ord` - 1, `el_t`." + quoted(t.columns[t.key].name) + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs + ")) AS `el_rows` JOIN " + table(t.name) +
               " AS `el_t` ON " + on + " ORDER BY `el_rows`.`el_ord` LOCK IN SHARE MODE";
    }
};

}  // namespace

const backend& mariadb_backend() {
    static const mariadb_impl b;
    return b;
}

}  // namespace eagerload::detail
