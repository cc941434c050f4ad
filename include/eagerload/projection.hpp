#pragma once
// Typed projections: a level that loads only some of its model's columns.
//
//   auto q = select<Task>().only<&Task::title, &Task::priority>();   // + the key, always
//   for (const auto& t : q.load(db)) use(t[col<&Task::title>], t[col<&Task::id>]);
//   // t[col<&Task::created_at>] -> compile error: column not loaded
//
// A projected row is a view<Task, &Task::title, &Task::priority>: it stores the named
// columns and the primary key and nothing else (its size is theirs, not a whole
// Task's), read with [col<...>], so a column that was not loaded cannot be read at
// all. Keys that relations need (foreign keys of joined and prefetched relations, the
// key a prefetched level is matched by) are loaded whether or not they are named; the
// SELECT list holds exactly those columns. A node of a projected level keeps the
// foreign keys its own relations are followed by (graph.hpp); the key its level was
// matched by is read from the result and not kept.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "eagerload/detail/slots.hpp"
#include "eagerload/model.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

template <class M, auto... Ps>
class view;

namespace detail {

template <auto A, auto B>
inline constexpr bool same_member = std::is_same_v<std::integral_constant<decltype(A), A>, std::integral_constant<decltype(B), B>>;

// --- a subset of a model's fields, by field index ---------------------------------------
// `Keep::mask` (a std::array<bool>, one per field of M) says which fields are kept; each
// kept field I is the slot_leaf<I, its type>, so slot_get<I> reaches it. No fields: an
// empty struct. (The mask comes in a type, not as a class-type template argument: GCC
// 12 took two such subsets with different masks for one type.)
template <class Keep>
inline constexpr std::size_t mask_count = [] {
    std::size_t n = 0;
    for (bool b : Keep::mask) n += b ? 1 : 0;
    return n;
}();
template <class Keep>
inline constexpr auto mask_indices = [] {
    std::array<std::size_t, mask_count<Keep>> out{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < Keep::mask.size(); ++i)
        if (Keep::mask[i]) out[n++] = i;
    return out;
}();

template <class M, class Keep, class Seq = std::make_index_sequence<mask_count<Keep>>>
struct field_subset;
template <class M, class Keep, std::size_t... J>
struct field_subset<M, Keep, std::index_sequence<J...>>
    : slot_leaf<mask_indices<Keep>[J], field_type<M, mask_indices<Keep>[J]>>... {
    // Calls f(std::integral_constant<std::size_t, I>{}, field I) for each kept field.
    template <class F>
    void each(F&& f) {
        (f(std::integral_constant<std::size_t, mask_indices<Keep>[J]>{}, slot_get<mask_indices<Keep>[J]>(*this)), ...);
    }
    template <class F>
    void each(F&& f) const {
        (f(std::integral_constant<std::size_t, mask_indices<Keep>[J]>{}, slot_get<mask_indices<Keep>[J]>(*this)), ...);
    }
};

// The fields a view<M, Ps...> stores: M's key columns and Ps.
template <class M, auto... Ps>
constexpr std::array<bool, field_count<M>> view_mask() {
    std::array<bool, field_count<M>> in{};
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((in[field_index<M, key_member<M, K>()>] = true), ...);
    }(std::make_index_sequence<key_size<M>>{});
    ((in[field_index<M, Ps>] = true), ...);
    return in;
}

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
    static constexpr auto mask = view_mask<M, Ps...>();
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

// The stored fields of a view (a field_subset), for the loader: it fills them.
struct row_access {
    template <class V, class X>
    static auto& stored(X& x) {
        return static_cast<std::conditional_t<std::is_const_v<X>, const V, V>&>(x).row_;
    }
};

// Row type V's column P (reached through col<P>); one message if it cannot be read.
template <class V, auto P, class X>
decltype(auto) read_column_of(X& x) {
    using M = model_of<V>;
    if constexpr (!std::is_same_v<class_of<P>, M>) {
        static_assert(dependent_false<X>, "eagerload: node[col<...>]: this column belongs to another model than this "
                                          "node's");
        static member_type_of<P> none{};
        return (none);
    } else if constexpr (!view_traits<V>::template readable<P>) {
        static_assert(dependent_false<X>,
                      "eagerload: column not loaded: this level was selected with .only<...>() without it; name it "
                      "in only<...>() to read it");
        static member_type_of<P> none{};
        return (none);
    } else if constexpr (view_traits<V>::is_view) {
        return (slot_get<field_index<M, P>>(row_access::stored<V>(x)));
    } else {
        return (static_cast<std::conditional_t<std::is_const_v<X>, const V, V>&>(x).*P);
    }
}
}  // namespace detail

// A row of M of which only the columns Ps and the primary key were loaded (and stored).
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
    detail::field_subset<M, detail::view_traits<view>> row_{};
};

}  // namespace eagerload
