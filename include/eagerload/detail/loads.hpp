#pragma once
// What a query loads besides its own rows, as types: a relation joined into the same
// statement, or prefetched by one further statement per level, each with the node type
// of the related rows; or an aggregate of a relation per row (aggregate.hpp), folded
// into the level's statement. The values (the nested queries' filters, orders, limits)
// are in the query's runtime tree (query_tree, detail/level_spec.hpp).
#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "eagerload/relation.hpp"

namespace eagerload {
template <class T, class... Loads>
class node;  // graph.hpp
}  // namespace eagerload

namespace eagerload::detail {

// The count of statements a node type's own loads add (its prefetched levels, at any depth).
template <class N>
inline constexpr std::size_t nested_statements = 0;
template <class T, class... Loads>
inline constexpr std::size_t nested_statements<node<T, Loads...>> = (Loads::statements + ... + 0);

// A load is a type only: what it loads (relation R, nodes of type N) drives the node's
// type and the compile-time checks. The nested query's values (its filter, order,
// limits, projection and its own loads) are in the query's runtime tree
// (detail/level_spec.hpp, query_tree), so two queries that load the same shape with
// different filters or orders have the same node type and share the loader's code.
template <class R, class N>
struct joined_load {
    using relation = R;
    using node_type = N;
    using storage = std::optional<node_type>;
    static constexpr bool prefetched = false;
    static constexpr bool aggregated = false;
    static constexpr bool single = true;
    static constexpr bool optional = R::optional;
    static constexpr std::size_t statements = nested_statements<N>;  // its own prefetches
};

// Filtered: the nested query has a where(), so a prefetched single row may be absent.
template <class R, class N, bool Filtered>
struct prefetched_load {
    using relation = R;
    using node_type = N;
    // A prefetched single row is shared: many children may have the same parent. All
    // rows of a level live in one block; each parent holds an aliasing pointer into it.
    using storage = std::conditional_t<R::single, std::shared_ptr<const node_type>, std::vector<node_type>>;
    static constexpr bool prefetched = true;
    static constexpr bool aggregated = false;
    static constexpr bool single = R::single;
    static constexpr bool optional = R::optional || Filtered;  // a filtered level may drop the parent
    static constexpr std::size_t statements = 1 + nested_statements<N>;
};

// An aggregate value (aggregate.hpp): agg::count(tasks), agg::max<&Comment::created_at>(comments).
template <class A>
concept aggregate_value = requires {
    A::function;
    typename A::value_type;
    typename A::relation;
};

// An aggregate of a relation, one value per row of the level: a column of the level's
// own statement. Looked up (node[...], load_index) by the aggregate's type.
template <class A>
struct aggregate_load {
    using relation = A;
    using storage = typename A::value_type;
    static constexpr bool prefetched = false;
    static constexpr bool aggregated = true;
    static constexpr bool single = true;
    static constexpr bool optional = false;
    static constexpr std::size_t statements = 0;
};

// The position of relation R among Loads, or npos.
template <class R, class... Loads>
constexpr std::size_t load_index() {
    constexpr bool match[] = {std::is_same_v<typename Loads::relation, R>..., false};
    for (std::size_t i = 0; i < sizeof...(Loads); ++i)
        if (match[i]) return i;
    return npos;
}

}  // namespace eagerload::detail
