// Renders the runtime query description to SQL text with :pN placeholders. Every
// piece of syntax that differs between databases comes from the backend.
#include <fmt/format.h>

#include <stdexcept>

#include "backend.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {

const char* cpp_type_name(col_type t) noexcept {
    switch (t) {
    case col_type::boolean: return "bool";
    case col_type::int16: return "int16_t";
    case col_type::int32: return "int32_t";
    case col_type::int64: return "int64_t";
    case col_type::float32: return "float";
    case col_type::float64: return "double";
    case col_type::text: return "std::string";
    case col_type::timestamp: return "eagerload::timestamp";
    case col_type::bytes: return "eagerload::bytes";
    case col_type::decimal: return "eagerload::decimal";
    case col_type::enum_text: return "enum";
    }
    return "?";
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
    case param::kind::decimal: return p.s;
    case param::kind::blob: return fmt::format("({} bytes)", p.s.size());
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

void related_rows(const cond_node& c, const backend& be, std::string_view q, params& ps, std::string& out, int depth);

void render(const cond_node* c, const backend& be, std::string_view q, params& ps, std::string& out,
            int depth = 0) {
    if (!c) {
        out += "1 = 1";
        return;
    }
    auto column = [&] {
        std::string s(q);
        if (!s.empty()) s += '.';
        be.quote(s, c->column);
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
    case op::exists:
        out += "EXISTS (SELECT 1";
        related_rows(*c, be, q, ps, out, depth);
        out += ')';
        break;
    }
}

// The alias the related rows of an exists node are filtered by, at this depth: the
// target table through a join table, else the inner table.
std::string related_alias(const cond_node& c, const backend& be, int depth) {
    return be.quoted(fmt::format("{}{}", c.target_table ? 'y' : 'x', depth + 1));
}

// " FROM inner ... WHERE <correlated with outer alias q> [AND filter]": the rows of a
// relation that belong to the outer row (an exists node), for EXISTS and aggregates.
void related_rows(const cond_node& c, const backend& be, std::string_view q, params& ps, std::string& out, int depth) {
    // Aliased by depth: the inner table may be the outer one (self-referential relations).
    const std::string inner = be.quoted(fmt::format("x{}", depth + 1));
    const std::string filtered = related_alias(c, be, depth);
    out += " FROM " + be.table(c.inner_table->name) + " AS " + inner;
    if (c.target_table)
        out += " JOIN " + be.table(c.target_table->name) + " AS " + filtered + " ON " + filtered + '.' +
               be.quoted(c.target_column) + " = " + inner + '.' + be.quoted(c.through_column);
    out += " WHERE " + inner + '.' + be.quoted(c.inner_column) + " = " + std::string(q) + '.' + be.quoted(c.outer_column);
    if (c.rhs) {
        out += " AND ";
        render(c.rhs.get(), be, filtered, ps, out, depth + 1);
    }
}

// An aggregate column: a correlated subquery over the related rows of the row of the
// segment aliased q. One subquery per aggregate: none can multiply another's rows.
void render_aggregate(const aggregate_item& a, const backend& be, std::string_view q, params& ps, std::string& out) {
    const std::string value = a.column.empty() ? std::string() : related_alias(*a.related, be, 0) + '.' + be.quoted(a.column);
    switch (a.fn) {
    case aggregate_fn::count: out += "(SELECT count(*)"; break;
    case aggregate_fn::exists: out += "CASE WHEN EXISTS (SELECT 1"; break;
    case aggregate_fn::sum: out += "COALESCE((SELECT sum(" + value + ")"; break;
    case aggregate_fn::min: out += "(SELECT min(" + value + ")"; break;
    case aggregate_fn::max: out += "(SELECT max(" + value + ")"; break;
    }
    related_rows(*a.related, be, q, ps, out, 0);
    switch (a.fn) {
    case aggregate_fn::exists: out += ") THEN 1 ELSE 0 END"; break;
    case aggregate_fn::sum: out += "), 0)"; break;
    default: out += ')'; break;
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
        out += std::string(q) + '.' + be.quoted(s.order[i].column);
        if (s.order[i].descending) out += " DESC";
    }
    std::string limit_ph, offset_ph;
    if (s.limit) limit_ph = placeholder(ps, param::integer(*s.limit));
    if (s.offset) offset_ph = placeholder(ps, param::integer(*s.offset));
    out += be.limit_offset(s.limit ? &limit_ph : nullptr, s.offset ? &offset_ph : nullptr);
    return out;
}

}  // namespace

std::string render_condition(const cond_node* c, dialect d, std::string_view table, params& ps) {
    const backend& be = backend_for(d);
    std::string out;
    render(c, be, be.table(table), ps, out);
    return out;
}

// A level's own table in FROM: its name, aliased to the name without schema when qualified.
std::string from_clause(const backend& be, std::string_view table) {
    std::string out = be.table(table);
    if (table.find('.') != std::string_view::npos) out += " AS " + be.table_alias(table);
    return out;
}

std::string render_count(const select_spec& s, dialect d, params& ps) {
    const backend& be = backend_for(d);
    const std::string q = be.table_alias(s.table->name);
    const std::string from = from_clause(be, s.table->name);
    if (!s.limit && !s.offset) {
        std::string out = "SELECT count(*) FROM " + from;
        if (s.where) {
            out += " WHERE ";
            render(s.where.get(), be, q, ps, out);
        }
        return out;
    }
    // A limited count counts the rows the limited query returns.
    return "SELECT count(*) FROM (SELECT 1 AS one FROM " + from + where_order_limit(s, be, q, ps) + ") AS q";
}

