// The index advisor (eagerload/index_advice.hpp): what each level's statement wants
// indexed, less what an advice on the same table or an existing index (read from the
// database's catalog through the backend, on a leased session) already covers.
#include "eagerload/index_advice.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <cstdio>
#include <map>

#include "backend.hpp"
#include "database_state.hpp"

namespace eagerload {
namespace detail {
namespace {

struct index_column {
    std::string name;
    bool descending = false;
};

struct wanted {
    std::size_t level;
    const table_info* table;
    std::vector<index_column> columns;
};

void add_column(std::vector<index_column>& cols, const std::string& name, bool descending = false) {
    for (const index_column& c : cols)
        if (c.name == name) return;
    cols.push_back({name, descending});
}

// The columns a condition tests, in text order (nested EXISTS aside: they are advised apart).
void filter_columns(const cond_node* c, std::vector<index_column>& out) {
    if (!c) return;
    switch (c->o) {
    case cond_node::op::and_:
    case cond_node::op::or_:
    case cond_node::op::not_:
        filter_columns(c->lhs.get(), out);
        filter_columns(c->rhs.get(), out);
        break;
    case cond_node::op::exists: break;
    default: add_column(out, c->column);
    }
}

// Every EXISTS of a condition (and those nested in their filters): the inner table's
// correlated column first, then what the filter tests (through a join table: the
// column leading to the target).
void exists_wants(const cond_node* c, std::size_t level, std::vector<wanted>& out) {
    if (!c) return;
    if (c->o == cond_node::op::exists) {
        wanted w{level, c->inner_table, {}};
        add_column(w.columns, c->inner_column);
        if (c->target_table) add_column(w.columns, c->through_column);
        else filter_columns(c->rhs.get(), w.columns);
        out.push_back(std::move(w));
    }
    exists_wants(c->lhs.get(), level, out);
    exists_wants(c->rhs.get(), level, out);
}

bool starts_with(const std::vector<std::string>& index, const std::vector<index_column>& cols) {
    if (index.size() < cols.size()) return false;
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (index[i] != cols[i].name) return false;
    return true;
}

std::string index_name(const table_info& t, const std::vector<index_column>& cols) {
    const std::string_view table = std::string_view(t.name).substr(t.name.rfind('.') + 1);
    std::string name = "el_";
    name += table;
    for (const index_column& c : cols) name += "_" + c.name;
    constexpr std::size_t max = 63;  // PostgreSQL's limit (NAMEDATALEN - 1); MariaDB's is 64
    if (name.size() <= max) return name;
    std::uint32_t h = 2166136261u;  // FNV-1a of the whole name: stable across runs and builds
    for (const char ch : name) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
    char suffix[10];
    std::snprintf(suffix, sizeof suffix, "_%08x", static_cast<unsigned>(h));
    return name.substr(0, max - 9) + suffix;
}

}  // namespace

std::vector<index_advice> advise_levels(const database& db, const std::vector<level_spec>& levels) {
    std::vector<wanted> wants;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const level_spec& l = levels[i];
        const table_info& t = *l.base.table;
        // The order, less a trailing key column: it breaks ties among the rows the prefix selects.
        std::vector<order_item> order = l.base.order;
        while (!order.empty() && t.composite.empty() && order.back().column == t.columns[t.key].name) order.pop_back();
        if (l.prefetch && l.through) {
            wanted w{i + 1, l.through, {}};
            add_column(w.columns, l.through->columns[l.match_column].name);
            add_column(w.columns, l.through->columns[l.through_target_column].name);
            wants.push_back(std::move(w));
        } else if (l.prefetch || (l.base.limit && !order.empty())) {
            wanted w{i + 1, &t, {}};
            if (l.prefetch) add_column(w.columns, t.columns[l.match_column].name);
            for (const order_item& o : order) add_column(w.columns, o.column, o.descending);
            wants.push_back(std::move(w));
        }
        exists_wants(l.base.where.get(), i + 1, wants);
    }

    const backend& be = db.state().be();
    std::map<std::string, std::vector<std::vector<std::string>>> existing;  // per table: each index's columns
    const auto indexes_of = [&](const table_info& t) -> const std::vector<std::vector<std::string>>& {
        auto it = existing.find(t.name);
        if (it != existing.end()) return it->second;
        std::vector<std::vector<std::string>> found;
        std::vector<std::string> keys;  // the primary key, indexed whether or not the catalog lists it (SQLite's rowid)
        for (const std::size_t k : t.key_columns()) keys.push_back(t.columns[k].name);
        found.push_back(std::move(keys));
        params ps;
        const std::string sql = be.index_columns_query(t.name, ps);
        std::vector<std::string> rows;
        {
            session_lease lease(db.state());
            try {
                rows = text_rows(lease.session(), sql, ps);
            } catch (const soci::soci_error& e) {
                lease.statement_failed(e, sql);
                throw_statement_error(e.what(), sql, be.error_state(e));
            }
        }
        std::string current;
        for (const std::string& r : rows) {
            const std::size_t tab = r.find('\t');
            const std::string index = r.substr(0, tab);
            if (found.size() == 1 || index != current) found.emplace_back(), current = index;
            found.back().push_back(tab == std::string::npos ? std::string() : r.substr(tab + 1));
        }
        return existing.emplace(t.name, std::move(found)).first->second;
    };

    std::vector<index_advice> out;
    for (std::size_t i = 0; i < wants.size(); ++i) {
        const wanted& w = wants[i];
        bool covered = false;
        // Another advice on the same table that starts with these columns (a longer one,
        // or the first of equal ones) serves this level too.
        for (std::size_t j = 0; j < wants.size() && !covered; ++j) {
            if (j == i || wants[j].table->name != w.table->name) continue;
            std::vector<std::string> other;
            for (const index_column& c : wants[j].columns) other.push_back(c.name);
            covered = starts_with(other, w.columns) && (other.size() > w.columns.size() || j < i);
        }
        for (const auto& index : indexes_of(*w.table))
            if (!covered) covered = starts_with(index, w.columns);
        if (covered) continue;
        index_advice a;
        a.level = w.level;
        a.table = w.table->name;
        a.name = index_name(*w.table, w.columns);
        a.sql = "CREATE INDEX " + be.quoted(a.name) + " ON " + be.table(w.table->name) + " (";
        for (std::size_t c = 0; c < w.columns.size(); ++c) {
            const std::string col = w.columns[c].name + (w.columns[c].descending ? " DESC" : "");
            a.columns.push_back(col);
            if (c) a.sql += ", ";
            a.sql += be.quoted(w.columns[c].name);
            if (w.columns[c].descending) a.sql += " DESC";
        }
        a.sql += ")";
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace detail
}  // namespace eagerload
