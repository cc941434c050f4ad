// The compiled half of the loader: snapshots, result layouts, and its error messages.
#include <stdexcept>

#include "database_state.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/loader.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {

snapshot::snapshot(const database& db, bool needed) {
    if (!needed || db.state().pinned_slot() != npos) return;
    tx_ = std::make_unique<transaction>(db, isolation::repeatable_read);
}

snapshot::~snapshot() = default;  // an uncommitted snapshot rolls back

void snapshot::commit() {
    if (tx_) tx_->commit();
}

std::vector<column_source> level_sources(const level_spec& l) {
    std::vector<column_source> s;
    if (l.prefetch && l.through) {
        std::size_t owner = 0;
        while (l.through->columns[owner].name != l.through_owner_column) ++owner;
        s.push_back({l.through, owner});
    }
    auto add = [&](const table_info* t) {
        for (std::size_t i = 0; i < t->columns.size(); ++i) s.push_back({t, i});
    };
    add(l.base.table);
    for (const join_spec& j : l.joins) add(j.table);
    return s;
}

void check_nested(const select_spec& s, bool per_parent, bool joined) {
    const std::string table = "\"" + s.table->name + "\"";
    if (joined && (!s.order.empty() || s.limit || s.offset || per_parent))
        throw std::invalid_argument("eagerload: join(): the joined query on " + table +
                                    " takes no order_by/limit/offset: it loads one row per parent row; prefetch() "
                                    "it to order or limit it");
    if (!joined && (s.limit || s.offset))
        throw std::invalid_argument("eagerload: prefetch(): limit()/offset() on the prefetched level on " + table +
                                    " would cut across all parents: use limit_per_parent()/offset_per_parent()");
}

void check_root(const level_spec& l) {
    if (l.limit_per_parent || l.offset_per_parent)
        throw std::invalid_argument("eagerload: limit_per_parent()/offset_per_parent() on \"" + l.base.table->name +
                                    "\": they apply to prefetched levels; use limit()/offset() on the query you load");
}

void throw_dangling(const table_info& owner, std::size_t owner_column, const param& key, const table_info& target,
                    std::size_t target_column) {
    throw error("eagerload: \"" + owner.name + "\".\"" + owner.columns[owner_column].name + "\" = " + describe(key) +
                " refers to no row of \"" + target.name + "\" (no " + target.columns[target_column].name + " = " +
                describe(key) + "), but the relation is required: its foreign key is not std::optional");
}

void throw_has_one_duplicate(const table_info& owner, const param& key, const table_info& target,
                             std::size_t target_column) {
    throw error("eagerload: has_one: more than one row of \"" + target.name + "\" has " +
                target.columns[target_column].name + " = " + describe(key) + " (the key of a row of \"" +
                owner.name + "\"): declare the relation has_many");
}

std::string encode_list(dialect d, col_type t, const std::vector<param>& items) {
    return backend_for(d).encode_list(t, items);
}

}  // namespace eagerload::detail
