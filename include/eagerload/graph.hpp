#pragma once
// The typed object graph a load returns. A node is the model itself (fields stay
// plain: task.title) plus what the query loaded, reached with operator[] and the
// relation value:
//
//   p[owner]        const node<User>&               belongs_to, FK not null
//   t[assignee]     const node<User>*               belongs_to with nullable FK, has_one,
//                                                   or a prefetched level with its own where()
//   p[tasks]        const std::vector<node<Task>>&  has_many, many_to_many
//   p[agg::count(tasks)]  const std::int64_t&      an aggregate of the query (aggregate.hpp)
//   p[col<&Project::name>]  const std::string&     a column; on a projected level (.only<...>())
//                                                   the only way to read one (projection.hpp)
//
// What was loaded is part of the node's type: touching a relation, an aggregate or a
// column that was not loaded does not compile, and the message says what to load.
#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/detail/loads.hpp"
#include "eagerload/detail/read_marks.hpp"
#include "eagerload/projection.hpp"
#include "eagerload/relation.hpp"

namespace eagerload {

namespace detail {
// The foreign keys a projected node keeps besides its view's columns: the owner key of
// each relation it loads that the view does not store (the loader follows the relation
// by it). A node of a whole model keeps them in the model: none here (and no class is
// instantiated per such node type: compile time, docs/design.md).
struct no_kept_keys {};
template <class T, class... Loads>
struct kept_keys;
template <bool projected>
struct kept_keys_of {
    template <class T, class... Loads>
    using type = no_kept_keys;
};
template <>
struct kept_keys_of<true> {
    template <class T, class... Loads>
    using type = typename kept_keys<T, Loads...>::type;
};
template <class M, auto... Ps, class... Loads>
struct kept_keys<view<M, Ps...>, Loads...> {
    static constexpr std::array<bool, field_count<M>> mask = [] {
        std::array<bool, field_count<M>> in{};
        (
            [&] {
                if constexpr (!Loads::aggregated) {
                    constexpr std::size_t i = field_index<M, Loads::relation::owner_key>;
                    if (!view_traits<view<M, Ps...>>::mask[i]) in[i] = true;
                }
            }(),
            ...);
        return in;
    }();
    using type = field_subset<M, kept_keys>;
};
}  // namespace detail

// T is the model, or a view of it (a projected level).
template <class T, class... Loads>
class node : public T {
public:
    using model_type = detail::model_of<T>;
    using row_type = T;

    node() = default;

    template <class R>
    decltype(auto) operator[](R) const {
        if constexpr (detail::column_ref<R>::value) {
            return detail::read_column_of<T, detail::column_ref<R>::pointer>(*this);
        } else if constexpr (detail::aggregate_value<R>) {
            return aggregate_at<R>(*this);
        } else if constexpr (!Relation<R>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: node[...] takes a relation value (belongs_to/has_one/has_many/many_to_many), "
                          "an aggregate (agg::count(relation), ...) or a column as col<&Model::member>, not a "
                          "member pointer or any other value");
            return 0;
        } else if constexpr (!std::is_same_v<typename R::owner, model_type>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: this relation starts from another model than this node's: follow the path "
                          "one relation at a time (e.g. project[tasks] gives tasks; task[comments] their comments)");
            return unloaded<R>();
        } else if constexpr (detail::load_index<R, Loads...>() == detail::npos) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: relation not loaded: add .join(relation) or .prefetch(relation, ...) to the "
                          "query that produced this node");
            return unloaded<R>();
        } else {
            return loaded_at<detail::load_index<R, Loads...>()>(*this);
        }
    }

    // The same on a node you own, for moving data out of the graph. A prefetched
    // belongs_to/has_one stays const: its node is shared by every row that refers to it.
    template <class R>
    decltype(auto) operator[](R r) {
        if constexpr (detail::column_ref<R>::value) {
            return detail::read_column_of<T, detail::column_ref<R>::pointer>(*this);
        } else if constexpr (Relation<R>) {
            constexpr std::size_t i = detail::load_index<R, Loads...>();
            if constexpr (std::is_same_v<typename R::owner, model_type> && i != detail::npos) return loaded_at<i>(*this);
            else return std::as_const(*this)[r];  // fails with the messages above
        } else {
            return std::as_const(*this)[r];
        }
    }

    // The loaded relations, in query order (filled by the loader).
    [[no_unique_address]] detail::slots<typename Loads::storage...> loaded;
    // A projected node: the foreign keys its relations are followed by (node_column).
    [[no_unique_address]] typename detail::kept_keys_of<detail::view_traits<T>::is_view>::template type<T, Loads...> keys;

private:
    template <class A, class Self>
    static decltype(auto) aggregate_at(Self& self) {
        constexpr std::size_t i = detail::load_index<A, Loads...>();
        if constexpr (!std::is_same_v<typename A::relation::owner, model_type>) {
            static_assert(detail::dependent_false<A>,
                          "eagerload: node[aggregate]: this aggregate is over a relation of another model than this "
                          "node's");
            static const typename A::value_type none{};
            return (none);
        } else if constexpr (i == detail::npos) {
            static_assert(detail::dependent_false<A>,
                          "eagerload: aggregate not loaded: add .aggregate(...) with this aggregate to the query that "
                          "produced this node");
            static const typename A::value_type none{};
            return (none);
        } else {
            detail::note_read<node, i>(&self);  // the unused-load detector; a flag test when off
            return (detail::slot_get<i>(self.loaded));
        }
    }

    // What a misuse above returns, so that the caller's code reports no follow-on errors.
    template <class R>
    static const auto& unloaded() {
        if constexpr (R::single) {
            static const node<typename R::target> none{};
            return none;
        } else {
            static const std::vector<node<typename R::target>> none;
            return none;
        }
    }

    // Self is node or const node: the constness of the result follows it, except for
    // shared (prefetched single) nodes, which are always const.
    template <std::size_t I, class Self>
    static decltype(auto) loaded_at(Self& self) {
        using L = std::tuple_element_t<I, std::tuple<Loads...>>;
        detail::note_read<node, I>(&self);  // the unused-load detector (detector.hpp); a flag test when off
        auto& slot = detail::slot_get<I>(self.loaded);
        if constexpr (!L::single) {
            return (slot);
        } else if constexpr (L::optional) {
            return slot ? &*slot : nullptr;
        } else {
            return (*slot);
        }
    }
};

namespace detail {
// Node n's column P, for the loader: its row's, or one of the keys a projected node keeps.
template <auto P, class Node>
const member_type_of<P>& node_column(const Node& n) {
    using T = typename Node::row_type;
    if constexpr (!view_traits<T>::is_view) return static_cast<const T&>(n).*P;
    else if constexpr (view_traits<T>::mask[field_index<model_of<T>, P>])
        return slot_get<field_index<model_of<T>, P>>(row_access::stored<T>(n));
    else return slot_get<field_index<model_of<T>, P>>(n.keys);
}
}  // namespace detail

}  // namespace eagerload
