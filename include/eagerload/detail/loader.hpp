#pragma once
// Runs a load: the root statement, then ONE statement per prefetched level, each fed
// the deduplicated keys of all parent rows of that level as a single list parameter;
// children are grouped under their parents in the order of the child query. Included
// at the end of select.hpp.
//
// Only what needs the types lives here (reading a row into a node, putting a child in
// its parent); grouping by key is compiled once per key kind (detail/key_index.hpp).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/key_index.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/detail/statement_cache.hpp"
#include "eagerload/projection.hpp"
#include "eagerload/relation.hpp"

namespace eagerload::detail {

// Cold paths, in src/load.cpp.
[[noreturn]] void throw_dangling(const table_info& owner, std::size_t owner_column, const param& key,
                                 const table_info& target, std::size_t target_column);
[[noreturn]] void throw_has_one_duplicate(const table_info& owner, const param& key, const table_info& target,
                                          std::size_t target_column);
[[noreturn]] void throw_unmatched_key(const level_spec& l, const param& key);

// Opens a read-only REPEATABLE READ transaction for a multi-statement load, unless the
// thread is already inside one (then the caller's transaction is the snapshot).
class snapshot {
public:
    snapshot(const database& db, bool needed);
    ~snapshot();
    snapshot(const snapshot&) = delete;
    snapshot& operator=(const snapshot&) = delete;
    void commit();

private:
    std::unique_ptr<transaction> tx_;
};

// --- keys ---------------------------------------------------------------------------

template <class K>
inline constexpr bool supported_key = std::is_integral_v<K> || std::is_same_v<K, std::string>;

// What a key_index holds for a key member's type: every integer as long long, text as a view.
template <auto P>
using index_key_t = std::conditional_t<std::is_integral_v<column_value_t<member_type_of<P>>>, long long,
                                       std::string_view>;

// The key member P of `obj` (unwrapping std::optional); false when NULL.
template <auto P, class Obj>
bool index_key_of(const Obj& obj, index_key_t<P>& out) {
    const auto& v = static_cast<const class_of<P>&>(obj).*P;
    if constexpr (column_traits<member_type_of<P>>::nullable) {
        if (!v) return false;
        out = index_key_t<P>(*v);
    } else {
        out = index_key_t<P>(v);
    }
    return true;
}

inline param key_param(long long k) { return param::integer(k); }
inline param key_param(std::string_view k) { return param::text(std::string(k)); }

// --- the layout of a level (detail/level_spec.hpp), built once per statement --------
template <class Q>
void add_joins(const Q& q, level_spec& l, std::size_t self);

// The columns of a projected level's model that its relations read from each row (their
// owner-side keys), loaded whether or not the projection names them. Empty when the level
// is not projected (it loads every column).
template <class Q>
std::vector<std::size_t> relation_keys(const Q& q) {
    std::vector<std::size_t> keys;
    if constexpr (view_traits<typename Q::row_type>::is_view) {
        std::apply(
            [&](const auto&... load) {
                (
                    [&] {
                        using L = std::remove_cvref_t<decltype(load)>;
                        if constexpr (!L::aggregated)
                            keys.push_back(field_index<typename Q::model_type, L::relation::owner_key>);
                    }(),
                    ...);
            },
            q.loads());
    }
    return keys;
}

template <class L>
void add_join(const L& load, level_spec& l, std::size_t parent) {
    if constexpr (!L::prefetched && !L::aggregated) {
        using R = typename L::relation;
        using Target = typename R::target;
        const std::vector<std::size_t> keys = relation_keys(load.q);
        const std::size_t s = l.join(&table_of<Target>(), parent, field_index<Target, R::target_key>,
                                     field_index<typename R::owner, R::owner_key>, load.q.spec().only, keys);
        add_joins(load.q, l, s);
        l.close(s);
    }
}

template <class L>
void add_aggregate(const L& load, level_spec& l, std::size_t self) {
    if constexpr (L::aggregated) l.aggregate(self, load.a.item());
}

// Segment `self`'s aggregates (contiguous), then the relations joined to it.
template <class Q>
void add_joins(const Q& q, level_spec& l, std::size_t self) {
    std::apply([&](const auto&... load) { (add_aggregate(load, l, self), ...); }, q.loads());
    std::apply([&](const auto&... load) { (add_join(load, l, self), ...); }, q.loads());
}

// The root statement of a load (or of all()).
template <class Q>
level_spec root_level(const Q& q) {
    level_spec l;
    l.begin(q.spec(), relation_keys(q));
    add_joins(q, l, 0);
    l.close(0);
    return l;
}

// The statement of a level prefetched through relation R, described by `nested`.
template <class R, class Q>
level_spec prefetch_level_spec(const Q& nested) {
    level_spec l;
    l.prefetch = true;
    std::vector<std::size_t> keys = relation_keys(nested);
    if constexpr (R::kind == relation_kind::many_to_many) {
        using J = typename R::through;
        l.through = &table_of<J>();
        l.match_column = field_index<J, R::through_owner_key>;
        l.through_target_column = field_index<J, R::through_target_key>;
    } else {
        l.match_column = field_index<typename R::target, R::target_key>;
        if (!nested.spec().only.empty()) keys.push_back(l.match_column);  // children are matched by it
    }
    l.begin(nested.spec(), keys);
    add_joins(nested, l, 0);
    l.close(0);
    return l;
}

// --- reading rows ---------------------------------------------------------------------
// One value of a result column into a member (the checked null of read_column, at any
// result column: projected segments and aggregates).
template <class M>
void read_field(result_batch& b, std::size_t c, std::size_t key_column, std::size_t col, std::size_t r, M& out,
                const table_info& t) {
    column_data& d = b.columns[c];
    if constexpr (column_traits<M>::nullable) {
        if (d.nulls[r]) out.reset();
        else read_present(d, r, out.emplace());
    } else {
        if (d.nulls[r]) throw_null(t, col, b, key_column, r);
        read_present(d, r, out);
    }
}

// The loaded columns of a projected segment.
template <class T>
void read_projected(result_batch& b, const segment& s, std::size_t r, T& out) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((s.fields[I] != npos ? read_field(b, s.fields[I], s.key_column, I, r, field<I>(out), *s.table) : void()), ...);
    }(std::make_index_sequence<field_count<T>>{});
}

