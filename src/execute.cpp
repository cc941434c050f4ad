// The execution layer: every statement eagerload runs goes through here, which is
// where the query counter counts executions (SOCI's logger only sees prepares).
#include "eagerload/detail/execute.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "database_state.hpp"
#include "eagerload/database.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

// Rows per fetch. SOCI cannot grow the column vectors once fetching started, so the
// size is chosen up front: the query's limit when it has one (a key lookup must not
// allocate 256-row buffers), else a size that keeps fetch calls few.
constexpr std::size_t default_batch_rows = 256;
constexpr std::size_t max_batch_rows = 1024;
constexpr std::size_t max_message = 2000;

// SOCI appends every bound value to its messages: a 100,000-id list would make a
// multi-megabyte exception. Keep the head.
std::string trimmed(std::string s) {
    if (s.size() > max_message) {
        s.resize(max_message);
        s += "... [truncated]";
    }
    return s;
}

[[noreturn]] void throw_database_error(const std::exception& e, const std::string& sql) {
    std::string shown = sql.size() > max_message ? sql.substr(0, max_message) + "..." : sql;
    throw database_error("eagerload: " + trimmed(e.what()) + "\n  statement: " + shown, sql);
}

// Bound values need stable addresses for the statement's lifetime.
struct bindings {
    params values;
    std::vector<soci::indicator> inds;

    explicit bindings(const params& ps) : values(ps), inds(ps.size(), soci::i_ok) {}

    void bind(soci::statement& st) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            param& p = values[i];
            switch (p.k) {
            case param::kind::null:
                inds[i] = soci::i_null;
                st.exchange(soci::use(p.s, inds[i]));
                break;
            case param::kind::integer: st.exchange(soci::use(p.i, inds[i])); break;
            case param::kind::real: st.exchange(soci::use(p.d, inds[i])); break;
            case param::kind::text: st.exchange(soci::use(p.s, inds[i])); break;
            }
        }
    }
};

const char* soci_type_name(soci::data_type t) {
    switch (t) {
    case soci::dt_string: return "text";
    case soci::dt_date: return "timestamp";
    case soci::dt_double: return "double";
    case soci::dt_integer: return "integer";
    case soci::dt_long_long: return "bigint";
    case soci::dt_unsigned_long_long: return "unsigned bigint";
    case soci::dt_blob: return "blob";
    case soci::dt_xml: return "xml";
    }
    return "unknown";
}

bool parses_as(col_type t, const std::string& s) {
    const char* b = s.data();
    const char* e = b + s.size();
    if (t == col_type::boolean && (s == "t" || s == "f" || s == "true" || s == "false")) return true;
    if (t == col_type::float64) {
        char* end = nullptr;
        std::strtod(b, &end);
        return !s.empty() && end == e;
    }
    long long v;
    auto r = std::from_chars(b, e, v);
    return r.ec == std::errc{} && r.ptr == e;
}

// SOCI said "cannot convert" without naming the column: run the statement again
// through the dynamic row API and find the value that does not fit. Cold path only.
[[noreturn]] void diagnose_conversion(soci::session& s, const std::string& sql, const params& ps,
                                      std::span<const column_source> columns, const std::exception& original) {
    try {
        bindings b(ps);
        soci::row row;
        soci::statement st(s);
        st.exchange(soci::into(row));
        b.bind(st);
        st.alloc();
        st.prepare(sql);
        st.define_and_bind();
        for (bool got = st.execute(true); got; got = st.fetch()) {
            for (std::size_t c = 0; c < columns.size() && c < row.size(); ++c) {
                const column_info& info = columns[c].table->columns[columns[c].column];
                if (info.type == col_type::text || info.type == col_type::timestamp) continue;
                if (row.get_indicator(c) == soci::i_null) continue;
                const soci::data_type dt = row.get_properties(c).get_data_type();
                if (dt != soci::dt_string && dt != soci::dt_date && dt != soci::dt_blob) continue;
                const std::string value = row.get<std::string>(c);
                if (!parses_as(info.type, value))
                    throw_conversion(*columns[c].table, columns[c].column, value, soci_type_name(dt));
            }
        }
    } catch (const conversion_error&) {
        throw;
    } catch (const std::exception&) {  // diagnosis failed: report what we know
    }
    throw conversion_error("eagerload: cannot convert a fetched value: " + trimmed(original.what()) +
                           "\n  statement: " + sql);
}

void into_column(soci::statement& st, column_data& c, std::vector<soci::indicator>& ind) {
    switch (c.type) {
    case col_type::boolean:
    case col_type::int32:
    case col_type::int64: st.exchange(soci::into(c.ints, ind)); break;
    case col_type::float64: st.exchange(soci::into(c.reals, ind)); break;
    case col_type::text:
    case col_type::timestamp: st.exchange(soci::into(c.texts, ind)); break;
    }
}

