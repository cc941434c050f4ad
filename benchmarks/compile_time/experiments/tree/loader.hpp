#pragma once
// Variant I_tree (compile-cost prototype): the loader over a typed facade. Per level the
// templates only read rows into typed nodes and hand children to their parents' slots
// (small thunks, function pointers); grouping by key, statements, fetching and the
// order of the work are compiled code, declared here (run_prefetch, run_root).
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/relation.hpp"

namespace eagerload::detail {

[[noreturn]] void throw_dangling(const table_info& owner, std::size_t owner_column, const param& key,
                                 const table_info& target, std::size_t target_column);
[[noreturn]] void throw_has_one_duplicate(const table_info& owner, const param& key, const table_info& target,
                                          std::size_t target_column);

template <class K>
inline constexpr bool supported_key = std::is_integral_v<K> || std::is_same_v<K, std::string>;

template <class Q>
constexpr std::size_t total_columns();

template <class L>
constexpr std::size_t joined_columns_of() {
    if constexpr (L::prefetched) return 0;
    else return total_columns<typename L::query>();
}

template <class Tuple, std::size_t... I>
constexpr std::size_t joined_columns(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + joined_columns_of<std::tuple_element_t<I, Tuple>>());
}

template <class Q>
constexpr std::size_t total_columns() {
    using Tuple = typename Q::loads_type;
    return field_count<typename Q::model_type> + joined_columns<Tuple>(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}

template <auto P, class Obj>
param key_param(const Obj& obj) {
    const auto& v = static_cast<const class_of<P>&>(obj).*P;
    constexpr col_type ct = column_traits<member_type_of<P>>::type;
    if constexpr (column_traits<member_type_of<P>>::nullable) return v ? to_param<ct>(*v) : param{};
    else return to_param<ct>(v);
}

template <auto P, class Obj>
bool key_as_param(const Obj& obj, param& out) {
    const auto& v = static_cast<const class_of<P>&>(obj).*P;
    constexpr col_type ct = column_traits<member_type_of<P>>::type;
    if constexpr (column_traits<member_type_of<P>>::nullable) {
        if (!v) return false;
        out = to_param<ct>(*v);
    } else {
        out = to_param<ct>(v);
    }
    return true;
}

// Reads a node, then its joined relations (types only: no query value needed).
template <class Q>
void read_node(result_batch& b, std::size_t& col, std::size_t r, typename Q::node_type& n) {
    using T = typename Q::model_type;
    read_row<T>(b, col, r, static_cast<T&>(n));
    col += field_count<T>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using L = std::tuple_element_t<I, typename Q::loads_type>;
                if constexpr (!L::prefetched) {
                    using R = typename L::relation;
                    using Target = typename R::target;
                    const table_info& tt = table_of<Target>();
                    if (b.columns[col + tt.key].nulls[r]) {
                        if constexpr (R::kind == relation_kind::belongs_to) {
                            const param k = key_param<R::owner_key>(n);
                            if (k.k != param::kind::null)
                                throw_dangling(table_of<T>(), field_index<T, R::owner_key>, k, tt,
                                               field_index<Target, R::target_key>);
                        }
                        col += total_columns<typename L::query>();
                    } else {
                        auto& slot = slot_get<I>(n.loaded);
                        slot.emplace();
                        read_node<typename L::query>(b, col, r, *slot);
                    }
                }
            }(),
            ...);
    }(std::make_index_sequence<std::tuple_size_v<typename Q::loads_type>>{});
}

template <class Q>
void run_loads(const database& db, std::vector<typename Q::node_type*>& nodes, const query_tree& t);

// --- compiled (src/): declared only in this prototype -----------------------------
struct prefetch_hooks {
    const query_tree* level;  // the nested level (its relation in level->via)
    bool required;            // belongs_to with a NOT NULL foreign key: a missing target throws
    void* children;           // std::vector<Child>
    bool (*parent_key)(const void* parent, param& out);  // false: NULL foreign key
    void* (*emplace_child)(void* children);
    void* (*child_at)(void* children, std::size_t i);
    void (*read_child)(result_batch& b, std::size_t& col, std::size_t r, void* child);
    void (*child_key)(const void* child, param& out);  // not through a join table
    void (*attach_single)(void* const* owners, std::size_t n, void* child);
    bool (*has_slot)(const void* parent);
    void (*reserve)(void* parent, std::size_t extra);
    void* (*append)(void* parent, void* child, bool copy);
    void (*complete)(const database& db, void* const* children, std::size_t n, const query_tree& t);
};
void run_prefetch(const database& db, void* const* parents, std::size_t n, const prefetch_hooks& h);
void run_root(const database& db, const query_tree& t, bool snapshot, const batch_sink& read,
              void (*complete)(const database& db, void* ctx, const query_tree& t), void* ctx);