// Reads row r of segment s into a row of type Row (a model, or a view of one).
template <class Row, class X>
void read_segment(result_batch& b, const segment& s, std::size_t r, X& out) {
    auto& row = row_access::get<Row>(out);
    if constexpr (view_traits<Row>::is_view) read_projected(b, s, r, row);
    else read_row(b, s.first, r, row, *s.table);
}

// Rows of a projected root (all() of a query with .only<...>()).
template <class Row>
std::vector<Row> fetch_view_rows(const database& db, const std::string& sql, const params& ps, const level_spec& l,
                                 std::size_t expected_rows) {
    std::vector<Row> rows;
    fetch(
        db, sql, ps, l.columns,
        [&](result_batch& b) {
            for (std::size_t r = 0; r < b.rows; ++r) read_segment<Row>(b, l.segments[0], r, rows.emplace_back());
        },
        expected_rows);
    return rows;
}

// Reads segment `seg` of row r into n, then its aggregates and the relations joined below it.
template <class Q>
void read_node(result_batch& b, const level_spec& l, std::size_t seg, std::size_t r, typename Q::node_type& n,
               const Q& q) {
    using T = typename Q::model_type;
    const segment& s = l.segments[seg];
    read_segment<typename Q::row_type>(b, s, r, n);
    if constexpr (std::tuple_size_v<typename Q::loads_type> > 0) {
        std::size_t child = seg + 1;
        std::size_t aggregate = s.aggregates;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    using L = std::tuple_element_t<I, typename Q::loads_type>;
                    if constexpr (L::aggregated) {
                        const column_source& c = l.columns[aggregate];
                        read_field(b, aggregate, c.key, 1, r, std::get<I>(n.loaded), *c.table);
                        ++aggregate;
                    } else if constexpr (!L::prefetched) {
                        using R = typename L::relation;
                        const segment& cs = l.segments[child];
                        if (b.columns[cs.key_column].nulls[r]) {
                            if constexpr (R::kind == relation_kind::belongs_to) {
                                index_key_t<R::owner_key> k;
                                if (index_key_of<R::owner_key>(row_access::get<typename Q::row_type>(n), k))
                                    throw_dangling(*s.table, field_index<T, R::owner_key>, key_param(k), *cs.table,
                                                   field_index<typename R::target, R::target_key>);
                            }
                        } else {
                            auto& slot = std::get<I>(n.loaded);
                            slot.emplace();
                            read_node(b, l, child, r, *slot, std::get<I>(q.loads()).q);
                        }
                        child = cs.end;
                    }
                }(),
                ...);
        }(std::make_index_sequence<std::tuple_size_v<typename Q::loads_type>>{});
    }
}

