// MariaDB (10.6+; tested with 10.11) through SOCI's MySQL backend. Lists and bulk rows
// travel as ONE JSON text parameter read by JSON_TABLE: one placeholder whatever the
// length, one SQL text per shape.
//
// How values travel. The SQL eagerload renders holds only identifiers from
// declarations, `:pN` placeholders, and the fixed literals '$[*]', '$' and '$[N]' (JSON
// paths); no value is ever pasted into it by the code that renders it. Three paths:
//  - Reads through the session's statement cache (fetch_cached, the default:
//    open_options::statement_cache_size > 0): server-side prepared statements. Each SQL
//    text is prepared once per session (mysql_stmt_prepare, each `:pN` a `?`), then
//    every run sends the values in MariaDB's binary protocol (COM_STMT_EXECUTE: an
//    integer as LONGLONG, a double as DOUBLE, text as a string, a decimal as DECIMAL,
//    bytes as a BLOB): no value is ever in the statement text. The rows stream
//    unbuffered (mysql_stmt_fetch without mysql_stmt_store_result), each value bound by
//    its column's type and stored as the text path stores the text the server would have
//    printed for it.
//  - Reads with the cache off (fetch): MariaDB's text protocol has no parameters, so
//    with_values() writes each value into the statement as a literal on the client, just
//    before sending (NULL, an integer's digits, a double's shortest exact text as a
//    DOUBLE literal, or a quoted literal escaped by mysql_real_escape_string(), which
//    follows the session's NO_BACKSLASH_ESCAPES); mysql_real_query + mysql_use_result
//    stream the rows (mysql_fetch_row), never held whole in client memory, each value
//    parsed exactly by convert.hpp with its column and MariaDB type named when it does
//    not fit.
//    (Statements that return rows are reads here: INSERT ... RETURNING, upsert's keys.)
//  - Writes without rows (execute) go through SOCI 4.0.3's MySQL backend, which uses
//    no server-side prepared statements: it substitutes each bound value as a literal
//    escaped by mysql_real_escape_string(). (EXPLAIN and catalog reads, text_rows(), go
//    through SOCI too.)
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "../backend.hpp"
#include "../connection_string.hpp"
#include "../convert.hpp"
#include "../statement_cache.hpp"
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

// Every key SOCI 4.0.3's MySQL backend reads; it ignores any other silently.
constexpr std::string_view known_keys[] = {"host",        "user",   "password", "pass",    "db",
                                           "dbname",      "service", "port",    "unix_socket", "sslca",
                                           "sslcert",     "sslkey", "local_infile", "charset", "reconnect",
                                           "connect_timeout", "read_timeout", "write_timeout"};
constexpr std::string_view secret_keys[] = {"password", "pass"};

// A mysql:// / mariadb:// URI or SOCI's key=value form as SOCI's keys; utf8mb4 unless
// it names a charset: anything less loses 4-byte UTF-8 (emoji).
conn_params mariadb_params(std::string_view s) {
    static constexpr std::string_view schemes[] = {"mariadb", "mysql"};
    conn_params ps;
    if (is_uri(s, schemes)) {
        const conn_uri u = parse_uri(s);
        if (u.hosts.size() > 1) throw connection_string_error("a MariaDB URI names one host, not a list");
        if (u.has_user) ps.push_back({"user", u.user});
        if (u.has_password) ps.push_back({"password", u.password});
        if (!u.hosts.empty() && !u.hosts[0].host.empty()) ps.push_back({"host", u.hosts[0].host});
        if (!u.hosts.empty() && !u.hosts[0].port.empty()) ps.push_back({"port", u.hosts[0].port});
        if (u.has_path && !u.path.empty()) ps.push_back({"db", u.path});
        ps.insert(ps.end(), u.query.begin(), u.query.end());
    } else {
        ps = parse_key_value(s);
    }
    auto canonical = [](std::string_view k) -> std::string_view {
        if (k == "pass") return "password";
        if (k == "dbname" || k == "service") return "db";
        return k;
    };
    for (std::size_t i = 0; i < ps.size(); ++i) {
        if (std::find(std::begin(known_keys), std::end(known_keys), ps[i].key) == std::end(known_keys))
            throw connection_string_error("unknown key \"" + ps[i].key +
                                          "\" (SOCI's MySQL backend would ignore it): known keys are host, port, "
                                          "user, password, db, unix_socket, charset, sslca, sslcert, sslkey, "
                                          "local_infile, reconnect, connect_timeout, read_timeout, write_timeout");
        for (std::size_t j = 0; j < i; ++j)
            if (canonical(ps[j].key) == canonical(ps[i].key))
                throw connection_string_error("the key \"" + ps[i].key + "\" is given twice (SOCI would take the first)");
    }
    return ps;
}

// The MariaDB connection SOCI opened (see the same function in sqlite.cpp for why
// UBSan's vptr check is off here).
__attribute__((no_sanitize("vptr"))) MYSQL* connection(soci::session& s) {
    return static_cast<soci::mysql_session_backend*>(s.get_backend())->conn_;
}

