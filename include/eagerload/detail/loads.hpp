#pragma once
// What a query loads besides its own rows: a relation joined into the same statement,
// or prefetched by one further statement per level, each with the nested query that
// describes the related rows (their own filters, order, joins and prefetches); or an
// aggregate of a relation per row (aggregate.hpp), folded into the level's statement.
#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "eagerload/relation.hpp"

namespace eagerload::detail {

template <class R, class Q>
struct joined_load {
    using relation = R;
    using query = Q;
    using node_type = typename Q::node_type;
    using storage = std::optional<node_type>;
    static constexpr bool prefetched = false;
    static constexpr bool aggregated = false;
    static constexpr bool single = true;
    static constexpr bool optional = R::optional;
    static constexpr std::size_t statements = Q::statements - 1;  // its own prefetches
    Q q;
};

template <class R, class Q>
struct prefetched_load {
    using relation = R;
    using query = Q;
    using node_type = typename Q::node_type;
    // A prefetched single row is shared: many children may have the same parent. All
    // rows of a level live in one block; each parent holds an aliasing pointer into it.
    using storage = std::conditional_t<R::single, std::shared_ptr<const node_type>, std::vector<node_type>>;
    static constexpr bool prefetched = true;
    static constexpr bool aggregated = false;
    static constexpr bool single = R::single;
    static constexpr bool optional = R::optional || Q::filtered;  // a filtered level may drop the parent
    static constexpr std::size_t statements = Q::statements;
    Q q;
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
    A a;
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
