// The compiled half of the loader: level layouts, snapshots, and its error messages.
#include "database_state.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/loader.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {

void level_spec::begin(const select_spec& s) {
    base = s;
    segments.clear();
    columns.clear();
    if (prefetch && through) columns.push_back({through, match_column, npos, npos});
    const std::size_t first = columns.size();
    segments.push_back({s.table, npos, 0, 0, first, 0});
    for (std::size_t i = 0; i < s.table->columns.size(); ++i) columns.push_back({s.table, i, 0, first + s.table->key});
}

std::size_t level_spec::join(const table_info* t, std::size_t parent, std::size_t column, std::size_t parent_column) {
    const std::size_t s = segments.size();
    const std::size_t first = columns.size();
    segments.push_back({t, parent, column, parent_column, first, 0});
    for (std::size_t i = 0; i < t->columns.size(); ++i) columns.push_back({t, i, s, first + t->key});
    return s;
}

snapshot::snapshot(const database& db, bool needed) {
    if (!needed || db.state().pinned_slot() != npos) return;
    tx_ = std::make_unique<transaction>(db, isolation::repeatable_read, true);
}

snapshot::~snapshot() = default;  // an uncommitted snapshot rolls back

void snapshot::commit() {
    if (tx_) tx_->commit();
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

void throw_unmatched_key(const level_spec& l, const param& key) {
    const table_info& t = l.through ? *l.through : *l.base.table;
    throw error("eagerload: a row of \"" + t.name + "\" with " + t.columns[l.match_column].name + " = " +
                describe(key) +
                " came back for a parent key list that does not contain that value as C++ compares it: the "
                "database compares this column differently (a case- or accent-insensitive collation?). Give "
                "key columns a binary collation, or keys that differ in more than case");
}

}  // namespace eagerload::detail