// SOCI's MySQL backend puts each value into the statement text and sends that as a C
// string: a NUL ends it there (a syntax error at best). Refused with a clear error, on
// the read path too (one behaviour for every statement).
void refuse_nul(const std::string& sql, const params& ps) {
    for (std::size_t i = 0; i < ps.size(); ++i)
        if (ps[i].k == param::kind::text && ps[i].s.find('\0') != std::string::npos)
            throw_statement_error("MariaDB (through SOCI's MySQL backend) cannot take a text value holding a NUL "
                                  "character (parameter :p" + std::to_string(i + 1) + ")",
                                  sql);
}

// MariaDB's error numbers as SQLSTATEs: the typed constraint errors and the statement
// timeout (see throw_statement_error); empty for any other. SOCI's errors (writes) and
// ours (reads) both go through here.
std::string errno_state(unsigned err) {
    switch (err) {
    case 1062: return "23505";                                   // ER_DUP_ENTRY
    case 1216: case 1217: case 1451: case 1452: return "23503";  // ER_(NO_REFERENCED|ROW_IS_REFERENCED)*
    case 1048: case 1364: return "23502";                        // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
    case 1969: return "57014";                                   // ER_STATEMENT_TIMEOUT (max_statement_time)
    default: return {};
    }
}

// The connection's last error as the exception SOCI's path gave the common code: the
// server's (or the client library's: 2013 lost connection) message, the statement.
[[noreturn]] void throw_mysql_error(MYSQL* conn, const std::string& sql) {
    const unsigned err = mysql_errno(conn);
    if (err == 0) throw_statement_error("MariaDB returned no result and no error", sql);
    throw_statement_error(mysql_error(conn), sql, errno_state(err));
}

// A result column's type as conversion errors name it.
const char* type_name(const MYSQL_FIELD& f) {
    switch (f.type) {
    case MYSQL_TYPE_TINY: return "TINYINT";
    case MYSQL_TYPE_SHORT: return "SMALLINT";
    case MYSQL_TYPE_INT24: return "MEDIUMINT";
    case MYSQL_TYPE_LONG: return "INT";
    case MYSQL_TYPE_LONGLONG: return "BIGINT";
    case MYSQL_TYPE_FLOAT: return "FLOAT";
    case MYSQL_TYPE_DOUBLE: return "DOUBLE";
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return "DECIMAL";
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return "DATE";
    case MYSQL_TYPE_TIME: return "TIME";
    case MYSQL_TYPE_DATETIME: return "DATETIME";
    case MYSQL_TYPE_TIMESTAMP: return "TIMESTAMP";
    case MYSQL_TYPE_YEAR: return "YEAR";
    case MYSQL_TYPE_BIT: return "BIT";
    case MYSQL_TYPE_NULL: return "NULL";
    case MYSQL_TYPE_ENUM: return "ENUM";
    case MYSQL_TYPE_SET: return "SET";
    case MYSQL_TYPE_JSON: return "JSON";
    case MYSQL_TYPE_GEOMETRY: return "GEOMETRY";
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB: return f.charsetnr == 63 ? "BLOB" : "TEXT";  // 63: binary
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_VAR_STRING: return f.charsetnr == 63 ? "VARBINARY" : "VARCHAR";
    case MYSQL_TYPE_STRING: return f.charsetnr == 63 ? "BINARY" : "CHAR";
    default: return "a MariaDB type";
    }
}

// The one rule both read paths bind by: `:pN` placeholders are read only outside
// quoted literals and backtick identifiers (a doubled quote stays inside; the session
// runs NO_BACKSLASH_ESCAPES: no \ escapes). The text around them is copied to `out`;
// each placeholder calls `placeholder(N - 1)`, which appends what stands for it (and is
// never read again). A placeholder beyond `nparams` is an error naming `shown`.
template <class Placeholder>
void for_each_placeholder(const std::string& sql, std::size_t nparams, const std::string& shown, std::string& out,
                          Placeholder&& placeholder) {
    char quote = 0;  // the quote we are inside of: ', " or `
    for (std::size_t i = 0; i < sql.size();) {
        const char c = sql[i];
        if (quote) {  // a doubled quote stays inside; NO_BACKSLASH_ESCAPES: no \ escapes
            out += c;
            ++i;
            if (c == quote) {
                if (i < sql.size() && sql[i] == quote) out += sql[i++];
                else quote = 0;
            }
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            out += c;
            ++i;
            continue;
        }
        if (c != ':' || i + 2 >= sql.size() || sql[i + 1] != 'p' || sql[i + 2] < '0' || sql[i + 2] > '9') {
            out += c;
            ++i;
            continue;
        }
        std::size_t end = i + 2, n = 0;
        while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9' && n <= nparams)
            n = n * 10 + static_cast<std::size_t>(sql[end++] - '0');
        if (n == 0 || n > nparams)
            throw_statement_error("the statement names parameter " + sql.substr(i, end - i) + " but has " +
                                      std::to_string(nparams) + " parameters",
                                  shown);
        placeholder(n - 1);
        i = end;
    }
}

