// The execution layer: every statement eagerload runs goes through here, which is
// where statement observers (counters, hooks, detectors) see executions (SOCI's logger
// only sees prepares). Rows
// come from the backend's fetch (native where the backend has one, else SOCI below).
#include "eagerload/detail/execute.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "backend.hpp"
#include "convert.hpp"
#include "database_state.hpp"
#include "eagerload/database.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/model.hpp"
#include "soci_bindings.hpp"
#include "statement_probe.hpp"

namespace eagerload::detail {
namespace {

// Rows per batch. The query's limit when it has one (a key lookup must not allocate
// 256-row buffers), else a size that keeps fetch calls few.
constexpr std::size_t default_batch_rows = 256;
constexpr std::size_t max_batch_rows = 1024;
constexpr std::size_t max_message = 2000;

// SOCI appends every bound value to its messages: a 100,000-id list would make a
// multi-megabyte exception. Keep the head.
std::string trimmed(std::string_view s) {
    if (s.size() <= max_message) return std::string(s);
    return std::string(s.substr(0, max_message)) + "... [truncated]";
}


}  // namespace

void throw_statement_error(std::string_view message, const std::string& sql, std::string_view sqlstate,
                           std::string_view table, std::string_view constraint) {
    const std::string shown = sql.size() > max_message ? sql.substr(0, max_message) + "..." : sql;
    const std::string what = "eagerload: " + trimmed(message) + "\n  statement: " + shown;
    // 57014: PostgreSQL cancelled the statement (session_lease::statement_failed tells a
    // statement timeout from a cancel request).
    if (sqlstate == "57014") throw statement_timeout(what, sql);
    if (sqlstate == "23505") throw unique_violation(what, sql, std::string(table), std::string(constraint));
    if (sqlstate == "23503") throw foreign_key_violation(what, sql, std::string(table), std::string(constraint));
    if (sqlstate == "23502") throw not_null_violation(what, sql, std::string(table), std::string(constraint));
    throw database_error(what, sql);
}

std::size_t backend::execute(soci::session& s, const std::string& sql, const params& ps) const {
    soci_bindings b(ps);
    try {
        soci::statement st(s);
        b.bind(st);
        st.alloc();
        // One-time: on PostgreSQL one round trip (PQexecParams), where a prepared
        // statement costs three (PREPARE, EXECUTE, DEALLOCATE).
        st.prepare(sql, soci::details::st_one_time_query);
        st.define_and_bind();
        st.execute(true);
        const long long n = st.get_affected_rows();
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    } catch (const soci::soci_error& e) {
        throw_statement_error(e.what(), sql, error_state(e));
    }
}

// The default row path: SOCI bulk vectors, every column fetched as text and converted
// by convert.hpp (exact, whatever SOCI would have coerced).
void backend::fetch(soci::session& s, const std::string& sql, const params& ps, std::span<const column_source> columns,
                    const batch_sink& sink, std::size_t batch_rows) const {
    // At least 2: SOCI drops the row of a 1-element vector that hits end-of-rowset.
    batch_rows = std::max<std::size_t>(batch_rows, 2);
    result_batch batch = make_batch(columns, batch_rows);
    std::vector<std::vector<std::string>> texts(columns.size(), std::vector<std::string>(batch_rows));
    std::vector<std::vector<soci::indicator>> inds(columns.size(), std::vector<soci::indicator>(batch_rows));
    soci_bindings b(ps);
    try {
        soci::statement st(s);
        for (std::size_t c = 0; c < columns.size(); ++c) st.exchange(soci::into(texts[c], inds[c]));
        b.bind(st);
        st.alloc();
        st.prepare(sql, soci::details::st_one_time_query);
        st.define_and_bind();
        for (bool got = st.execute(true); got; got = st.fetch()) {
            batch.rows = inds.empty() ? 0 : inds[0].size();  // SOCI shrinks the vectors to the rows fetched
            for (std::size_t c = 0; c < columns.size(); ++c) {
                column_data& col = batch.columns[c];
                for (std::size_t r = 0; r < batch.rows; ++r) {
                    col.nulls[r] = inds[c][r] == soci::i_null;
                    if (!col.nulls[r] && !store_text(col, r, texts[c][r])) {
                        const std::size_t k = columns[c].key;
                        throw_conversion(columns[c], k < columns.size() ? std::string_view(texts[k][r]) : "",
                                         texts[c][r], "text");
                    }
                }
            }
            sink(batch);
            for (std::size_t c = 0; c < columns.size(); ++c) {
                texts[c].resize(batch_rows);
                inds[c].resize(batch_rows);
            }
        }
    } catch (const soci::soci_error& e) {
        throw_statement_error(e.what(), sql, error_state(e));
    }
}

void fetch(const database& db, const std::string& sql, const params& ps, std::span<const column_source> columns,
           const batch_sink& sink, std::size_t expected_rows) {
    database_state& state = db.state();
    statement_probe probe(state, sql, ps, true);  // before the lease: an observer may refuse the statement
    session_lease lease(state, sql);
    probe.leased(lease.slot());
    const std::size_t batch_rows =
        expected_rows == 0 ? default_batch_rows : std::clamp<std::size_t>(expected_rows, 1, max_batch_rows);
    try {
        state.be().fetch_cached(lease.session(), lease.cache(), sql, ps, columns, probe.rows(sink), batch_rows);
    } catch (const database_error& e) {
        lease.statement_failed(e, sql);  // a lost connection, a statement timeout: says so
        throw;
    } catch (const error&) {
        throw;  // ours: already names table, column and key, or the statement
    } catch (const soci::soci_error& e) {
        lease.statement_failed(e, sql);
        throw_statement_error(e.what(), sql);
    }
}

std::size_t execute(const database& db, const std::string& sql, const params& ps) {
    database_state& state = db.state();
    statement_probe probe(state, sql, ps, false);  // before the lease: an observer may refuse the statement
    session_lease lease(state, sql);
    probe.leased(lease.slot());
    try {
        return probe.changed(state.be().execute(lease.session(), sql, ps));
    } catch (const database_error& e) {
        lease.statement_failed(e, sql);  // a lost connection, a statement timeout: says so
        throw;
    } catch (const error&) {
        throw;
    } catch (const soci::soci_error& e) {
        lease.statement_failed(e, sql);
        throw_statement_error(e.what(), sql);
    }
}

long long fetch_scalar(const database& db, const std::string& sql, const params& ps) {
    static const table_info scalar{"(query)", {column_info{"value", col_type::int64, true}}, 0};
    const column_source source{&scalar, 0};
    long long value = 0;
    fetch(
        db, sql, ps, std::span<const column_source>(&source, 1),
        [&](result_batch& b) {
            if (b.rows > 0 && !b.columns[0].nulls[0]) value = b.columns[0].ints[0];
        },
        1);
    return value;
}

namespace {
std::string key_text(const result_batch& b, std::size_t key_column, std::size_t row) {
    if (key_column >= b.columns.size()) return "?";
    const column_data& k = b.columns[key_column];
    if (k.nulls[row]) return "NULL";
    switch (k.type) {
    case col_type::boolean:
    case col_type::int16:
    case col_type::int32:
    case col_type::int64: return std::to_string(k.ints[row]);
    case col_type::enum_text: return k.domain ? "'" + std::string(k.domain->texts[k.ints[row]]) + "'" : "?";
    case col_type::float32:
    case col_type::float64: return std::to_string(k.reals[row]);
    case col_type::text:
    case col_type::bytes: return "'" + k.texts[row] + "'";
    case col_type::decimal: return k.texts[row];
    case col_type::timestamp: return format_timestamp(k.times[row]);
    }
    return "?";
}
}  // namespace

void throw_null(const table_info& t, std::size_t column, const result_batch& b, std::size_t key_column,
                std::size_t row) {
    throw null_value_error("eagerload: NULL in column \"" + t.name + "\".\"" + t.columns[column].name +
                           "\" of the row with " + t.columns[t.key].name + " = " + key_text(b, key_column, row) +
                           ", but its member is not std::optional<" + member_type_name(t.columns[column]) + ">");
}

void throw_conversion(const column_source& c, std::string_view key, std::string_view db_value,
                      std::string_view db_type) {
    const table_info& t = *c.table;
    const std::string shown = db_value.size() > 64 ? std::string(db_value.substr(0, 64)) + "..." : std::string(db_value);
    std::string where = "eagerload: column \"" + t.name + "\".\"" + t.columns[c.column].name + "\"";
    if (!key.empty() && c.column != t.key) where += " of the row with " + t.columns[t.key].name + " = " + std::string(key);
    throw conversion_error(where + ": cannot hold database type " + std::string(db_type) + " value '" + shown +
                           "' exactly in member type " + member_type_name(t.columns[c.column]));
}

}  // namespace eagerload::detail

namespace eagerload {
database_error::database_error(const std::string& message, std::string sql)
    : error(message), sql_(std::move(sql)) {}
}  // namespace eagerload
