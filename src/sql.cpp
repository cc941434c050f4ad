// Renders the runtime query description to SQL text with :pN placeholders.
#include <fmt/format.h>

#include <stdexcept>

#include "backend.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/model.hpp"

namespace eagerload {

const char* to_string(dialect d) noexcept { return d == dialect::sqlite ? "sqlite" : "postgresql"; }

namespace detail {

const char* cpp_type_name(col_type t) noexcept {
    switch (t) {
    case col_type::boolean: return "bool";
    case col_type::int32: return "int32_t";
    case col_type::int64: return "int64_t";
    case col_type::float64: return "double";
    case col_type::text: return "std::string";
    case col_type::timestamp: return "eagerload::timestamp";
    }
    return "?";
}

const backend& backend_for(dialect d) { return d == dialect::sqlite ? sqlite_backend() : postgresql_backend(); }

std::string format_double(double v) { return fmt::format("{}", v); }

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) out += fmt::format("\\u{:04x}", c);
            else out += ch;  // UTF-8 passes through as is
        }
    }
    out += '"';
}

std::string quote_identifier(std::string_view name) {
    std::string r = "\"";
    for (char c : name) {
        if (c == '"') r += '"';
        r += c;
    }
    r += '"';
    return r;
}

std::string describe(const param& p) {
    switch (p.k) {
    case param::kind::null: return "NULL";
    case param::kind::integer: return std::to_string(p.i);
    case param::kind::real: return format_double(p.d);
    case param::kind::text: {
        std::string s = p.s.size() > 64 ? p.s.substr(0, 64) + "..." : p.s;
        return "'" + s + "'";
    }
    }
    return "?";
}

namespace {

std::string placeholder(params& ps, param p) {
    ps.push_back(std::move(p));
    return fmt::format(":p{}", ps.size());
}

const char* op_sql(cond_node::op o) {
    switch (o) {
    case cond_node::op::eq: return " = ";
    case cond_node::op::ne: return " <> ";
    case cond_node::op::lt: return " < ";
    case cond_node::op::le: return " <= ";
    case cond_node::op::gt: return " > ";
    case cond_node::op::ge: return " >= ";
    default: return " ? ";
    }
}

void render(const cond_node* c, const backend& be, std::string_view q, params& ps, std::string& out,
            int depth = 0) {
    if (!c) {
        out += "1 = 1";
        return;
    }
    auto column = [&] {
        std::string s(q);
        if (!s.empty()) s += '.';
        s += quote_identifier(c->column);
        return s;
    };
    using op = cond_node::op;
    switch (c->o) {
    case op::eq:
    case op::ne:
    case op::lt:
    case op::le:
    case op::gt:
    case op::ge:
        out += column();
        out += op_sql(c->o);
        out += placeholder(ps, c->values.front());
        break;
    case op::in: {
        const std::string ph = placeholder(ps, param::text(be.encode_list(c->type, c->values)));
        out += be.in_list(column(), c->type, ph);
        break;
    }
    case op::is_null: out += column() + " IS NULL"; break;
    case op::is_not_null: out += column() + " IS NOT NULL"; break;
    case op::and_:
    case op::or_:
        out += '(';
        render(c->lhs.get(), be, q, ps, out, depth);
        out += c->o == op::and_ ? " AND " : " OR ";
        render(c->rhs.get(), be, q, ps, out, depth);
        out += ')';
        break;
    case op::not_:
        out += "NOT (";
        render(c->rhs.get(), be, q, ps, out, depth);
        out += ')';
        break;
    case op::exists: {
        // Aliased by depth: the inner table may be the outer one (self-referential relations).
        const std::string inner = quote_identifier(fmt::format("x{}", depth + 1));
        out += "EXISTS (SELECT 1 FROM " + quote_identifier(c->inner_table->name) + " AS " + inner;
        std::string filtered = inner;
        if (c->target_table) {
            filtered = quote_identifier(fmt::format("y{}", depth + 1));
            out += " JOIN " + quote_identifier(c->target_table->name) + " AS " + filtered + " ON " + filtered + '.' +
                   quote_identifier(c->target_column) + " = " + inner + '.' + quote_identifier(c->through_column);
        }
        out += " WHERE " + inner + '.' + quote_identifier(c->inner_column) + " = " + std::string(q) + '.' +
               quote_identifier(c->outer_column);
        if (c->rhs) {
            out += " AND ";
            render(c->rhs.get(), be, filtered, ps, out, depth + 1);
        }
        out += ')';
        break;
    }
    }
}

std::string where_order_limit(const select_spec& s, const backend& be, std::string_view q, params& ps) {
    std::string out;
    if (s.where) {
        out += " WHERE ";
        render(s.where.get(), be, q, ps, out);
    }
    for (std::size_t i = 0; i < s.order.size(); ++i) {
        out += i ? ", " : " ORDER BY ";
        out += std::string(q) + '.' + quote_identifier(s.order[i].column);
        if (s.order[i].descending) out += " DESC";
    }
    std::string limit_ph, offset_ph;
    if (s.limit) limit_ph = placeholder(ps, param::integer(*s.limit));
    if (s.offset) offset_ph = placeholder(ps, param::integer(*s.offset));
    out += be.limit_offset(s.limit ? &limit_ph : nullptr, s.offset ? &offset_ph : nullptr);
    return out;
}

}  // namespace