// `sql` with each `:pN` placeholder replaced by the value of ps[N-1] as a literal: the
// read path's binding, as SOCI's MySQL backend binds on the write path (see the top of
// this file). NULL; an integer's digits; a double's shortest text that reads back as
// it, made a DOUBLE literal (`0.1e0`: `0.1` alone would be an exact DECIMAL, which
// compares with a DECIMAL column as a decimal, not as the double that was bound), NaN
// and infinity refused (MariaDB has neither); text as a quoted literal escaped by
// mysql_real_escape_string() for the connection's character set and sql_mode
// (NO_BACKSLASH_ESCAPES: ' doubled, \ as itself). Placeholders are read by
// for_each_placeholder(), and a value is never read again: a value ":p1" stays that text. Blob and decimal values are text here: wrap_placeholders() made
// them so. `shown`: the statement as messages name it.
std::string with_values(MYSQL* conn, const std::string& sql, const params& ps, const std::string& shown) {
    std::size_t size = sql.size();
    for (const param& p : ps) size += 2 * p.s.size() + 24;
    std::string out;
    out.reserve(size);
    for_each_placeholder(sql, ps.size(), shown, out, [&](std::size_t index) {
        const std::size_t n = index + 1;
        const param& p = ps[index];
        switch (p.k) {
        case param::kind::null: out += "NULL"; break;
        case param::kind::integer: out += std::to_string(p.i); break;
        case param::kind::real: {
            if (!std::isfinite(p.d))
                throw_statement_error("MariaDB has no " + std::string(std::isnan(p.d) ? "NaN" : "infinity") +
                                          ": parameter :p" + std::to_string(n) + " cannot be sent",
                                      shown);
            const std::string text = format_double(p.d);
            out += text;
            if (text.find_first_of("eE") == std::string::npos) out += "e0";
            break;
        }
        case param::kind::text:
        case param::kind::decimal:
        case param::kind::blob: {
            out += '\'';
            const std::size_t at = out.size();
            out.resize(at + 2 * p.s.size() + 1);  // what mysql_real_escape_string may write
            const unsigned long written =
                mysql_real_escape_string(conn, out.data() + at, p.s.data(), static_cast<unsigned long>(p.s.size()));
            if (written > 2 * p.s.size())  // (unsigned long)-1: the library could not escape it
                throw_statement_error("MariaDB's client library could not escape parameter :p" + std::to_string(n),
                                      shown);
            out.resize(at + written);
            out += '\'';
            break;
        }
        }
    });
    return out;
}

// A result of mysql_use_result: freeing it reads and drops the rows still unread (a sink
// threw, a value did not convert), so the connection takes the next statement.
struct result_guard {
    MYSQL_RES* res;
    ~result_guard() { mysql_free_result(res); }
};

// --- the statement cache's path: server-side prepared statements, binary protocol ---

// `sql` with each `:pN` placeholder replaced by `?`, read by for_each_placeholder() as
// with_values() reads them; `order` gets, for each `?` in
// turn, the index of the parameter it takes (a placeholder may come twice, or out of
// order). A `?` of MariaDB's own in the text is none of ours: fetch_cached compares
// MariaDB's count with `order`'s.
std::string question_marks(const std::string& sql, std::size_t nparams, std::vector<std::size_t>& order) {
    std::string out;
    out.reserve(sql.size());
    for_each_placeholder(sql, nparams, sql, out, [&](std::size_t index) {
        order.push_back(index);
        out += '?';
    });
    return out;
}

// One result column as mysql_stmt_fetch writes it: a buffer for its type, kept by the
// cached statement from run to run (text buffers only grow).
struct out_column {
    enum class kind { integer, real, single, time, text } k = kind::text;
    long long i = 0;
    double d = 0;
    float f = 0;
    MYSQL_TIME t{};
    std::vector<char> buf;
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
};

// A statement prepared on the connection (mysql_stmt_prepare), kept by the session's
// cache. mysql_stmt_close frees both sides at once: the client's handle, and the
// server's statement (COM_STMT_CLOSE, which has no reply; max_prepared_stmt_count
// counts what is not closed). On a connection that is gone it frees the handle only:
// a closed socket fails the write at once (no SIGPIPE: the library sends with
// MSG_NOSIGNAL), and a MYSQL closed by mysql_close() already detached its statements.
// So evicted() has nothing to add to the destructor.
struct mariadb_statement final : cached_statement {
    MYSQL_STMT* st = nullptr;
    std::vector<std::size_t> order;  // the parameter of each `?`
    std::vector<out_column> out;
    std::vector<MYSQL_BIND> out_binds;
    ~mariadb_statement() override {
        if (st) mysql_stmt_close(st);
    }
};

