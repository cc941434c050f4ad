#pragma once
// Variant I_tree (compile-cost prototype): what a query loads is a TYPE only; the
// nested query's runtime state lives in the parent's detail::query_tree.
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
    static constexpr bool single = true;
    static constexpr bool optional = R::optional;
    static constexpr std::size_t statements = Q::statements - 1;
};

template <class R, class Q>
struct prefetched_load {
    using relation = R;
    using query = Q;
    using node_type = typename Q::node_type;
    using storage = std::conditional_t<R::single, std::shared_ptr<const node_type>, std::vector<node_type>>;
    static constexpr bool prefetched = true;
    static constexpr bool single = R::single;
    static constexpr bool optional = R::optional || Q::filtered;
    static constexpr std::size_t statements = Q::statements;
};

}  // namespace eagerload::detail
