// SQLite: lists and bulk rows travel as ONE JSON text parameter read by json_each
// (SQLite's prepare is quadratic in named placeholders, see docs/design.md).
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cmath>
#include <stdexcept>

#include "../backend.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

void append_json(std::string& out, const param& p) {
    switch (p.k) {
    case param::kind::null: out += "null"; break;
    case param::kind::integer: out += std::to_string(p.i); break;
    case param::kind::real:
        if (!std::isfinite(p.d)) throw std::invalid_argument("eagerload: SQLite cannot take NaN or infinity in a list");
        out += format_double(p.d);
        break;
    case param::kind::text: append_json_string(out, p.s); break;
    }
}

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
        std::string out = "[";
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i) out += ',';
            append_json(out, items[i]);
        }
        out += ']';
        return out;
    }

    const char* sql_type(col_type t) const override {
        // BIGINT, not INTEGER: SOCI reads a column declared INTEGER as 32-bit.
        switch (t) {
        case col_type::boolean: return "BOOLEAN";
        case col_type::int32: return "INTEGER";
        case col_type::int64: return "BIGINT";
        case col_type::float64: return "REAL";
        case col_type::text: return "TEXT";
        case col_type::timestamp: return "TIMESTAMP";
        }
        return "TEXT";
    }

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
            values += "json_extract(value, '$[" + std::to_string(c) + "]')";
        }
        const std::size_t rows = columns.empty() ? 0 : columns[0].size();
        std::string json = "[";
        for (std::size_t r = 0; r < rows; ++r) {
            json += r ? ",[" : "[";
            for (std::size_t c = 0; c < columns.size(); ++c) {
                if (c) json += ',';
                append_json(json, columns[c][r]);
            }
            json += ']';
        }
        json += ']';
        ps.push_back(param::text(std::move(json)));
        return "INSERT INTO " + quoted(t.name) + " (" + names + ") SELECT " + values +
               " FROM json_each(:p" + std::to_string(ps.size()) + ")";
    }

    std::string limit_offset(const std::string* limit_ph, const std::string* offset_ph) const override {
        if (!limit_ph && offset_ph) return " LIMIT -1 OFFSET " + *offset_ph;  // no OFFSET without LIMIT
        return backend::limit_offset(limit_ph, offset_ph);
    }
};

}  // namespace

const backend& sqlite_backend() {
    static const sqlite_impl b;
    return b;
}

}  // namespace eagerload::detail