namespace {

// The quoted name a level's segment goes by: the table's own name for the level's
// model, j1, j2, ... for joined relations (depth first).
std::string segment_alias(const backend& be, const level_spec& l, std::size_t seg) {
    if (seg == 0) return be.table_alias(l.base.table->name);
    return be.quoted(fmt::format("j{}", seg));
}

std::string order_clause(const level_spec& s, const backend& be, const std::string& q) {
    std::string out;
    for (const order_item& o : s.base.order) {
        if (!out.empty()) out += ", ";
        out += q + '.' + be.quoted(o.column);
        if (o.descending) out += " DESC";
    }
    // Prefetched levels break ties by primary key (every column of a composite one), so
    // children come in the same order on every backend and every run.
    const table_info& t = *s.base.table;
    if (s.prefetch && (t.composite.size() > 1 || s.base.order.empty() || s.base.order.back().column != t.columns[t.key].name)) {
        for (std::size_t k : t.key_columns()) {
            if (!out.empty()) out += ", ";
            out += q + '.' + be.quoted(t.columns[k].name);
        }
    }
    return out;
}

}  // namespace

std::string render_level(const level_spec& s, dialect d, const std::string* key_list, params& ps) {
    const backend& be = backend_for(d);
    const std::string t = segment_alias(be, s, 0);
    const std::string through = be.quoted("el_through");
    const bool ranked = s.prefetch && (s.base.limit_per_parent || s.base.offset_per_parent);
    const bool via = s.prefetch && s.through;
    // The column that partitions rows by parent.
    const std::string owner_column =
        s.prefetch ? (via ? through : t) + '.' + be.quoted((via ? s.through : s.base.table)->columns[s.match_column].name)
                   : std::string();

    // The SELECT list is the layout, column by column.
    std::vector<std::string> aliases(s.segments.size());
    for (std::size_t i = 0; i < s.segments.size(); ++i) aliases[i] = segment_alias(be, s, i);
    std::string columns;
    std::size_t next_aggregate = 0;
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
        const column_source& c = s.columns[i];
        if (!columns.empty()) columns += ", ";
        if (next_aggregate < s.aggregates.size() && s.aggregates[next_aggregate].result_column == i) {
            const aggregate_column& a = s.aggregates[next_aggregate++];
            render_aggregate(a.item, be, aliases[a.segment], ps, columns);
        } else if (c.segment == npos) {  // the parent key, from the join table
            columns += ranked ? t + '.' + be.quoted("el_owner") : owner_column;
        } else {
            const column_info& info = c.table->columns[c.column];
            std::string expr = aliases[c.segment];
            expr += '.';
            be.quote(expr, info.name);
            columns += be.select_column(std::move(expr), info.type);
        }
    }

    std::string source = from_clause(be, s.base.table->name);
    if (via)
        source = be.table(s.through->name) + " AS " + through + " JOIN " + source + " ON " + t + '.' +
                 be.quoted(s.base.table->columns[s.base.table->key].name) + " = " + through + '.' +
                 be.quoted(s.through->columns[s.through_target_column].name);

    std::string joins;
    for (std::size_t i = 1; i < s.segments.size(); ++i) {
        const segment& j = s.segments[i];
        joins += " LEFT JOIN " + be.table(j.table->name) + " AS " + aliases[i] + " ON " + aliases[i] + '.' +
                 be.quoted(j.table->columns[j.column].name) + " = " + aliases[j.parent] + '.' +
                 be.quoted(s.segments[j.parent].table->columns[j.parent_column].name);
    }

    std::string where;
    if (s.prefetch) {
        const std::string ph = placeholder(ps, param::text(key_list ? *key_list : std::string()));
        where = be.in_list(owner_column, s.key_type(), ph);
    }
    if (s.base.where) {
        where += where.empty() ? "" : " AND ";
        render(s.base.where.get(), be, t, ps, where);
    }
    const std::string order = order_clause(s, be, t);

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
    const std::string rn = be.quoted("el_rn");
    std::string inner = "SELECT " + t + ".*";
    if (via) inner += ", " + owner_column + " AS " + be.quoted("el_owner");
    inner += ", " + be.row_number(owner_column, s.key_type(), order) + " AS " + rn;  // key_type: exact partitions
    inner += " FROM " + source + " WHERE " + where;
    const long long skip = s.base.offset_per_parent.value_or(0);
    std::string out = "SELECT " + columns + " FROM (" + inner + ") AS " + t + joins + " WHERE " + t + '.' + rn +
                      " > " + placeholder(ps, param::integer(skip));
    if (s.base.limit_per_parent)
        out += " AND " + t + '.' + rn + " <= " + placeholder(ps, param::integer(skip + *s.base.limit_per_parent));
    out += " ORDER BY " + t + '.' + rn;
    return out;
}

std::string encode_keys(dialect d, std::span<const long long> keys) { return backend_for(d).encode_keys(keys); }
std::string encode_keys(dialect d, std::span<const std::string_view> keys) { return backend_for(d).encode_keys(keys); }

}  // namespace eagerload::detail
