// The compiled half of a prefetched level (detail/loader.hpp): grouping parents by key,
// the key list, rendering, the fetch, matching each row to its parents, the checks a
// relation makes, and where each child goes. Compiled once here; each level's type
// contributes only the thunks of prefetch_ops.
#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "backend.hpp"
#include "database_state.hpp"
#include "eagerload/detail/loader.hpp"

namespace eagerload::detail {
namespace {

template <class K>
K key_from(long long i, std::string_view s) {
    if constexpr (std::is_same_v<K, long long>) {
        (void)s;
        return i;
    } else {
        (void)i;
        return s;
    }
}

// The parent key of row r, from the column the level is matched by.
template <class K>
K row_key(const column_data& c, std::size_t r) {
    if constexpr (std::is_same_v<K, long long>) return c.ints[r];
    else return c.texts[r];
}

// 0: every collection level is placed as its rows arrive. (16,384 until the projected
// nodes shrank: then the flat vector's doubling, alive beside the lists, was most of a
// small level's peak; docs/reliability.md, "Large levels placed as rows arrive".)
std::atomic<std::size_t> direct_threshold{0};

// Parents sharing a key get copies of the first one's list.
void copy_shared(std::span<void* const> parents, std::span<const std::uint32_t> parent_group,
                 std::span<const std::size_t> first_parent, const prefetch_ops& ops) {
    for (std::size_t p = 0; p < parents.size(); ++p) {
        const std::uint32_t g = parent_group[p];
        if (g == no_group || first_parent[g] == p) continue;
        // two rows with one primary key: not a table we can trust
        if (!ops.copy_slot) throw_repeated_key(*ops.owner, ops.owner_column);
        ops.copy_slot(parents[p], parents[first_parent[g]]);
    }
}

template <class K>
void run(const database& db, std::span<void* const> parents, const prefetch_ops& ops) {
    // Parents grouped by key; the distinct keys, in first-seen order, are the list parameter.
    key_index<K> index(parents.size());
    std::vector<std::uint32_t> parent_group(parents.size(), no_group);
    for (std::size_t p = 0; p < parents.size(); ++p) {
        long long i = 0;
        std::string_view s;
        if (ops.parent_key(parents[p], i, s)) parent_group[p] = index.insert(key_from<K>(i, s));
    }
    if (index.size() == 0) return;  // no parent keys: no statement

    const level_spec& spec = *ops.spec;
    const std::string list = encode_keys(db.sql_dialect(), index.keys());
    params ps;
    const std::string sql = render_level(spec, db.sql_dialect(), &list, ps);

    // The result column a row is matched by: the join table's owner column (column 0),
    // or the child's own key column (never NULL: it matched a key).
    std::size_t match = 0;
    if (!ops.via) {
        const segment& s = spec.segments[0];
        match = s.fields.empty() ? s.first + spec.match_column : s.fields[spec.match_column];
    }
    // Collections: up to a threshold (by default none), the rows gather in the flat
    // `children` vector and each list is sized exactly once at the end (one allocation per
    // list, but the flat copy and the lists alive together). Past it, where the backend
    // streams rows (every backend does), each batch is moved straight into its
    // parents' lists as it arrives and the flat vector is emptied, so a huge level never
    // holds every child twice (the flat copy and the lists); the lists, grown as vectors
    // grow (no guess at their size: a guess from the rows seen so far can be far too
    // large for the parents still to come), are trimmed at the end. (A backend holding the
    // whole result keeps the flat vector: its lists are then made after the result is
    // freed, in its memory.)
    const bool collection = !ops.single && db.state().be().streams_rows();
    const std::size_t threshold = direct_threshold.load(std::memory_order_relaxed);
    std::vector<std::size_t> first_parent;  // per group; every group has a parent
    if (collection) {
        first_parent.assign(index.size(), npos);
        for (std::size_t p = parents.size(); p-- > 0;)
            if (parent_group[p] != no_group) first_parent[parent_group[p]] = p;
    }
    bool direct = false;
    std::size_t placed_rows = 0;  // rows already moved out of `children` (direct)
    std::vector<std::uint32_t> child_group;
    std::vector<std::size_t> list_sizes, list_capacities;  // direct: per group's list
    fetch(db, sql, ps, spec.columns, [&](result_batch& b) {
        if (child_group.capacity() < child_group.size() + b.rows)
            child_group.reserve(std::max(child_group.size() + b.rows, 2 * child_group.capacity()));
        const column_data& c = b.columns[match];
        for (std::size_t r = 0; r < b.rows; ++r) {  // before read_rows, which moves texts out
            const K k = row_key<K>(c, r);
            const std::uint32_t g = index.find(k);
            if (g == no_group) throw_unmatched_key(spec, key_param(k));  // the database matched differently
            child_group.push_back(g);
        }
        ops.read_rows(ops.children, b, spec, ops.query);
        if (collection && child_group.size() > threshold) direct = true;
        if (direct) {
            // Each child moved to the end of its parent's list: make_list resizes it by
            // one within the capacity reshape_list gave it, grown by half (not doubled:
            // less slack while every list is still growing).
            if (list_sizes.empty()) {
                list_sizes.assign(index.size(), 0);
                list_capacities.assign(index.size(), 0);
            }
            char* const from = static_cast<char*>(ops.data(ops.children));
            for (std::size_t i = placed_rows; i < child_group.size(); ++i) {
                const std::uint32_t g = child_group[i];
                void* const parent = parents[first_parent[g]];
                std::size_t& size = list_sizes[g];
                if (size == list_capacities[g]) {
                    list_capacities[g] = size + size / 2 + 1;
                    ops.reshape_list(parent, size, list_capacities[g]);
                }
                char* const list = static_cast<char*>(ops.make_list(parent, size + 1));
                ops.move_child(list + size * ops.child_size, from + (i - placed_rows) * ops.child_size);
                ++size;
            }
            placed_rows = child_group.size();
            ops.clear(ops.children);
        }
    });
    if (direct) {
        // Trimmed lists; the nested level gets the children in row order, as below.
        const std::size_t n = child_group.size();
        std::vector<char*> next(index.size(), nullptr);
        for (std::size_t g = 0; g < next.size(); ++g)
            next[g] = static_cast<char*>(list_capacities[g] > list_sizes[g]
                                             ? ops.reshape_list(parents[first_parent[g]], list_sizes[g], list_sizes[g])
                                             : ops.make_list(parents[first_parent[g]], list_sizes[g]));
        if (ops.run_nested) {
            std::vector<void*> placed(n);
            for (std::size_t i = 0; i < n; ++i) {
                char*& at = next[child_group[i]];
                placed[i] = at;
                at += ops.child_size;
            }
            std::vector<std::uint32_t>().swap(child_group);
            ops.run_nested(db, placed, ops.query);
        }
        copy_shared(parents, parent_group, first_parent, ops);
        return;
    }
    const std::size_t n = child_group.size();
    char* const first_child = n == 0 ? nullptr : static_cast<char*>(ops.data(ops.children));
    const auto child = [&](std::size_t i) -> void* { return first_child + i * ops.child_size; };

    const placement place(parent_group, child_group, index.size());
    if (ops.single) {
        if (ops.run_nested) {
            std::vector<void*> ptrs(n);
            for (std::size_t i = 0; i < n; ++i) ptrs[i] = child(i);
            ops.run_nested(db, ptrs, ops.query);
        }
        std::vector<std::uint32_t> child_of(index.size(), no_group);
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t& c = child_of[child_group[i]];
            if (ops.has_one && c != no_group)
                throw_has_one_duplicate(*ops.owner, key_param(index.keys()[child_group[i]]), *ops.target,
                                        ops.target_column);
            c = static_cast<std::uint32_t>(i);
        }
        std::vector<std::uint32_t> parent_child(parents.size(), no_group);
        for (std::size_t p = 0; p < parents.size(); ++p) {
            const std::uint32_t g = parent_group[p];
            if (g == no_group) continue;
            if (child_of[g] != no_group) parent_child[p] = child_of[g];
            else if (ops.required)
                throw_dangling(*ops.owner, ops.owner_column, key_param(index.keys()[g]), *ops.target,
                               ops.target_column);
        }
        ops.share(ops.children, parents.data(), parents.size(), parent_child.data());
        return;
    }
    // Each group's children go, moved once and in order, into the exactly sized list of
    // the first parent with that key; parents sharing a key get copies at the end.
    std::vector<char*> next(index.size(), nullptr);  // per group: where its next child goes
    for (std::size_t g = 0; g < next.size(); ++g)
        if (place.first_parent[g] != npos)
            next[g] = static_cast<char*>(ops.make_list(parents[place.first_parent[g]], place.children_per_group[g]));
    std::vector<void*> placed(ops.run_nested ? n : 0);
    for (std::size_t i = 0; i < n; ++i) {
        char*& to = next[child_group[i]];
        ops.move_child(to, child(i));
        if (ops.run_nested) placed[i] = to;
        to += ops.child_size;
    }
    if (ops.run_nested) ops.run_nested(db, placed, ops.query);
    copy_shared(parents, parent_group, place.first_parent, ops);
}

}  // namespace

void run_prefetch(const database& db, std::span<void* const> parents, const prefetch_ops& ops) {
    if (ops.text_key) run<std::string_view>(db, parents, ops);
    else run<long long>(db, parents, ops);
}

std::size_t set_prefetch_direct_threshold(std::size_t rows) { return direct_threshold.exchange(rows); }

void run_root(const database& db, const root_ops& ops) {
    snapshot snap(db, ops.run_nested != nullptr);
    params ps;
    const std::string sql = render_level(*ops.spec, db.sql_dialect(), nullptr, ps);
    fetch(
        db, sql, ps, ops.spec->columns,
        [&](result_batch& b) { ops.read_rows(ops.rows, b, *ops.spec, ops.query); }, ops.expected_rows);
    if (ops.run_nested) {
        const std::size_t n = ops.size(ops.rows);
        std::vector<void*> ptrs(n);
        char* const first = n == 0 ? nullptr : static_cast<char*>(ops.data(ops.rows));
        for (std::size_t i = 0; i < n; ++i) ptrs[i] = first + i * ops.row_size;
        ops.run_nested(db, ptrs, ops.query);
    }
    snap.commit();
}

}  // namespace eagerload::detail
