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
#include <string_view>
#include <type_traits>
#include <utility>

#include "eagerload/bytes.hpp"
#include "eagerload/decimal.hpp"
#include "eagerload/detail/value.hpp"
#include "eagerload/enum_values.hpp"
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

// --- enums ---------------------------------------------------------------------------
enum class enum_storage { none, text, integer };

// How enum_values<E> stores E: text (pairs of enumerator and text), integer (a list
// of enumerators), or none (not declared, or declared in another shape).
template <class E>
constexpr enum_storage enum_storage_of() {
    if constexpr (!std::is_enum_v<E>) {
        return enum_storage::none;
    } else if constexpr (!requires { enum_values<E>::values.size(); enum_values<E>::values[0]; }) {
        return enum_storage::none;
    } else {
        using V = std::remove_cvref_t<decltype(enum_values<E>::values[0])>;
        if constexpr (std::is_same_v<V, E>) return enum_storage::integer;
        else if constexpr (requires(const V& v) {
                               { v.first } -> std::convertible_to<E>;
                               std::string_view(v.second);
                           })
            return enum_storage::text;
        else return enum_storage::none;
    }
}

// No enumerator and no text listed twice.
template <class E>
constexpr bool enum_values_distinct() {
    constexpr auto& v = enum_values<E>::values;
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size(); ++j) {
            if constexpr (enum_storage_of<E>() == enum_storage::text) {
                if (v[i].first == v[j].first || std::string_view(v[i].second) == std::string_view(v[j].second))
                    return false;
            } else if (v[i] == v[j]) {
                return false;
            }
        }
    return true;
}

// The C++ name of a type, for messages ("shop::Status").
template <class E>
std::string type_name() {
    const std::string_view f = __PRETTY_FUNCTION__;  // "... [with E = shop::Status; ...]" (GCC), "[E = shop::Status]" (Clang)
    const std::size_t at = f.find("E = ");
    if (at == std::string_view::npos) return "enum";
    const std::size_t end = f.find_first_of(";]", at);
    return std::string(f.substr(at + 4, end - at - 4));
}

template <class E>
const value_domain* domain_of() {
    static const value_domain d = [] {
        value_domain r;
        for (const auto& v : enum_values<E>::values) {
            if constexpr (enum_storage_of<E>() == enum_storage::text) r.texts.emplace_back(v.second);
            else r.ints.push_back(static_cast<long long>(v));
        }
        r.cpp_name = type_name<E>();
        return r;
    }();
    return &d;
}

// --- column types ------------------------------------------------------------------
template <class M>
struct column_traits {
    static constexpr bool supported = false;
};
template <class M>
    requires(std::is_integral_v<M> && std::is_signed_v<M> && (sizeof(M) == 2 || sizeof(M) == 4 || sizeof(M) == 8))
struct column_traits<M> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = sizeof(M) == 2 ? col_type::int16 : sizeof(M) == 4 ? col_type::int32 : col_type::int64;
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
struct column_traits<float> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::float32;
    using value_type = float;
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
template <>
struct column_traits<bytes> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::bytes;
    using value_type = bytes;
};
template <>
struct column_traits<decimal> {
    static constexpr bool supported = true;
    static constexpr bool nullable = false;
    static constexpr col_type type = col_type::decimal;
    using value_type = decimal;
};
// An enum with an enum_values declaration: text, or its underlying integer (1- and
// 2-byte types as SMALLINT, 4-byte signed as INTEGER, others as BIGINT).
template <class M>
    requires(enum_storage_of<M>() != enum_storage::none)
struct column_traits<M> {
    static constexpr bool supported = enum_values_distinct<M>() && sizeof(M) <= 8 &&
                                      !(sizeof(M) == 8 && std::is_unsigned_v<std::underlying_type_t<M>>);
    static constexpr bool nullable = false;
    static constexpr col_type type = enum_storage_of<M>() == enum_storage::text ? col_type::enum_text
                                     : sizeof(M) <= 2                            ? col_type::int16
                                     : sizeof(M) == 4 && std::is_signed_v<std::underlying_type_t<M>> ? col_type::int32
                                                                                                    : col_type::int64;
    using value_type = M;
};
template <class M>
    requires column_traits<M>::supported
struct column_traits<std::optional<M>> : column_traits<M> {
    static constexpr bool nullable = true;
};

// The value_domain of a member type (enums), else nullptr.
template <class M>
const value_domain* domain_ptr() {
    using V = typename column_traits<M>::value_type;
    if constexpr (std::is_enum_v<V>) return domain_of<V>();
    else return nullptr;
}

// An enum's stored text; throws std::invalid_argument for an enumerator not listed.
[[noreturn]] void throw_unlisted_enum(const std::string& type, long long value);
template <class E>
std::string_view enum_text(E v) {
    for (const auto& [e, text] : enum_values<E>::values)
        if (e == v) return text;
    throw_unlisted_enum(type_name<E>(), static_cast<long long>(v));
}
template <class E>
E enum_from_index(long long i) {
    return enum_values<E>::values[static_cast<std::size_t>(i)].first;
}

}  // namespace eagerload::detail
