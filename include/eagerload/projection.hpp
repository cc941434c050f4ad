#pragma once
// Typed projections: a level that loads only some of its model's columns.
//
//   auto q = select<Task>().only<&Task::title, &Task::priority>();   // + the key, always
//   for (const auto& t : q.load(db)) use(t[col<&Task::title>], t[col<&Task::id>]);
//   // t[col<&Task::created_at>] -> compile error: column not loaded
//
// A projected row is a view<Task, &Task::title, &Task::priority>: it holds a Task, but
// only the named columns and the primary key can be read (with [col<...>]), so a
// column that was not loaded cannot be read at all. Keys that relations need (foreign
// keys of joined and prefetched relations, the key a prefetched level is matched by)
// are loaded whether or not they are named; the SELECT list holds exactly those columns.
#include <cstddef>
#include <type_traits>

#include "eagerload/model.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

template <class M, auto... Ps>
class view;

namespace detail {

template <auto A, auto B>
inline constexpr bool same_member = std::is_same_v<std::integral_constant<decltype(A), A>, std::integral_constant<decltype(B), B>>;

template <class T>
struct view_traits {
    static constexpr bool is_view = false;
    using model_type = T;
    template <auto P>
    static constexpr bool readable = true;
};
template <class M, auto... Ps>
struct view_traits<view<M, Ps...>> {
    static constexpr bool is_view = true;
    using model_type = M;
    template <auto P>
    static constexpr bool readable = same_member<P, model<M>::key> || (same_member<P, Ps> || ...);
};

template <class R>
struct column_ref : std::false_type {};
template <auto P>
struct column_ref<column<P>> : std::true_type {
    static constexpr auto pointer = P;
};

// The model a row type (a model, or a view of one) stores.
template <class T>
using model_of = typename view_traits<T>::model_type;

// The full model row inside a row type, for the loader (it fills the loaded columns).
struct row_access {
    template <class V, class X>
    static model_of<V>& get(X& x) {
        if constexpr (view_traits<V>::is_view) return static_cast<V&>(x).row_;
        else return static_cast<V&>(x);
    }
    template <class V, class X>
    static const model_of<V>& get(const X& x) {
        if constexpr (view_traits<V>::is_view) return static_cast<const V&>(x).row_;
        else return static_cast<const V&>(x);
    }
};

// Row type V's column P (reached through col<P>); one message if it cannot be read.
template <class V, auto P, class X>
decltype(auto) read_column_of(X& x) {
    using M = model_of<V>;
    if constexpr (!std::is_same_v<class_of<P>, M>) {
        static_assert(dependent_false<X>, "eagerload: node[col<...>]: this column belongs to another model than this "
                                          "node's");
        return (row_access::get<V>(x));
    } else if constexpr (!view_traits<V>::template readable<P>) {
        static_assert(dependent_false<X>,
                      "eagerload: column not loaded: this level was selected with .only<...>() without it; name it "
                      "in only<...>() to read it");
        return (row_access::get<V>(x).*P);
    } else {
        return (row_access::get<V>(x).*P);
    }
}

}  // namespace detail

// A row of M of which only the columns Ps and the primary key were loaded.
template <class M, auto... Ps>
class view {
public:
    using model_type = M;

    template <auto P>
    const auto& operator[](column<P>) const {
        return detail::read_column_of<view, P>(*this);
    }
    template <auto P>
    auto& operator[](column<P>) {
        return detail::read_column_of<view, P>(*this);
    }

private:
    friend struct detail::row_access;
    M row_{};
};

}  // namespace eagerload
