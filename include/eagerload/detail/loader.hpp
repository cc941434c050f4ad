#pragma once
// Runs a load: the root statement, then ONE statement per prefetched level, each fed
// the deduplicated keys of all parent rows of that level as a single list parameter;
// children are grouped under their parents in the order of the child query. Included
// at the end of select.hpp.
//
// Only what needs the types lives here (reading a row into a node, putting a child in
// its parent), per node type: queries that load the same shape with other filters or
// orders share it. The layouts come from the query's runtime tree (src/load.cpp), the
// driver of each level is compiled (src/prefetch.cpp).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/key_index.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/detail/statement_cache.hpp"
#include "eagerload/graph.hpp"
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

// Key column P's value `v` (unwrapping std::optional); false when NULL.
template <auto P>
bool index_key_of(const member_type_of<P>& v, index_key_t<P>& out) {
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

// What a node type loads, as a tuple type (for tuple_element_t): only named, never built.
template <class Node>
struct node_loads;
template <class T, class... Loads>
struct node_loads<node<T, Loads...>> {
    using type = std::tuple<Loads...>;
    static constexpr std::size_t size = sizeof...(Loads);
};

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

// The columns of a projected segment that `out` (a field_subset) stores. Every one of
// them is in the segment (the key, the named columns, the keys relations need); the
// segment's other columns (the key the level was matched by) are not kept.
template <class Fields>
void read_projected(result_batch& b, const segment& s, std::size_t r, Fields& out) {
    out.each([&](auto i, auto& field) {
        if (s.fields[i] != npos) read_field(b, s.fields[i], s.key_column, i, r, field, *s.table);
    });
}

// Reads row r of segment s into a row of type Row (a model, or a view of one).
template <class Row, class X>
void read_segment(result_batch& b, const segment& s, std::size_t r, X& out) {
    if constexpr (view_traits<Row>::is_view) read_projected(b, s, r, row_access::stored<Row>(out));
    else read_row(b, s.first, r, static_cast<Row&>(out), *s.table);
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
// Per node type: every query that loads this shape shares it.
template <class Node>
void read_node(result_batch& b, const level_spec& l, std::size_t seg, std::size_t r, Node& n) {
    using T = typename Node::model_type;
    using Loads = typename node_loads<Node>::type;
    const segment& s = l.segments[seg];
    read_segment<typename Node::row_type>(b, s, r, n);
    if constexpr (view_traits<typename Node::row_type>::is_view) read_projected(b, s, r, n.keys);
    if constexpr (node_loads<Node>::size > 0) {
        std::size_t child = seg + 1;
        std::size_t aggregate = s.aggregates;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    using L = std::tuple_element_t<I, Loads>;
                    if constexpr (L::aggregated) {
                        const column_source& c = l.columns[aggregate];
                        read_field(b, aggregate, c.key, 1, r, slot_get<I>(n.loaded), *c.table);
                        ++aggregate;
                    } else if constexpr (!L::prefetched) {
                        using R = typename L::relation;
                        const segment& cs = l.segments[child];
                        if (b.columns[cs.key_column].nulls[r]) {
                            if constexpr (R::kind == relation_kind::belongs_to) {
                                index_key_t<R::owner_key> k;
                                if (index_key_of<R::owner_key>(node_column<R::owner_key>(n), k))
                                    throw_dangling(*s.table, field_index<T, R::owner_key>, key_param(k), *cs.table,
                                                   field_index<typename R::target, R::target_key>);
                            }
                        } else {
                            auto& slot = slot_get<I>(n.loaded);
                            slot.emplace();
                            read_node(b, l, child, r, *slot);
                        }
                        child = cs.end;
                    }
                }(),
                ...);
        }(std::make_index_sequence<node_loads<Node>::size>{});
    }
}

// --- prefetched levels: a compiled driver and a few typed thunks per level -------------
// The driver (src/prefetch.cpp) groups the parents by key, renders and runs the level's
// statement, matches each row to its parents' group from the result columns, checks
// what the relation requires, and places the children; the typed half below only reads
// rows into nodes, reads a parent's key, and puts children into a parent's slot. That
// is the code every prefetched level instantiates, so it is kept small.

using read_rows_fn = void (*)(void* rows, result_batch& b, const level_spec& spec, const void* query);
using run_nested_fn = void (*)(const database& db, std::span<void* const> nodes, const void* query);

