#pragma once
// Compile-time reflection over Boost.Hana-adapted structs: field count, field names,
// member pointer -> field index, and the column type of each member. Only the few
// Hana headers this needs are included (the full <boost/hana.hpp> costs compile time).
#include <boost/hana/accessors.hpp>
#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/concept/struct.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/tuple.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "eagerload/detail/value.hpp"
#include "eagerload/timestamp.hpp"

namespace eagerload::detail {

namespace hana = boost::hana;


// --- member pointers -------------------------------------------------------------
template <auto P>
struct member_pointer;
template <class C, class M, M C::*P>
struct member_pointer<P> {
    using class_type = C;
    using member_type = M;
};
template <auto P>
using class_of = typename member_pointer<P>::class_type;
template <auto P>
using member_type_of = typename member_pointer<P>::member_type;

template <auto P>
concept data_member_pointer = requires { typename member_pointer<P>::class_type; };

// --- Hana accessors ----------------------------------------------------------------
template <class T>
using accessors_t = decltype(hana::accessors<T>());

template <class T>
inline constexpr std::size_t field_count = decltype(hana::length(std::declval<accessors_t<T>>()))::value;

template <class T, std::size_t I>
using accessor_t = std::remove_cvref_t<decltype(hana::second(hana::at_c<I>(std::declval<accessors_t<T>>())))>;

// BOOST_HANA_ADAPT_STRUCT's accessor for member m is a class template instantiated with
// the member pointer itself (Accessor<decltype(&T::m), &T::m>). It is matched by that
// shape, not by Hana's internal name; a type adapted another way (accessor functions)
// has no such accessors and check_model rejects it with a message.
template <class A>
struct accessor_member {
    static constexpr bool is_member_pointer = false;
    using constant = void;
};
template <template <class M, M> class A, class M, M P>
struct accessor_member<A<M, P>> {
    static constexpr bool is_member_pointer = std::is_member_object_pointer_v<M>;
    using constant = std::integral_constant<M, P>;
};

template <class T, std::size_t... I>
constexpr bool accessors_are_member_pointers(std::index_sequence<I...>) {
    return (accessor_member<accessor_t<T, I>>::is_member_pointer && ...);
}

template <class T, auto P, std::size_t... I>
constexpr std::size_t field_index_impl(std::index_sequence<I...>) {
    constexpr bool match[] = {
        std::is_same_v<typename accessor_member<accessor_t<T, I>>::constant, std::integral_constant<decltype(P), P>>...,
        false};
    for (std::size_t i = 0; i < sizeof...(I); ++i)
        if (match[i]) return i;
    return npos;
}
template <class T, auto P>
inline constexpr std::size_t field_index = field_index_impl<T, P>(std::make_index_sequence<field_count<T>>{});

template <class T, std::size_t I>
const char* field_name() {
    return hana::to<char const*>(hana::first(hana::at_c<I>(hana::accessors<T>())));
}

template <std::size_t I, class T>
decltype(auto) field(T& obj) {
    return hana::second(hana::at_c<I>(hana::accessors<std::remove_const_t<T>>()))(obj);
}

// --- column types ------------------------------------------------------------------
template <class M>
struct column_traits {
    static constexpr bool supported = false;
};
template <class M>
    requires(std::is_integral_v<M> && std::is_signed_v<M> && (sizeof(M) == 4 || sizeof(M) == 8))
struct column_traits<M> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = sizeof(M) == 4 ? col_type::int32 : col_type::int64;
    using value_type = M;
};
template <>
struct column_traits<bool> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::boolean;
    using value_type = bool;
};
template <>
struct column_traits<double> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::float64;
    using value_type = double;
};
template <>
struct column_traits<std::string> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::text;
    using value_type = std::string;
};
template <>
struct column_traits<timestamp> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::timestamp;
    using value_type = timestamp;
};
template <class M>
    requires column_traits<M>::supported
struct column_traits<std::optional<M>> : column_traits<M> {
    static constexpr bool nullable = true;
};

}  // namespace eagerload::detail