void resize_column(column_data& c, std::vector<soci::indicator>& ind, std::size_t n) {
    ind.resize(n);
    switch (c.type) {
    case col_type::boolean:
    case col_type::int32:
    case col_type::int64: c.ints.resize(n); break;
    case col_type::float64: c.reals.resize(n); break;
    case col_type::text:
    case col_type::timestamp: c.texts.resize(n); break;
    }
}

}  // namespace

void fetch(const database& db, const std::string& sql, const params& ps, std::span<const column_source> columns,
           const batch_sink& sink, std::size_t expected_rows) {
    database_state& state = db.state();
    session_lease lease(state);
    state.record(sql);

    result_batch batch;
    batch.columns.resize(columns.size());
    std::vector<std::vector<soci::indicator>> inds(columns.size());
    bindings b(ps);
    try {
        soci::statement st(lease.session());
        // At least 2: SOCI drops the row of a 1-element vector that hits end-of-rowset.
        const std::size_t rows_per_fetch =
            expected_rows == 0 ? default_batch_rows : std::clamp<std::size_t>(expected_rows, 2, max_batch_rows);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            batch.columns[c].type = columns[c].table->columns[columns[c].column].type;
            resize_column(batch.columns[c], inds[c], rows_per_fetch);
            into_column(st, batch.columns[c], inds[c]);
        }
        b.bind(st);
        st.alloc();
        // One-time: on PostgreSQL one round trip (PQexecParams), where a prepared
        // statement costs three (PREPARE, EXECUTE, DEALLOCATE). Each statement of a
        // load runs once, so there is nothing to reuse.
        st.prepare(sql, soci::details::st_one_time_query);
        st.define_and_bind();
        for (bool got = st.execute(true); got; got = st.fetch()) {
            // SOCI shrinks the vectors to the rows it fetched.
            batch.rows = inds.empty() ? 0 : inds[0].size();
            for (std::size_t c = 0; c < columns.size(); ++c) {
                auto& n = batch.columns[c].nulls;
                n.resize(batch.rows);
                for (std::size_t r = 0; r < batch.rows; ++r) n[r] = inds[c][r] == soci::i_null;
            }
            sink(batch);
            for (std::size_t c = 0; c < columns.size(); ++c) resize_column(batch.columns[c], inds[c], rows_per_fetch);
        }
    } catch (const error&) {
        throw;  // ours (null, conversion): already names table, column and key
    } catch (const soci::soci_error& e) {
        const std::string what = e.what();
        if (what.find("Cannot convert data") != std::string::npos)
            diagnose_conversion(lease.session(), sql, ps, columns, e);
        lease.statement_failed(e, sql);
        throw_database_error(e, sql);
    } catch (const std::bad_cast& e) {
        diagnose_conversion(lease.session(), sql, ps, columns, e);
    }
}

void execute(const database& db, const std::string& sql, const params& ps) {
    database_state& state = db.state();
    session_lease lease(state);
    state.record(sql);
    bindings b(ps);
    try {
        soci::statement st(lease.session());
        b.bind(st);
        st.alloc();
        st.prepare(sql, soci::details::st_one_time_query);
        st.define_and_bind();
        st.execute(true);
    } catch (const soci::soci_error& e) {
        lease.statement_failed(e, sql);
        throw_database_error(e, sql);
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
    case col_type::int32:
    case col_type::int64: return std::to_string(k.ints[row]);
    case col_type::float64: return std::to_string(k.reals[row]);
    default: return "'" + k.texts[row] + "'";
    }
}
}  // namespace

void throw_null(const table_info& t, std::size_t column, const result_batch& b, std::size_t key_column,
                std::size_t row) {
    throw null_value_error("eagerload: NULL in column \"" + t.name + "\".\"" + t.columns[column].name +
                           "\" of the row with " + t.columns[t.key].name + " = " + key_text(b, key_column, row) +
                           ", but its member is not std::optional<" + cpp_type_name(t.columns[column].type) + ">");
}

void throw_conversion(const table_info& t, std::size_t column, const std::string& db_value, const char* db_type) {
    const std::string shown = db_value.size() > 64 ? db_value.substr(0, 64) + "..." : db_value;
    throw conversion_error("eagerload: column \"" + t.name + "\".\"" + t.columns[column].name +
                           "\": cannot convert database type " + db_type + " (value '" + shown +
                           "') to member type " + cpp_type_name(t.columns[column].type));
}

}  // namespace eagerload::detail

namespace eagerload {
database_error::database_error(const std::string& message, std::string sql)
    : error(message), sql_(std::move(sql)) {}
}  // namespace eagerload