// A level's children while it loads: std::vector<Child>, behind void*.
struct prefetch_ops {
    const level_spec* spec;
    const void* query;  // the level's nested select_query
    void* children;     // std::vector<Child>, empty
    bool text_key;      // keys are text (else integers)
    bool via;           // many_to_many: the parent key is result column 0
    bool single;        // belongs_to, has_one: one shared block of children
    bool has_one;       // a second child for one parent is an error
    bool required;      // a parent key that matches no row is an error
    const table_info* owner;
    std::size_t owner_column;
    const table_info* target;
    std::size_t target_column;
    std::size_t child_size;  // sizeof(Child): the children are contiguous
    // The parent's key into `i` or `s` (by text_key); false when NULL.
    bool (*parent_key)(const void* parent, long long& i, std::string_view& s);
    // Appends one child per row of the batch.
    read_rows_fn read_rows;
    void* (*data)(void* children);  // the first child
    // single: parent p gets child child_of[p] (no_group: none), all in one shared block.
    void (*share)(void* children, void* const* parents, std::size_t n, const std::uint32_t* child_of);
    // collections: the parent's list, sized to n (default children), and its first child;
    // a child moved onto another.
    void* (*make_list)(void* parent, std::size_t n);
    void (*move_child)(void* to, void* from);
    // A large level's children go straight to their parents' lists as rows arrive
    // (make_list and move_child, within the capacity reshape_list gave the list: grown
    // by half, trimmed to its size at the end); the level's children emptied after each
    // batch. reshape_list returns the list's first child.
    void* (*reshape_list)(void* parent, std::size_t size, std::size_t capacity);
    void (*clear)(void* children);
    // A copy of `from`'s list into `to`; null where two parents cannot share a key.
    void (*copy_slot)(void* to, const void* from);
    // The children's own prefetches; null when they have none.
    run_nested_fn run_nested;
};
void run_prefetch(const database& db, std::span<void* const> parents, const prefetch_ops& ops);
// How many rows a collection level gathers in one flat vector (each list then sized
// exactly once) before it places each batch straight into the parents' lists (default
// 0: none); returns the previous value. For tests and benchmarks, which raise it to
// compare the two ways.
std::size_t set_prefetch_direct_threshold(std::size_t rows);

// The root statement of load(): snapshot, render, fetch, the nested levels, commit.
struct root_ops {
    const level_spec* spec;
    const void* query;
    void* rows;  // std::vector<Node>, empty
    std::size_t expected_rows;
    std::size_t row_size;
    read_rows_fn read_rows;
    std::size_t (*size)(void* rows);
    void* (*data)(void* rows);
    run_nested_fn run_nested;  // null when the query loads nothing by further statements
};
void run_root(const database& db, const root_ops& ops);

// `Unique`: the nodes are distinct rows (root rows, has_many children, shared single
// rows), so two of them share a relation key only if that key is not the owner's
// primary key. Only where keys can repeat is the code that copies a child subtree to a
// second parent instantiated: it is the most expensive part of a level to compile.
template <class Node, bool Unique>
void run_loads_erased(const database& db, std::span<void* const> nodes, const query_tree& q);

// `q`: the query that loaded the nodes (its runtime tree).
template <class Node, bool Unique>
void run_loads(const database& db, std::span<Node* const> nodes, const query_tree& q) {
    std::vector<void*> erased(nodes.begin(), nodes.end());
    run_loads_erased<Node, Unique>(db, erased, q);
}

[[noreturn]] void throw_repeated_key(const table_info& owner, std::size_t owner_column);

// The rows of a level of node type Node, behind void*: one instantiation per node type,
// shared by every query and parent that loads it. `q` is the level's query_tree.
template <class Node>
struct rows_of {
    using Rows = std::vector<Node>;
    static void read_rows(void* rows, result_batch& b, const level_spec& spec, const void*) {
        Rows& rs = *static_cast<Rows*>(rows);
        const std::size_t at = rs.size();
        rs.resize(at + b.rows);  // one growth path per node type: resize's
        for (std::size_t r = 0; r < b.rows; ++r) read_node(b, spec, 0, r, rs[at + r]);
    }
    static std::size_t size(void* rows) { return static_cast<Rows*>(rows)->size(); }
    static void* data(void* rows) { return static_cast<Rows*>(rows)->data(); }
    static void clear(void* rows) { static_cast<Rows*>(rows)->clear(); }
    static void move_one(void* to, void* from) { *static_cast<Node*>(to) = std::move(*static_cast<Node*>(from)); }
    template <bool Unique>
    static void run_nested(const database& db, std::span<void* const> nodes, const void* q) {
        run_loads_erased<Node, Unique>(db, nodes, *static_cast<const query_tree*>(q));
    }
};

// The typed thunks of a level loaded through load L (the I-th of parent node type P).
template <std::size_t I, class P, class L>
struct prefetch_thunks {
    using R = typename L::relation;
    using Child = typename L::node_type;
    using Children = std::vector<Child>;

