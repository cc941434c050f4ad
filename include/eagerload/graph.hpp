#pragma once
// The typed object graph a load returns. A node is the model itself (fields stay
// plain: task.title) plus what the query loaded, reached with operator[] and the
// relation value:
//
//   p[owner]        const node<User>&               belongs_to, FK not null
//   t[assignee]     const node<User>*               belongs_to with nullable FK, has_one,
//                                                   or a prefetched level with its own where()
//   p[tasks]        const std::vector<node<Task>>&  has_many, many_to_many
//
// What was loaded is part of the node's type: touching a relation that was not
// loaded does not compile, and the message says which relation to load.
#include <cstddef>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <vector>

#include "eagerload/relation.hpp"

namespace eagerload {

namespace detail {

template <class R, class... Loads>
constexpr std::size_t load_index() {
    constexpr bool match[] = {std::is_same_v<typename Loads::relation, R>..., false};
    for (std::size_t i = 0; i < sizeof...(Loads); ++i)
        if (match[i]) return i;
    return npos;
}

}  // namespace detail

template <class T, class... Loads>
class node : public T {
public:
    using model_type = T;

    node() = default;

    template <Relation R>
    decltype(auto) operator[](R) const {
        constexpr bool own = std::is_same_v<typename R::owner, T>;
        static_assert(own, "eagerload: this relation starts from another model than this node's: follow the path "
                           "one relation at a time (e.g. project[tasks] gives tasks; task[comments] their comments)");
        constexpr std::size_t i = detail::load_index<R, Loads...>();
        static_assert(!own || i != detail::npos,
                      "eagerload: relation not loaded: add .join(relation) or .prefetch(relation, ...) to the "
                      "query that produced this node");
        if constexpr (own && i != detail::npos) return loaded_at<i>();
        else return 0;  // not reached: a static_assert above failed
    }

    // The loaded relations, in query order (filled by the loader).
    std::tuple<typename Loads::storage...> loaded;

private:
    template <std::size_t I>
    decltype(auto) loaded_at() const {
        using L = std::tuple_element_t<I, std::tuple<Loads...>>;
        const auto& slot = std::get<I>(loaded);
        if constexpr (!L::single) {
            return static_cast<const std::vector<typename L::node_type>&>(slot);
        } else if constexpr (L::optional) {
            return static_cast<const typename L::node_type*>(slot ? &*slot : nullptr);
        } else {
            return static_cast<const typename L::node_type&>(*slot);
        }
    }
};

}  // namespace eagerload