// The statement's last error as the exception the text path throws for the same error.
// An error in the middle of the rows (a statement timeout, a lost connection) is the
// connection's: mysql_stmt_fetch does not copy it to the statement.
[[noreturn]] void throw_stmt_error(MYSQL_STMT* st, const std::string& sql) {
    const unsigned err = mysql_stmt_errno(st);
    if (err == 0 && st->mysql) throw_mysql_error(st->mysql, sql);
    if (err == 0) throw_statement_error("MariaDB returned no result and no error", sql);
    throw_statement_error(mysql_stmt_error(st), sql, errno_state(err));
}

// Writes `v` at `p` in decimal, exactly `width` digits (zeros in front; `v` below
// 10^width), and returns the end.
char* put_digits(char* p, unsigned long v, int width) {
    for (int i = width - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

// A value of the binary protocol's MYSQL_TIME as the text protocol prints it: DATE
// "2024-05-01", DATETIME/TIMESTAMP "2024-05-01 10:20:30" with as many digits of the
// second as the column declares ("....123456" for DATETIME(6)), TIME "-838:59:59".
// Written by hand: snprintf made the whole cached read of the dashboard slower than
// the text path's.
struct time_chars {
    char s[48];
    std::size_t n = 0;
    std::string_view view() const { return {s, n}; }
};
time_chars time_text(const MYSQL_TIME& t, const MYSQL_FIELD& f) {
    time_chars r;
    char* p = r.s;
    if (f.type != MYSQL_TYPE_TIME) {
        p = put_digits(p, t.year % 10000, 4);
        *p++ = '-';
        p = put_digits(p, t.month % 100, 2);
        *p++ = '-';
        p = put_digits(p, t.day % 100, 2);
        if (f.type == MYSQL_TYPE_DATE || f.type == MYSQL_TYPE_NEWDATE) {
            r.n = static_cast<std::size_t>(p - r.s);
            return r;
        }
        *p++ = ' ';
        p = put_digits(p, t.hour % 100, 2);
    } else {
        if (t.neg) *p++ = '-';
        p = put_digits(p, t.hour % 10000, t.hour >= 1000 ? 4 : t.hour >= 100 ? 3 : 2);  // TIME: up to 838 hours
    }
    *p++ = ':';
    p = put_digits(p, t.minute % 100, 2);
    *p++ = ':';
    p = put_digits(p, t.second % 100, 2);
    if (f.decimals > 0 && f.decimals <= 6) {
        *p++ = '.';
        put_digits(p, t.second_part % 1000000, 6);
        p += f.decimals;
    }
    r.n = static_cast<std::size_t>(p - r.s);
    return r;
}

// A fetched value as the text protocol gives it: for messages (the row's key, the value
// that did not fit), and for what only text can carry exactly (an unsigned integer
// beyond long long).
std::string value_text(const out_column& c, const MYSQL_FIELD& f) {
    switch (c.k) {
    case out_column::kind::integer:
        return f.flags & UNSIGNED_FLAG ? std::to_string(static_cast<unsigned long long>(c.i)) : std::to_string(c.i);
    case out_column::kind::real: return format_double(c.d);
    case out_column::kind::single: return fmt::format("{}", c.f);
    case out_column::kind::time: return std::string(time_text(c.t, f).view());
    case out_column::kind::text: return std::string(c.buf.data(), std::min<std::size_t>(c.length, c.buf.size()));
    }
    return {};
}

// Binds each `?` of `kept` to its parameter, as MariaDB's own types: NULL; LONGLONG;
// DOUBLE (NaN and infinity refused, as with_values refuses them); text as a string in
// the connection's character set; a decimal as DECIMAL (compared as a decimal, as the
// text path's CAST(.. AS DECIMAL(65,30)) is); bytes as a BLOB (a binary string, as
// the text path's UNHEX(..) is). No value is copied: the binds point into `ps`.
void bind_params(MYSQL_STMT* st, const std::vector<std::size_t>& order, const params& ps, std::vector<MYSQL_BIND>& in,
                 std::vector<unsigned long>& lengths, const std::string& sql) {
    in.assign(order.size(), MYSQL_BIND{});
    lengths.assign(order.size(), 0);
    for (std::size_t q = 0; q < order.size(); ++q) {
        const param& p = ps[order[q]];
        MYSQL_BIND& b = in[q];
        switch (p.k) {
        case param::kind::null: b.buffer_type = MYSQL_TYPE_NULL; break;
        case param::kind::integer:
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = const_cast<long long*>(&p.i);
            break;
        case param::kind::real:
            if (!std::isfinite(p.d))
                throw_statement_error("MariaDB has no " + std::string(std::isnan(p.d) ? "NaN" : "infinity") +
                                          ": parameter :p" + std::to_string(order[q] + 1) + " cannot be sent",
                                      sql);
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = const_cast<double*>(&p.d);
            break;
        case param::kind::text:
        case param::kind::decimal:
        case param::kind::blob:
            b.buffer_type = p.k == param::kind::text      ? MYSQL_TYPE_STRING
                            : p.k == param::kind::decimal ? MYSQL_TYPE_NEWDECIMAL
                                                          : MYSQL_TYPE_BLOB;
            b.buffer = const_cast<char*>(p.s.data());
            b.buffer_length = lengths[q] = static_cast<unsigned long>(p.s.size());
            b.length = &lengths[q];
            break;
        }
    }
    if (mysql_stmt_bind_param(st, in.data()) != 0) throw_stmt_error(st, sql);
}

// Binds each result column of `kept` to a buffer for its type (the types of this run's
// result: the server sends them with every execute, and a table changed since the
// prepare changes them): integers as LONGLONG (signed or not as the column is), DOUBLE
// as DOUBLE, FLOAT as FLOAT, dates and times as MYSQL_TIME, everything else (DECIMAL,
// strings, blobs, BIT, ENUM, JSON) as its bytes, in a buffer that grows to the longest
// value seen (a longer value is read again whole: see fetch_cached).
void bind_result(mariadb_statement& kept, const MYSQL_FIELD* fields, unsigned ncols) {
    kept.out.resize(ncols);
    kept.out_binds.assign(ncols, MYSQL_BIND{});
    for (unsigned c = 0; c < ncols; ++c) {
        out_column& o = kept.out[c];
        MYSQL_BIND& b = kept.out_binds[c];
        b.is_null = &o.is_null;
        b.error = &o.error;
        b.length = &o.length;
        switch (fields[c].type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
            o.k = out_column::kind::integer;
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = &o.i;
            b.is_unsigned = (fields[c].flags & UNSIGNED_FLAG) != 0;
            break;
        case MYSQL_TYPE_DOUBLE:
            o.k = out_column::kind::real;
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = &o.d;
            break;
        case MYSQL_TYPE_FLOAT:  // only where a FLOAT column meets a non-float member (select_column)
            // The float's exact value, as PostgreSQL's real reads (store_float_text); the
            // text path gets the server's 6 significant digits instead.
            o.k = out_column::kind::single;
            b.buffer_type = MYSQL_TYPE_FLOAT;
            b.buffer = &o.f;
            break;
        case MYSQL_TYPE_DATE:
        case MYSQL_TYPE_NEWDATE:
        case MYSQL_TYPE_TIME:
        case MYSQL_TYPE_DATETIME:
        case MYSQL_TYPE_TIMESTAMP:
            o.k = out_column::kind::time;
            b.buffer_type = fields[c].type == MYSQL_TYPE_NEWDATE ? MYSQL_TYPE_DATE : fields[c].type;
            b.buffer = &o.t;
            break;
        default:
            o.k = out_column::kind::text;
            if (o.buf.empty()) o.buf.resize(std::clamp<std::size_t>(fields[c].length, 16, 256));
            b.buffer_type = MYSQL_TYPE_BLOB;
            b.buffer = o.buf.data();
            b.buffer_length = static_cast<unsigned long>(o.buf.size());
            break;
        }
    }
}

// Where a parameter-free statement error means "prepare me again": the table under the
// statement changed so that the server could not re-prepare it by itself (1615
// ER_NEED_REPREPARE), or its result got another number of columns (the client's 2057
// CR_NEW_STMT_METADATA), or the server no longer knows it (1243 ER_UNKNOWN_STMT_HANDLER).
bool stale_error(unsigned err) { return err == 1615 || err == 2057 || err == 1243; }

class mariadb_impl final : public backend {
public:
    dialect kind() const noexcept override { return dialect::mariadb; }
    const char* name() const noexcept override { return "mariadb"; }
    std::vector<std::string_view> schemes() const override { return {"mariadb", "mysql"}; }
    const char* url_example() const noexcept override {
        return "mariadb:db=D user=U host=H port=P\", \"mariadb://U:PASSWORD@H:P/D";
    }

    // `target`: SOCI's MySQL form, from parse_connection.
    void open(soci::session& s, const std::string& target) const override {
        s.open(soci::mysql, target);
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

    // max_statement_time is in seconds, to the microsecond: the server interrupts a
    // longer statement with error 1969 (ER_STATEMENT_TIMEOUT), which error_state() maps
    // to PostgreSQL's 57014 so that the common code says statement_timeout.
    bool set_statement_timeout(soci::session& s, std::chrono::milliseconds limit) const override {
        const long long ms = limit.count();
        s << "SET SESSION max_statement_time = " + std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
        return true;
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

    // MariaDB's error numbers as the SQLSTATEs of typed constraint errors (errno_state).
    std::string error_state(const std::exception& e) const override {
        const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e);
        return m ? errno_state(m->err_num_) : std::string();
    }

    // FLOAT prints 6 significant digits (123456789 as 123457000): ask for the float's
    // exact value as a DOUBLE.
    std::string select_column(std::string column_sql, col_type t) const override {
        if (t != col_type::float32) return column_sql;
        return "CAST(" + column_sql + " AS DOUBLE)";
    }

    std::size_t execute(soci::session& s, const std::string& sql, const params& ps) const override {
        refuse_nul(sql, ps);
        if (!needs_wrapping(ps)) return backend::execute(s, sql, ps);
        params wrapped = ps;
        return backend::execute(s, wrap_placeholders(sql, wrapped), wrapped);
    }

    // Rows as the server sends them (mysql_use_result), in batches of `batch_rows`: at
    // most one batch and one row of the library's buffer are alive at a time. The server
    // waits for a slow reader up to net_write_timeout (60 s by default) per packet: a
    // sink that blocks longer loses the connection.
    bool streams_rows() const noexcept override { return true; }
    void fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
               const batch_sink& sink, std::size_t batch_rows) const override {
        refuse_nul(sql, ps);
        MYSQL* conn = connection(s);
        std::string text;
        if (needs_wrapping(ps)) {
            params wrapped = ps;
            const std::string sql_wrapped = wrap_placeholders(sql, wrapped);
            text = with_values(conn, sql_wrapped, wrapped, sql);
        } else {
            text = with_values(conn, sql, ps, sql);
        }
        if (mysql_real_query(conn, text.data(), static_cast<unsigned long>(text.size())) != 0)
            throw_mysql_error(conn, sql);
        text = std::string();  // a key list may be megabytes: not kept while the rows come
        const result_guard g{mysql_use_result(conn)};
        if (!g.res) {
            if (mysql_errno(conn) != 0) throw_mysql_error(conn, sql);
            check_column_count(0, columns, sql);  // a statement without rows
            return;
        }
        const unsigned ncols = mysql_num_fields(g.res);
        check_column_count(ncols, columns, sql);
        const MYSQL_FIELD* fields = mysql_fetch_fields(g.res);
        result_batch batch = make_batch(columns, batch_rows);
        while (MYSQL_ROW row = mysql_fetch_row(g.res)) {
            const unsigned long* lengths = mysql_fetch_lengths(g.res);
            const std::size_t r = batch.rows;
            for (unsigned c = 0; c < ncols; ++c) {
                column_data& col = batch.columns[c];
                col.nulls[r] = row[c] == nullptr;
                if (col.nulls[r]) continue;
                const std::string_view v(row[c], lengths[c]);
                if (!store_text(col, r, v)) {
                    const column_source& src = columns[c];
                    const std::string_view key =
                        src.key < columns.size() && row[src.key] ? std::string_view(row[src.key], lengths[src.key])
                                                                 : std::string_view();
                    throw_conversion(src, key, v, type_name(fields[c]));
                }
            }
            if (++batch.rows == batch_rows) {
                sink(batch);
                batch.rows = 0;
            }
        }
        // The end of the rows, or an error in the middle of them (a statement timeout, a
        // lost connection): mysql_fetch_row says both with NULL.
        if (mysql_errno(conn) != 0) throw_mysql_error(conn, sql);
        if (batch.rows > 0) sink(batch);
    }

    // fetch() through the session's statement cache: the statement is prepared on the
    // server once per session (mysql_stmt_prepare, each `:pN` a `?`), then each run is
    // one COM_STMT_EXECUTE with the values bound in MariaDB's binary protocol (no value
    // is ever in the statement text on this path), its rows streamed unbuffered
    // (mysql_stmt_fetch without mysql_stmt_store_result). The server prepares a
    // statement again by itself when a table under it changed (its result types come
    // with every execute); where it cannot (1615, 2057, 1243: stale_error), the statement
    // is dropped: prepared again and run at once outside a transaction, stale_statement
    // inside one, as on PostgreSQL.
    void fetch_cached(soci::session& s, statement_cache* cache, const std::string& sql, const params& ps,
                      std::span<const column_source> columns, const batch_sink& sink,
                      std::size_t batch_rows) const override {
        if (!cache) return fetch(s, sql, ps, columns, sink, batch_rows);
        refuse_nul(sql, ps);
        MYSQL* conn = connection(s);
        cache->use_connection(conn);
        std::vector<MYSQL_BIND> in;
        std::vector<unsigned long> lengths;
        for (int attempt = 0;; ++attempt) {
            auto* kept = static_cast<mariadb_statement*>(cache->find(sql));
            if (kept) {
                cache->count_reuse();
            } else {
                auto fresh = std::make_unique<mariadb_statement>();
                const std::string text = question_marks(sql, ps.size(), fresh->order);
                fresh->st = mysql_stmt_init(conn);
                if (!fresh->st) throw_mysql_error(conn, sql);
                if (mysql_stmt_prepare(fresh->st, text.data(), static_cast<unsigned long>(text.size())) != 0)
                    throw_stmt_error(fresh->st, sql);
                if (mysql_stmt_param_count(fresh->st) != fresh->order.size())
                    throw_statement_error("MariaDB counts " + std::to_string(mysql_stmt_param_count(fresh->st)) +
                                              " parameters in the statement, eagerload " +
                                              std::to_string(fresh->order.size()),
                                          sql);
                kept = static_cast<mariadb_statement*>(cache->insert(sql, std::move(fresh)));
            }
            bind_params(kept->st, kept->order, ps, in, lengths, sql);
            if (mysql_stmt_execute(kept->st) == 0) return read_stmt_rows(*kept, sql, columns, sink, batch_rows);
            const unsigned err = mysql_stmt_errno(kept->st);
            if (!stale_error(err)) throw_stmt_error(kept->st, sql);
            const std::string message = mysql_stmt_error(kept->st);
            // An error packet carries no status: the flag is the one before this
            // statement, which a SELECT does not change.
            const bool in_transaction = (conn->server_status & SERVER_STATUS_IN_TRANS) != 0;
            cache->erase(sql, true);  // closed (what the server sent for it is read first)
            if (!in_transaction && attempt == 0) continue;
            throw stale_statement("eagerload: " + message +
                                      "  (a table under this prepared statement changed since the session prepared "
                                      "it; the statement is prepared again on its next use: retry the transaction)"
                                      "\n  statement: " +
                                      (sql.size() > 2000 ? sql.substr(0, 2000) + "..." : sql),
                                  sql);
        }
    }

    // The rows of an executed statement, in batches of `batch_rows`, each value from its
    // binary form (bind_result) stored exactly as the text path stores the text the
    // server would have printed for it, or conversion_error naming the same MariaDB type.
    // However it ends (a sink threw, a value did not convert), mysql_stmt_free_result
    // reads and drops the rows still unread, so the connection takes the next statement.
    static void read_stmt_rows(mariadb_statement& kept, const std::string& sql, std::span<const column_source> columns,
                               const batch_sink& sink, std::size_t batch_rows) {
        MYSQL_STMT* st = kept.st;
        struct drain {
            MYSQL_STMT* st;
            ~drain() { mysql_stmt_free_result(st); }
        } const d{st};
        const unsigned ncols = mysql_stmt_field_count(st);
        check_column_count(ncols, columns, sql);
        if (ncols == 0) return;
        const result_guard meta{mysql_stmt_result_metadata(st)};
        if (!meta.res) throw_stmt_error(st, sql);
        const MYSQL_FIELD* fields = mysql_fetch_fields(meta.res);
        bind_result(kept, fields, ncols);
        if (mysql_stmt_bind_result(st, kept.out_binds.data()) != 0) throw_stmt_error(st, sql);
        result_batch batch = make_batch(columns, batch_rows);
        for (;;) {
            const int rc = mysql_stmt_fetch(st);
            if (rc == MYSQL_NO_DATA) break;
            if (rc == 1) throw_stmt_error(st, sql);  // a statement timeout, a lost connection
            // Every row, whatever rc says: a connection whose MYSQL_REPORT_DATA_TRUNCATION
            // is off returns 0 for a truncated value too.
            read_long_values(kept, sql);
            const std::size_t r = batch.rows;
            for (unsigned c = 0; c < ncols; ++c) {
                column_data& col = batch.columns[c];
                const out_column& o = kept.out[c];
                col.nulls[r] = o.is_null != 0;
                if (col.nulls[r]) continue;
                bool ok = false;
                switch (o.k) {
                case out_column::kind::integer:
                    if (fields[c].flags & UNSIGNED_FLAG && o.i < 0) {  // beyond long long: as the text path reads it
                        ok = store_text(col, r, std::to_string(static_cast<unsigned long long>(o.i)));
                    } else {
                        ok = store_integer(col, r, o.i);
                        if (!ok && (col.type == col_type::bytes || col.type == col_type::enum_text))
                            ok = store_text(col, r, std::to_string(o.i));  // the digits, as the text path takes them
                    }
                    break;
                case out_column::kind::real:
                    ok = store_real(col, r, o.d);
                    // A text member takes the double's shortest text as fmt writes it
                    // ("1e+20"); the text path takes the server's ("1e20", "0.00001").
                    if (!ok && (col.type == col_type::text || col.type == col_type::bytes))
                        ok = store_text(col, r, format_double(o.d));
                    break;
                case out_column::kind::single: ok = store_float_text(col, r, fmt::format("{}", o.f)); break;
                case out_column::kind::time: ok = store_text(col, r, time_text(o.t, fields[c]).view()); break;
                case out_column::kind::text: ok = store_text(col, r, std::string_view(o.buf.data(), o.length)); break;
                }
                if (!ok) {
                    const column_source& src = columns[c];
                    const std::string key = src.key < ncols && !kept.out[src.key].is_null
                                                ? value_text(kept.out[src.key], fields[src.key])
                                                : std::string();
                    throw_conversion(src, key, value_text(o, fields[c]), type_name(fields[c]));
                }
            }
            if (++batch.rows == batch_rows) {
                sink(batch);
                batch.rows = 0;
            }
        }
        if (batch.rows > 0) sink(batch);
    }

    // Where a row held a value longer than its column's buffer, the buffer grows to hold it
    // (and the next ones as long), the value is read again whole from the row
    // (mysql_stmt_fetch_column), and the result is bound to the new buffers. Never a
    // silent truncation: any other truncated value is an error.
    static void read_long_values(mariadb_statement& kept, const std::string& sql) {
        bool grown = false;
        for (unsigned c = 0; c < kept.out.size(); ++c) {
            out_column& o = kept.out[c];
            if (o.k != out_column::kind::text) {
                if (o.error && !o.is_null)
                    throw_statement_error("MariaDB's client library truncated the value of result column " +
                                              std::to_string(c + 1),
                                          sql);
                continue;
            }
            if (o.is_null || o.length <= o.buf.size()) continue;
            o.buf.resize(std::max<std::size_t>(o.length, 2 * o.buf.size()));
            MYSQL_BIND& b = kept.out_binds[c];
            b.buffer = o.buf.data();
            b.buffer_length = static_cast<unsigned long>(o.buf.size());
            if (mysql_stmt_fetch_column(kept.st, &b, c, 0) != 0) throw_stmt_error(kept.st, sql);
            o.error = 0;
            grown = true;
        }
        if (grown && mysql_stmt_bind_result(kept.st, kept.out_binds.data()) != 0) throw_stmt_error(kept.st, sql);
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
        ps.push_back(param::text(json_rows(columns, "MariaDB", &t)));
        return "INSERT INTO " + table(t.name) + " (" + names + ") SELECT " + values + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs + ")) AS `el_rows`";
    }

    const char* soci_name() const noexcept override { return "mysql"; }
    // The server sends SERVER_STATUS_IN_TRANS with every OK and end-of-rows packet: read
    // without a round trip. An error packet carries no status, and a ping (SOCI's
    // is_connected) does not refresh it: after a deadlock (1213) the flag still says "in
    // a transaction" though InnoDB rolled it back. So after a failure, ask the server.
    // (A result fetch() stopped reading is drained by mysql_free_result, which reads no
    // status either: it stopped on an exception, which marked the failure.)
    bool in_transaction(soci::session& s, bool after_failure) const noexcept override {
        try {
            MYSQL* conn = connection(s);
            if (!after_failure && mysql_errno(conn) == 0) return (conn->server_status & SERVER_STATUS_IN_TRANS) != 0;
            int in = 0;
            s << "SELECT @@in_transaction", soci::into(in);
            return in != 0;
        } catch (...) {  // the connection is gone: no transaction either
            return false;
        }
    }

    // mysql://U:P@H:PORT/DB?charset=... and mariadb://..., or SOCI's key=value form with
    // quoted values. The target is SOCI's form with every value quoted.
    connection_spec parse_connection(std::string_view s) const override {
        conn_params ps = mariadb_params(s);
        connection_spec spec;
        spec.description = describe(ps, secret_keys);
        for (const conn_param& p : ps)
            if ((p.key == "password" || p.key == "pass") && !p.value.empty()) {
                spec.secrets.push_back(p.value);
                spec.secrets.push_back(percent_encode(p.value));
            }
        if (std::none_of(ps.begin(), ps.end(), [](const conn_param& p) { return p.key == "charset"; }))
            ps.push_back({"charset", "utf8mb4"});
        spec.target = render_key_value(ps);
        return spec;
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
            values += t.columns[c].type == col_type::bytes ? "UNHEX(" + v + ")" : v;
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
            values += t.columns[c].type == col_type::bytes ? "UNHEX(" + v + ")" : v;
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
    // (a composite key: each key column after the position). Text compares in the
    // column's collation, as the duplicate-key check did (see
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
        std::string keys;  // every key column
        for (std::size_t k : t.key_columns()) keys += ", `el_t`." + quoted(t.columns[k].name);
        return "SELECT `el_rows`.`el_ord` - 1" + keys + " FROM JSON_TABLE(:p" +
               std::to_string(ps.size()) + ", '$[*]' COLUMNS (" + defs + ")) AS `el_rows` JOIN " + table(t.name) +
               " AS `el_t` ON " + on + " ORDER BY `el_rows`.`el_ord` LOCK IN SHARE MODE";
    }

    // --- EXPLAIN -----------------------------------------------------------------
    std::string index_columns_query(std::string_view table, params& ps) const override {
        const std::size_t dot = table.rfind('.');
        ps.push_back(param::text(std::string(table.substr(dot == std::string_view::npos ? 0 : dot + 1))));
        std::string sql =
            "SELECT index_name, column_name FROM information_schema.statistics WHERE table_name = :p1 AND table_schema = ";
        if (dot == std::string_view::npos) {
            sql += "DATABASE()";
        } else {
            ps.push_back(param::text(std::string(table.substr(0, dot))));
            sql += ":p2";
        }
        return sql + " ORDER BY index_name, seq_in_index";
    }
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
