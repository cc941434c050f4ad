// PostgreSQL: lists and bulk rows travel as array parameters (= ANY(CAST(:p AS
// bigint[])), unnest(...)): one placeholder whatever the length, one SQL text per shape.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <cmath>

#include "../backend.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {
namespace {

const char* array_type(col_type t) {
    switch (t) {
    case col_type::boolean: return "boolean[]";
    case col_type::int32: return "integer[]";
    case col_type::int64: return "bigint[]";
    case col_type::float64: return "double precision[]";
    case col_type::text: return "text[]";
    case col_type::timestamp: return "timestamp[]";
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

    std::string in_list(std::string_view column_sql, col_type t, std::string_view ph) const override {
        std::string r(column_sql);
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
        case col_type::int32: return "INTEGER";
        case col_type::int64: return "BIGINT";
        case col_type::float64: return "DOUBLE PRECISION";
        case col_type::text: return "TEXT";
        case col_type::timestamp: return "TIMESTAMP";
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
        return "INSERT INTO " + quoted(t.name) + " (" + names + ") SELECT * FROM unnest(" + arrays + ")";
    }
};

}  // namespace

const backend& postgresql_backend() {
    static const postgresql_impl b;
    return b;
}

}  // namespace eagerload::detail