// `Unique`: the nodes are distinct rows (root rows, has_many children, shared single
// rows), so two of them share a relation key only if that key is not the owner's
// primary key. Only where keys can repeat is the code that copies a child subtree to a
// second parent instantiated: it is the most expensive part of a level to compile.
template <class Q, bool Unique>
void run_loads(const database& db, std::span<typename Q::node_type* const> nodes, const Q& q);

[[noreturn]] void throw_repeated_key(const table_info& owner, std::size_t owner_column);

// --- one prefetched level ---------------------------------------------------------------
template <std::size_t I, class Q, bool Unique, class L>
void prefetch_level(const database& db, std::span<typename Q::node_type* const> parents, const L& load) {
    using R = typename L::relation;
    using Child = typename L::node_type;
    using K = index_key_t<R::owner_key>;
    static_assert(supported_key<column_value_t<member_type_of<R::owner_key>>>,
                  "eagerload: relation keys must be integers or strings");
    constexpr bool via = R::kind == relation_kind::many_to_many;

    // Parents grouped by key; the distinct keys, in first-seen order, are the list parameter.
    key_index<K> index(parents.size());
    std::vector<std::uint32_t> parent_group(parents.size(), no_group);
    for (std::size_t i = 0; i < parents.size(); ++i) {
        K k;
        if (index_key_of<R::owner_key>(row_access::get<typename Q::row_type>(*parents[i]), k))
            parent_group[i] = index.insert(k);
    }
    if (index.size() == 0) return;  // no parent keys: no statement

    const level_spec spec = prefetch_level_spec<R>(load.q);
    const std::string list = encode_keys(db.sql_dialect(), index.keys());
    params ps;
    const std::string sql = render_level(spec, db.sql_dialect(), &list, ps);

    std::vector<Child> children;
    std::vector<std::uint32_t> child_group;
    fetch(db, sql, ps, spec.columns, [&](result_batch& b) {
        if (children.capacity() < children.size() + b.rows) {
            const std::size_t n = std::max(children.size() + b.rows, 2 * children.capacity());
            children.reserve(n);
            child_group.reserve(n);
        }
        for (std::size_t r = 0; r < b.rows; ++r) {
            K k{};
            if constexpr (via) {  // the parent key, read from the join table (column 0)
                if constexpr (std::is_same_v<K, long long>) k = b.columns[0].ints[r];
                else k = b.columns[0].texts[r];
            }
            Child& c = children.emplace_back();
            read_node(b, spec, 0, r, c, load.q);
            if constexpr (!via)  // never NULL: it matched a key
                index_key_of<R::target_key>(row_access::get<typename L::query::row_type>(c), k);
            const std::uint32_t g = index.find(k);
            if (g == no_group) throw_unmatched_key(spec, key_param(k));  // the database matched differently
            child_group.push_back(g);
        }
    });

    const placement place(parent_group, child_group, index.size());
    if constexpr (R::single) {
        // One block for the whole level; each parent points into it (aliasing shared_ptr).
        auto block = std::make_shared<std::vector<Child>>(std::move(children));
        if constexpr (L::query::statements > 1) {
            std::vector<Child*> ptrs;
            ptrs.reserve(block->size());
            for (auto& c : *block) ptrs.push_back(&c);
            run_loads<typename L::query, true>(db, ptrs, load.q);
        }
        std::vector<std::uint32_t> child_of(index.size(), no_group);
        for (std::size_t i = 0; i < child_group.size(); ++i) {
            std::uint32_t& c = child_of[child_group[i]];
            if constexpr (R::kind == relation_kind::has_one) {
                if (c != no_group)
                    throw_has_one_duplicate(table_of<typename R::owner>(), key_param(index.keys()[child_group[i]]),
                                            table_of<typename R::target>(),
                                            field_index<typename R::target, R::target_key>);
            }
            c = static_cast<std::uint32_t>(i);
        }
        for (std::size_t p = 0; p < parents.size(); ++p) {
            const std::uint32_t g = parent_group[p];
            if (g == no_group) continue;
            if (child_of[g] != no_group) {
                std::get<I>(parents[p]->loaded) = std::shared_ptr<const Child>(block, &(*block)[child_of[g]]);
            } else if constexpr (R::kind == relation_kind::belongs_to && !L::optional) {
                throw_dangling(table_of<typename R::owner>(), field_index<typename R::owner, R::owner_key>,
                               key_param(index.keys()[g]), table_of<typename R::target>(),
                               field_index<typename R::target, R::target_key>);
            }
        }
    } else {
        // Each group's children go, moved once, into the exactly reserved list of the
        // first parent with that key; parents sharing a key get copies at the end.
        for (std::size_t g = 0; g < place.first_parent.size(); ++g)
            if (place.first_parent[g] != npos)
                std::get<I>(parents[place.first_parent[g]]->loaded).reserve(place.children_per_group[g]);
        std::vector<Child*> placed;
        if constexpr (L::query::statements > 1) placed.reserve(children.size());
        for (std::size_t i = 0; i < children.size(); ++i) {
            auto& list = std::get<I>(parents[place.first_parent[child_group[i]]]->loaded);
            list.push_back(std::move(children[i]));
            if constexpr (L::query::statements > 1) placed.push_back(&list.back());  // reserved: stays put
        }
        // Children of a has_many are distinct rows; those of a many_to_many may repeat.
        constexpr bool children_unique = R::kind != relation_kind::many_to_many;
        if constexpr (L::query::statements > 1) run_loads<typename L::query, children_unique>(db, placed, load.q);
        using Owner = typename R::owner;
        // (a composite primary key: its single column repeats)
        constexpr bool keys_can_repeat = !Unique || !is_whole_key<Owner, R::owner_key>();
        if constexpr (keys_can_repeat) {
            if (place.shared_keys) {
                for (std::size_t p = 0; p < parents.size(); ++p) {
                    const std::uint32_t g = parent_group[p];
                    if (g != no_group && place.first_parent[g] != p)
                        std::get<I>(parents[p]->loaded) = std::get<I>(parents[place.first_parent[g]]->loaded);
                }
            }
        } else if (place.shared_keys) {  // two rows with one primary key: not a table we can trust
            throw_repeated_key(table_of<Owner>(), field_index<Owner, R::owner_key>);
        }
    }
}

