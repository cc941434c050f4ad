// The compiled half of the loader: level layouts, snapshots, and its error messages.
#include <stdexcept>
#include <string>
#include "database_state.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/loader.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {

namespace {

// Appends table t's columns for segment `seg` (every one, or those of `only` and
// `keys` and the primary key) to the layout; fills the segment's first, fields and key.
void add_columns(level_spec& l, std::size_t seg, std::span<const std::size_t> only, std::span<const std::size_t> keys) {
    segment& s = l.segments[seg];
    const table_info* t = s.table;
    s.first = l.columns.size();
    if (only.empty()) {
        s.key_column = s.first + t->key;
        for (std::size_t i = 0; i < t->columns.size(); ++i) l.columns.push_back({t, i, seg, s.key_column});
        return;
    }
    std::vector<bool> loaded(t->columns.size(), false);
    loaded[t->key] = true;
    for (std::size_t i : only) loaded[i] = true;
    for (std::size_t i : keys) loaded[i] = true;
    s.fields.assign(t->columns.size(), npos);
    std::size_t at = s.first;
    for (std::size_t i = 0; i < t->columns.size(); ++i)
        if (loaded[i]) s.fields[i] = at++;
    s.key_column = s.fields[t->key];
    for (std::size_t i = 0; i < t->columns.size(); ++i)
        if (loaded[i]) l.columns.push_back({t, i, seg, s.key_column});
}

}  // namespace

void level_spec::begin(const select_spec& s, std::span<const std::size_t> keys) {
    base = s;
    segments.clear();
    columns.clear();
    aggregates.clear();
    if (prefetch && through) columns.push_back({through, match_column, npos, npos});
    segments.push_back({s.table, npos, 0, 0, columns.size(), 0, npos, {}, npos});
    add_columns(*this, 0, s.only, keys);
}

std::size_t level_spec::join(const table_info* t, std::size_t parent, std::size_t column, std::size_t parent_column,
                             std::span<const std::size_t> only, std::span<const std::size_t> keys) {
    const std::size_t s = segments.size();
    segments.push_back({t, parent, column, parent_column, columns.size(), 0, npos, {}, npos});
    add_columns(*this, s, only, keys);
    return s;
}

void level_spec::aggregate(std::size_t s, aggregate_item a) {
    if (segments[s].aggregates == npos) segments[s].aggregates = columns.size();
    const std::size_t at = columns.size();
    columns.push_back({a.info, 1, s, segments[s].key_column});
    aggregates.push_back({std::move(a), s, at});
}

namespace {

// The columns of a projected level's model that its relations read from each row (their
// owner-side keys), loaded whether or not the projection names them. Empty when the level
// is not projected (it loads every column).
std::vector<std::size_t> relation_keys(const query_tree& q) {
    std::vector<std::size_t> keys;
    if (!q.spec.only.empty())
        for (const load_tree& l : q.loads)
            if (l.how != load_tree::kind::aggregated) keys.push_back(l.owner_column);
    return keys;
}

// Segment `self`'s aggregates (contiguous), then the relations joined to it, depth first.
void add_joins(const query_tree& q, level_spec& l, std::size_t self) {
    for (const load_tree& load : q.loads)
        if (load.how == load_tree::kind::aggregated) l.aggregate(self, load.aggregate);
    for (const load_tree& load : q.loads) {
        if (load.how != load_tree::kind::joined) continue;
        const std::vector<std::size_t> keys = relation_keys(load.nested);
        const std::size_t s =
            l.join(load.target, self, load.target_column, load.owner_column, load.nested.spec.only, keys);
        add_joins(load.nested, l, s);
        l.close(s);
    }
}

void plan_loads(const query_tree& q, dialect d, std::vector<std::string>& out) {
    for (const load_tree& load : q.loads) {
        if (load.how == load_tree::kind::prefetched) {
            params ps;
            const std::string no_keys;
            out.push_back(render_level(prefetch_level_spec(load), d, &no_keys, ps));
        }
        if (load.how != load_tree::kind::aggregated) plan_loads(load.nested, d, out);  // an aggregate is a column
    }
}

}  // namespace

query_tree::query_tree() = default;
query_tree::query_tree(const query_tree&) = default;
query_tree::query_tree(query_tree&&) noexcept = default;
query_tree& query_tree::operator=(const query_tree&) = default;
query_tree& query_tree::operator=(query_tree&&) noexcept = default;
query_tree::~query_tree() = default;

load_tree::load_tree() = default;
load_tree::load_tree(const load_tree&) = default;
load_tree::load_tree(load_tree&&) noexcept = default;
load_tree& load_tree::operator=(const load_tree&) = default;
load_tree& load_tree::operator=(load_tree&&) noexcept = default;
load_tree::~load_tree() = default;

query_tree with_relation(const query_tree& q, load_tree::kind how, std::uint8_t relation, std::size_t owner_column,
                         const table_info* target, std::size_t target_column, const table_info* through,
                         std::size_t through_owner_column, std::size_t through_target_column, query_tree&& nested) {
    query_tree t = q;
    load_tree& l = t.loads.emplace_back();
    l.how = how;
    l.relation = relation;
    l.owner_column = owner_column;
    l.target = target;
    l.target_column = target_column;
    l.through = through;
    l.through_owner_column = through_owner_column;
    l.through_target_column = through_target_column;
    l.nested = std::move(nested);
    return t;
}

query_tree with_aggregate(query_tree&& q, aggregate_item a) {
    query_tree t = std::move(q);
    load_tree& l = t.loads.back();
    l.how = load_tree::kind::aggregated;
    l.aggregate = std::move(a);
    return t;
}

query_tree with_limit(const query_tree& q, std::optional<long long> select_spec::*field, const char* what,
                      std::optional<long long> n) {
    if (n && *n < 0)
        throw std::invalid_argument("eagerload: " + std::string(what) + "(" + std::to_string(*n) + ") on table " +
                                    q.spec.table->name + ": must not be negative");
    query_tree t = q;
    t.spec.*field = n;
    return t;
}

level_spec root_level(const query_tree& q) {
    level_spec l;
    l.begin(q.spec, relation_keys(q));
    add_joins(q, l, 0);
    l.close(0);
    return l;
}

level_spec prefetch_level_spec(const load_tree& load) {
    level_spec l;
    l.prefetch = true;
    const query_tree& nested = load.nested;
    std::vector<std::size_t> keys = relation_keys(nested);
    if (load.through) {  // many_to_many
        l.through = load.through;
        l.match_column = load.through_owner_column;
        l.through_target_column = load.through_target_column;
    } else {
        l.match_column = load.target_column;
        if (!nested.spec.only.empty()) keys.push_back(l.match_column);  // children are matched by it
    }
    l.begin(nested.spec, keys);
    add_joins(nested, l, 0);
    l.close(0);
    return l;
}

void append_plan(const query_tree& q, dialect d, std::vector<std::string>& out) {
    params ps;
    out.push_back(render_level(root_level(q), d, nullptr, ps));
    plan_loads(q, d, out);
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

void throw_repeated_key(const table_info& owner, std::size_t owner_column) {
    throw error("eagerload: two rows of \"" + owner.name + "\" have the same " + owner.columns[owner_column].name +
                ", its primary key: the table does not enforce its key, so rows cannot be told apart");
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