// --- typed thunks per prefetched level ----------------------------------------------
template <std::size_t I, class Q, class L>
void prefetch_level(const database& db, std::vector<typename Q::node_type*>& parents, const query_tree& child) {
    using R = typename L::relation;
    using P = typename Q::node_type;
    using Child = typename L::node_type;
    using LQ = typename L::query;
    using K = typename column_traits<member_type_of<R::owner_key>>::value_type;
    static_assert(supported_key<K>, "eagerload: relation keys must be integers or strings");
    using Children = std::vector<Child>;

    Children children;
    prefetch_hooks h{};
    h.level = &child;
    h.required = R::kind == relation_kind::belongs_to && !L::optional;
    h.children = &children;
    h.parent_key = [](const void* p, param& out) { return key_as_param<R::owner_key>(*static_cast<const P*>(p), out); };
    h.emplace_child = [](void* c) -> void* { return &static_cast<Children*>(c)->emplace_back(); };
    h.child_at = [](void* c, std::size_t i) -> void* { return &(*static_cast<Children*>(c))[i]; };
    h.read_child = [](result_batch& b, std::size_t& col, std::size_t r, void* c) {
        read_node<LQ>(b, col, r, *static_cast<Child*>(c));
    };
    if constexpr (R::kind != relation_kind::many_to_many)
        h.child_key = [](const void* c, param& out) { key_as_param<R::target_key>(*static_cast<const Child*>(c), out); };
    if constexpr (R::single) {
        h.attach_single = [](void* const* owners, std::size_t n, void* c) {
            auto shared = std::make_shared<const Child>(std::move(*static_cast<Child*>(c)));
            for (std::size_t i = 0; i < n; ++i) {
                auto* p = static_cast<P*>(owners[i]);
                auto& slot = slot_get<I>(p->loaded);
                if (R::kind == relation_kind::has_one && slot)
                    throw_has_one_duplicate(table_of<typename R::owner>(), key_param<R::owner_key>(*p),
                                            table_of<typename R::target>(),
                                            field_index<typename R::target, R::target_key>);
                slot = shared;
            }
        };
        h.has_slot = [](const void* p) { return static_cast<bool>(slot_get<I>(static_cast<const P*>(p)->loaded)); };
    } else {
        h.reserve = [](void* p, std::size_t extra) {
            auto& list = slot_get<I>(static_cast<P*>(p)->loaded);
            list.reserve(list.size() + extra);
        };
        h.append = [](void* p, void* c, bool copy) -> void* {
            auto& list = slot_get<I>(static_cast<P*>(p)->loaded);
            if (copy) list.push_back(*static_cast<const Child*>(c));
            else list.push_back(std::move(*static_cast<Child*>(c)));
            return &list.back();
        };
    }
    if constexpr (LQ::statements > 1)
        h.complete = [](const database& d, void* const* cs, std::size_t n, const query_tree& t) {
            std::vector<Child*> ptrs(n);
            for (std::size_t i = 0; i < n; ++i) ptrs[i] = static_cast<Child*>(cs[i]);
            run_loads<LQ>(d, ptrs, t);
        };
    run_prefetch(db, reinterpret_cast<void* const*>(parents.data()), parents.size(), h);
}

template <class Q>
void run_loads(const database& db, std::vector<typename Q::node_type*>& nodes, const query_tree& t) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using L = std::tuple_element_t<I, typename Q::loads_type>;
                if constexpr (L::prefetched) {
                    prefetch_level<I, Q, L>(db, nodes, t.loads[I]);
                } else if constexpr (L::statements > 0) {
                    std::vector<typename L::node_type*> inner;
                    for (auto* n : nodes)
                        if (auto& slot = slot_get<I>(n->loaded)) inner.push_back(&*slot);
                    run_loads<typename L::query>(db, inner, t.loads[I]);
                }
            }(),
            ...);
    }(std::make_index_sequence<std::tuple_size_v<typename Q::loads_type>>{});
}

template <class Q>
std::vector<typename Q::node_type> load_graph(const Q& q, const database& db) {
    using N = typename Q::node_type;
    std::vector<N> rows;
    auto read = [&rows](result_batch& b) {
        for (std::size_t r = 0; r < b.rows; ++r) {
            std::size_t col = 0;
            read_node<Q>(b, col, r, rows.emplace_back());
        }
    };
    void (*complete)(const database&, void*, const query_tree&) = nullptr;
    if constexpr (Q::statements > 1)
        complete = [](const database& d, void* ctx, const query_tree& t) {
            auto& all = *static_cast<std::vector<N>*>(ctx);
            std::vector<N*> ptrs;
            ptrs.reserve(all.size());
            for (auto& n : all) ptrs.push_back(&n);
            run_loads<Q>(d, ptrs, t);
        };
    run_root(db, q.tree(), Q::statements > 1, read, complete, &rows);
    return rows;
}

}  // namespace eagerload::detail