    static bool parent_key(const void* parent, long long& i, std::string_view& s) {
        index_key_t<R::owner_key> k;
        if (!index_key_of<R::owner_key>(node_column<R::owner_key>(*static_cast<const P*>(parent)), k))
            return false;
        if constexpr (std::is_same_v<decltype(k), long long>) i = k;
        else s = k;
        return true;
    }
    static void share(void* children, void* const* parents, std::size_t n, const std::uint32_t* child_of) {
        // One block for the whole level; each parent points into it (aliasing shared_ptr).
        auto block = std::make_shared<Children>(std::move(*static_cast<Children*>(children)));
        for (std::size_t p = 0; p < n; ++p)
            if (child_of[p] != no_group)
                slot_get<I>(static_cast<P*>(parents[p])->loaded) =
                    std::shared_ptr<const Child>(block, &(*block)[child_of[p]]);
    }
    static void* make_list(void* parent, std::size_t n) {
        auto& list = slot_get<I>(static_cast<P*>(parent)->loaded);
        list.resize(n);
        return list.data();
    }
    // The list's first `size` children moved into a list of exactly `capacity`, through
    // resize() only (an empty vector's resize allocates exactly), as make_list: no
    // reserve, push_back or shrink_to_fit paths instantiated per level, which compile
    // time counts (docs/design.md, "Compile time").
    static void* reshape_list(void* parent, std::size_t size, std::size_t capacity) {
        auto& list = slot_get<I>(static_cast<P*>(parent)->loaded);
        std::remove_reference_t<decltype(list)> moved;
        moved.resize(capacity);
        for (std::size_t i = 0; i < size; ++i) moved[i] = std::move(list[i]);
        moved.resize(size);  // keeps the capacity
        list.swap(moved);
        return list.data();
    }
    static void copy_slot(void* to, const void* from) {
        slot_get<I>(static_cast<P*>(to)->loaded) = slot_get<I>(static_cast<const P*>(from)->loaded);
    }
};

template <std::size_t I, class P, bool Unique, class L>
void prefetch_level(const database& db, std::span<void* const> parents, const load_tree& load) {
    using R = typename L::relation;
    using Owner = typename R::owner;
    using Target = typename R::target;
    using Child = typename L::node_type;
    using T = prefetch_thunks<I, P, L>;
    using C = rows_of<Child>;
    static_assert(supported_key<column_value_t<member_type_of<R::owner_key>>>,
                  "eagerload: relation keys must be integers or strings");
    const level_spec spec = prefetch_level_spec(load);
    std::vector<Child> children;
    prefetch_ops ops{};
    ops.spec = &spec;
    ops.query = &load.nested;
    ops.children = &children;
    ops.text_key = !std::is_same_v<index_key_t<R::owner_key>, long long>;
    ops.via = R::kind == relation_kind::many_to_many;
    ops.single = R::single;
    ops.has_one = R::kind == relation_kind::has_one;
    ops.required = R::kind == relation_kind::belongs_to && !L::optional;
    ops.owner = &table_of<Owner>();
    ops.owner_column = field_index<Owner, R::owner_key>;
    ops.target = &table_of<Target>();
    ops.target_column = field_index<Target, R::target_key>;
    ops.child_size = sizeof(Child);
    ops.parent_key = &T::parent_key;
    ops.read_rows = &C::read_rows;
    ops.data = &C::data;
    if constexpr (R::single) {
        ops.share = &T::share;
    } else {
        ops.make_list = &T::make_list;
        ops.move_child = &C::move_one;
        ops.reshape_list = &T::reshape_list;
        ops.clear = &C::clear;
        // (a composite primary key: its single column repeats)
        if constexpr (!Unique || !is_whole_key<Owner, R::owner_key>()) ops.copy_slot = &T::copy_slot;
    }
    // Children of a has_many are distinct rows, and so are shared single rows; those of
    // a many_to_many may repeat.
    if constexpr (L::statements > 1)
        ops.run_nested = &C::template run_nested<R::single || R::kind != relation_kind::many_to_many>;
    run_prefetch(db, parents, ops);
}

template <class Node, bool Unique>
void run_loads_erased(const database& db, std::span<void* const> nodes, const query_tree& q) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using L = std::tuple_element_t<I, typename node_loads<Node>::type>;
                if constexpr (L::prefetched) {
                    prefetch_level<I, Node, Unique, L>(db, nodes, q.loads[I]);
                } else if constexpr (L::statements > 0) {
                    // A joined relation whose own query prefetches: run it over the joined rows.
                    std::vector<void*> inner;
                    inner.reserve(nodes.size());
                    for (void* n : nodes)
                        if (auto& slot = slot_get<I>(static_cast<Node*>(n)->loaded)) inner.push_back(&*slot);
                    run_loads_erased<typename L::node_type, false>(db, inner, q.loads[I].nested);  // joined rows repeat
                }
            }(),
            ...);
    }(std::make_index_sequence<node_loads<Node>::size>{});
}

template <class Node>
std::vector<Node> load_graph_once(const query_tree& q, const database& db, std::size_t expected_rows) {
    using C = rows_of<Node>;
    const level_spec spec = root_level(q);
    std::vector<Node> rows;
    root_ops ops{};
    ops.spec = &spec;
    ops.query = &q;
    ops.rows = &rows;
    ops.expected_rows = expected_rows;
    ops.row_size = sizeof(Node);
    ops.read_rows = &C::read_rows;
    ops.size = &C::size;
    ops.data = &C::data;
    if constexpr (nested_statements<Node> > 0) ops.run_nested = &C::template run_nested<true>;
    run_root(db, ops);
    return rows;
}

// Once more on a fresh snapshot if a cached statement went stale (statement_cache.hpp).
template <class Node>
std::vector<Node> load_graph(const query_tree& q, const database& db, std::size_t expected_rows) {
    return retry_read(db, [&] { return load_graph_once<Node>(q, db, expected_rows); });
}

}  // namespace eagerload::detail
