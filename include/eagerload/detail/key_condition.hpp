#pragma once
// "The row with this key": a condition on every column of a model's primary key, one
// column or several (a composite key, model<T>::key = std::tuple{&T::a, &T::b}). Used
// by get/find (select.hpp) and the by-key writes (update.hpp).
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "eagerload/detail/select_spec.hpp"
#include "eagerload/model.hpp"
#include "eagerload/where.hpp"

namespace eagerload::detail {

// K is a whole key of T: a value for a one-column key, a std::tuple of key_size<T>
// values for a composite one.
template <class T, class K>
constexpr bool whole_key() {
    if constexpr (composite_key<T>) return key_shape<std::remove_cvref_t<K>>::composite && key_shape<std::remove_cvref_t<K>>::size == key_size<T>;
    else return !key_shape<std::remove_cvref_t<K>>::composite;
}

template <class T>
inline constexpr const char* whole_key_message =
    "eagerload: this model's key is composite: pass every key column's value, in the order of model<T>::key, "
    "as a std::tuple or as separate arguments";

// key_column = key for every column of T's key; K checked by whole_key<T, K>().
template <class T, class K>
condition<T> key_condition(const K& key) {
    if constexpr (!composite_key<T>) {
        return col<model<T>::key> == key;
    } else {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return (... && (col<key_member<T, I>()> == std::get<I>(key)));
        }(std::make_index_sequence<key_size<T>>{});
    }
}

// The key of `row`, as a condition.
template <class T>
condition<T> row_key_condition(const T& row) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (... && (col<key_member<T, I>()> == row.*key_member<T, I>()));
    }(std::make_index_sequence<key_size<T>>{});
}

// "order_id = 1, line_no = 2", for messages.
template <class T, class K>
std::string describe_key(const K& key) {
    const auto& t = table_of<T>();
    std::string out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (([&] {
             constexpr auto P = key_member<T, I>();
             const auto& v = [&]() -> decltype(auto) {
                 if constexpr (composite_key<T>) return std::get<I>(key);
                 else return key;
             }();
             if (!out.empty()) out += ", ";
             out += t.columns[field_index<T, P>].name + " = " +
                    describe(to_param<column_traits<member_type_of<P>>::type>(v));
         }()),
         ...);
    }(std::make_index_sequence<key_size<T>>{});
    return out;
}

}  // namespace eagerload::detail
