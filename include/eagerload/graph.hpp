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
// What node::loaded holds: one member per load, reached with slot_get<I>. Cheaper to
// instantiate than std::tuple (no converting constructors, no recursion), which every
// node type of every query would otherwise instantiate.
template <std::size_t I, class T>
struct slot_leaf {
    T value{};
};
template <class Seq, class... T>
struct slots_of;
template <std::size_t... I, class... T>
struct slots_of<std::index_sequence<I...>, T...> : slot_leaf<I, T>... {};
template <class... T>
using slots = slots_of<std::index_sequence_for<T...>, T...>;
template <std::size_t I, class T>
T& slot_get(slot_leaf<I, T>& s) noexcept {
    return s.value;
}
template <std::size_t I, class T>
const T& slot_get(const slot_leaf<I, T>& s) noexcept {
    return s.value;
}
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
    detail::slots<typename Loads::storage...> loaded;

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

}  // namespace eagerload