std::string render_count(const select_spec& s, dialect d, params& ps) {
    const std::string q = quote_identifier(s.table->name);
    if (!s.limit && !s.offset) {
        std::string out = "SELECT count(*) FROM " + q;
        if (s.where) {
            out += " WHERE ";
            render(s.where.get(), backend_for(d), q, ps, out);
        }
        return out;
    }
    // A limited count counts the rows the limited query returns.
    return "SELECT count(*) FROM (SELECT 1 AS one FROM " + q + where_order_limit(s, backend_for(d), q, ps) + ") AS q";
}

namespace {

void append_columns(std::string& out, const std::string& qualifier, const table_info& t) {
    for (const column_info& c : t.columns) {
        if (!out.empty()) out += ", ";
        out += qualifier + '.' + quote_identifier(c.name);
    }
}

std::string order_clause(const level_spec& s, const std::string& q) {
    std::string out;
    for (const order_item& o : s.base.order) {
        if (!out.empty()) out += ", ";
        out += q + '.' + quote_identifier(o.column);
        if (o.descending) out += " DESC";
    }
    // Prefetched levels break ties by primary key, so children come in the same order
    // on every backend and every run.
    const std::string& key = s.base.table->columns[s.base.table->key].name;
    if (s.prefetch && (s.base.order.empty() || s.base.order.back().column != key)) {
        if (!out.empty()) out += ", ";
        out += q + '.' + quote_identifier(key);
    }
    return out;
}

}  // namespace

std::string render_level(const level_spec& s, dialect d, const std::string* key_list, params& ps) {
    const backend& be = backend_for(d);
    const std::string t = quote_identifier(s.base.table->name);
    const std::string through = quote_identifier("el_through");
    const bool ranked = s.prefetch && (s.limit_per_parent || s.offset_per_parent);
    const bool via = s.prefetch && s.through;
    // The column that partitions rows by parent.
    const std::string owner_column =
        via ? through + '.' + quote_identifier(s.through_owner_column) : t + '.' + quote_identifier(s.match_column);

    std::string columns;
    if (via) columns = ranked ? t + '.' + quote_identifier("el_owner") : owner_column;
    append_columns(columns, t, *s.base.table);
    for (const join_spec& j : s.joins) append_columns(columns, j.alias, *j.table);

    std::string source = t;
    if (via)
        source = quote_identifier(s.through->name) + " AS " + through + " JOIN " + t + " ON " + t + '.' +
                 quote_identifier(s.base.table->columns[s.base.table->key].name) + " = " + through + '.' +
                 quote_identifier(s.through_target_column);

    std::string joins;
    for (const join_spec& j : s.joins)
        joins += " LEFT JOIN " + quote_identifier(j.table->name) + " AS " + j.alias + " ON " + j.alias + '.' +
                 quote_identifier(j.table_column) + " = " + j.parent + '.' + quote_identifier(j.parent_column);

    std::string where;
    if (s.prefetch) {
        const std::string ph = placeholder(ps, param::text(key_list ? *key_list : std::string()));
        where = be.in_list(owner_column, s.key_type, ph);
    }
    if (s.base.where) {
        where += where.empty() ? "" : " AND ";
        render(s.base.where.get(), be, t, ps, where);
    }
    const std::string order = order_clause(s, t);

    if (!ranked) {
        std::string out = "SELECT " + columns + " FROM " + source + joins;
        if (!where.empty()) out += " WHERE " + where;
        if (!order.empty()) out += " ORDER BY " + order;
        if (!s.prefetch) {
            std::string limit_ph, offset_ph;
            if (s.base.limit) limit_ph = placeholder(ps, param::integer(*s.base.limit));
            if (s.base.offset) offset_ph = placeholder(ps, param::integer(*s.base.offset));
            out += be.limit_offset(s.base.limit ? &limit_ph : nullptr, s.base.offset ? &offset_ph : nullptr);
        }
        return out;
    }

    // Per-parent limit: number each parent's rows in SQL, keep the wanted window, then
    // join. The ranked subquery takes the table's own name so filters and joins read as usual.
    const std::string rn = quote_identifier("el_rn");
    std::string inner = "SELECT " + t + ".*";
    if (via) inner += ", " + owner_column + " AS " + quote_identifier("el_owner");
    inner += ", ROW_NUMBER() OVER (PARTITION BY " + owner_column + " ORDER BY " + order + ") AS " + rn;
    inner += " FROM " + source + " WHERE " + where;
    const long long skip = s.offset_per_parent.value_or(0);
    std::string out = "SELECT " + columns + " FROM (" + inner + ") AS " + t + joins + " WHERE " + t + '.' + rn +
                      " > " + placeholder(ps, param::integer(skip));
    if (s.limit_per_parent) out += " AND " + t + '.' + rn + " <= " + placeholder(ps, param::integer(skip + *s.limit_per_parent));
    out += " ORDER BY " + t + '.' + rn;
    return out;
}

}  // namespace detail
}  // namespace eagerload