template <class Q, bool Unique>
void run_loads(const database& db, std::span<typename Q::node_type* const> nodes, const Q& q) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using L = std::tuple_element_t<I, typename Q::loads_type>;
                const L& load = std::get<I>(q.loads());
                if constexpr (L::prefetched) {
                    prefetch_level<I, Q, Unique>(db, nodes, load);
                } else if constexpr (L::statements > 0) {
                    // A joined relation whose own query prefetches: run it over the joined rows.
                    std::vector<typename L::node_type*> inner;
                    inner.reserve(nodes.size());
                    for (auto* n : nodes)
                        if (auto& slot = std::get<I>(n->loaded)) inner.push_back(&*slot);
                    run_loads<typename L::query, false>(db, inner, load.q);  // joined rows repeat
                }
            }(),
            ...);
    }(std::make_index_sequence<std::tuple_size_v<typename Q::loads_type>>{});
}

template <class Q>
std::vector<typename Q::node_type> load_graph_once(const Q& q, const database& db) {
    const level_spec spec = root_level(q);
    snapshot snap(db, Q::statements > 1);
    params ps;
    const std::string sql = render_level(spec, db.sql_dialect(), nullptr, ps);
    std::vector<typename Q::node_type> rows;
    fetch(
        db, sql, ps, spec.columns,
        [&](result_batch& b) {
            for (std::size_t r = 0; r < b.rows; ++r) read_node(b, spec, 0, r, rows.emplace_back(), q);
        },
        q.expected_rows());
    if constexpr (Q::statements > 1) {
        std::vector<typename Q::node_type*> ptrs;
        ptrs.reserve(rows.size());
        for (auto& n : rows) ptrs.push_back(&n);
        run_loads<Q, true>(db, ptrs, q);
    }
    snap.commit();
    return rows;
}

// Once more on a fresh snapshot if a cached statement went stale (statement_cache.hpp).
template <class Q>
std::vector<typename Q::node_type> load_graph(const Q& q, const database& db) {
    return retry_read(db, [&] { return load_graph_once(q, db); });
}

template <class Q>
void plan_loads(const Q& q, dialect d, std::vector<std::string>& out) {
    std::apply(
        [&](const auto&... load) {
            (
                [&] {
                    using L = std::remove_cvref_t<decltype(load)>;
                    if constexpr (L::prefetched) {
                        params ps;
                        const std::string no_keys;
                        out.push_back(
                            render_level(prefetch_level_spec<typename L::relation>(load.q), d, &no_keys, ps));
                    }
                    if constexpr (!L::aggregated) plan_loads(load.q, d, out);  // an aggregate is a column
                }(),
                ...);
        },
        q.loads());
}

template <class Q>
void append_plan(const Q& q, dialect d, std::vector<std::string>& out) {
    params ps;
    out.push_back(render_level(root_level(q), d, nullptr, ps));
    plan_loads(q, d, out);
}

}  // namespace eagerload::detail
