// EXPLAIN per level (eagerload/explain.hpp): runs each statement under the backend's
// EXPLAIN on a leased session (not through the execution layer: these are no
// application statements, observers do not see them) and lets the backend read it.
#include "eagerload/explain.hpp"

#include <soci/soci.h>

#include <cctype>
#include <cstdio>

#include "backend.hpp"
#include "database_state.hpp"
#include "soci_bindings.hpp"

namespace eagerload {
namespace detail {
namespace {

std::string cell(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null) return "";
    switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: return r.get<std::string>(i);
    case soci::dt_integer: return std::to_string(r.get<int>(i));
    case soci::dt_long_long: return std::to_string(r.get<long long>(i));
    case soci::dt_unsigned_long_long: return std::to_string(r.get<unsigned long long>(i));
    case soci::dt_double: return std::to_string(r.get<double>(i));
    default: return "";
    }
}

}  // namespace

std::vector<std::string> text_rows(soci::session& s, const std::string& sql, const params& ps) {
    soci_bindings values(ps);
    soci::row r;
    soci::statement st(s);
    st.exchange(soci::into(r));
    values.bind(st);
    st.alloc();
    st.prepare(sql, soci::details::st_one_time_query);
    st.define_and_bind();
    std::vector<std::string> rows;
    for (bool got = st.execute(true); got; got = st.fetch()) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (i) line += '\t';
            line += cell(r, i);
        }
        rows.push_back(std::move(line));
    }
    return rows;
}

std::vector<level_explain> explain_statements(const database& db, const std::vector<explain_input>& in) {
    database_state& state = db.state();
    std::vector<level_explain> out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        level_explain l;
        l.level = i + 1;
        l.sql = in[i].sql;
        l.keys = in[i].keys;
        const std::string sql = state.be().explain_statement(in[i].sql);
        std::vector<std::string> rows;
        {
            session_lease lease(state);
            try {
                rows = text_rows(lease.session(), sql, in[i].ps);
            } catch (const soci::soci_error& e) {
                lease.statement_failed(e, sql);
                throw_statement_error(e.what(), sql, state.be().error_state(e));
            }
        }
        for (const std::string& r : rows) {
            l.raw += r;
            l.raw += '\n';
        }
        state.be().explain_read(rows, l);
        out.push_back(std::move(l));
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> json_scalar_fields(std::string_view j) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto read_string = [&](std::size_t& i) {
        std::string s;
        ++i;  // opening quote
        while (i < j.size() && j[i] != '"') {
            if (j[i] == '\\' && i + 1 < j.size()) ++i;
            s += j[i++];
        }
        ++i;
        return s;
    };
    for (std::size_t i = 0; i < j.size();) {
        if (j[i] != '"') {
            ++i;
            continue;
        }
        std::string key = read_string(i);
        std::size_t k = i;
        while (k < j.size() && std::isspace(static_cast<unsigned char>(j[k]))) ++k;
        if (k >= j.size() || j[k] != ':') continue;  // a string value in an array: not a field
        ++k;
        while (k < j.size() && std::isspace(static_cast<unsigned char>(j[k]))) ++k;
        if (k < j.size() && j[k] == '"') {
            out.emplace_back(std::move(key), read_string(k));
        } else if (k < j.size() && j[k] != '{' && j[k] != '[') {
            std::string v;
            while (k < j.size() && j[k] != ',' && j[k] != '}' && j[k] != ']' && !std::isspace(static_cast<unsigned char>(j[k])))
                v += j[k++];
            out.emplace_back(std::move(key), std::move(v));
        }
        i = k;
    }
    return out;
}

}  // namespace detail

std::string to_string(const std::vector<level_explain>& levels) {
    std::string out;
    for (const level_explain& l : levels) {
        out += "level " + std::to_string(l.level) + (l.keys.empty() ? "" : " (explained with " + l.keys + ")") + ": ";
        out += l.full_scan() ? "FULL SCAN" : "no full scan";
        if (l.estimated_rows) {
            char buf[64];
            std::snprintf(buf, sizeof buf, ", about %.0f rows", *l.estimated_rows);
            out += buf;
        }
        out += "\n  " + l.sql + "\n";
        for (const table_scan& s : l.scans) {
            out += "  " + s.table + ": ";
            out += s.full ? (s.index.empty() ? "full scan" : "full scan of index " + s.index) : "index " + s.index;
            out += '\n';
        }
    }
    return out;
}

}  // namespace eagerload
