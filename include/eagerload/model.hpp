#pragma once
// Models: plain aggregate structs adapted with BOOST_HANA_ADAPT_STRUCT, plus a
// declaration of their table and primary key:
//
//   struct User { std::int64_t id; std::string name; std::optional<std::string> email; };
//   BOOST_HANA_ADAPT_STRUCT(User, id, name, email);
//   template <> struct eagerload::model<User> {
//       static constexpr std::string_view table = "users";
//       static constexpr auto key = &User::id;
//   };
//
// Column names are the member names. Supported member types: bool, std::int32_t,
// std::int64_t, double, std::string, eagerload::timestamp, and std::optional of each
// (a nullable column).
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "eagerload/detail/reflect.hpp"

namespace eagerload {

// Specialize for each model: `table` (std::string_view) and `key` (member pointer).
template <class T>
struct model;

namespace detail {

struct column_info {
    std::string name;
    col_type type;
    bool nullable;
};

// Runtime description of a model's table, built once per model.
struct table_info {
    std::string name;
    std::vector<column_info> columns;
    std::size_t key;  // index into columns
};

template <class T, std::size_t I>
using field_type = std::remove_cvref_t<decltype(field<I>(std::declval<T&>()))>;

template <class>
inline constexpr bool dependent_false = false;

template <class T, std::size_t... I>
constexpr bool columns_supported(std::index_sequence<I...>) {
    return (column_traits<field_type<T, I>>::supported && ...);
}

// One message for the first thing wrong with T as a model, and no follow-on errors
// from the checks after it.
template <class T>
constexpr bool check_model() {
    if constexpr (!boost::hana::Struct<T>::value) {
        static_assert(dependent_false<T>,
                      "eagerload: this type is not a model: adapt it with BOOST_HANA_ADAPT_STRUCT(Type, members...)");
        return false;
    } else if constexpr (!accessors_are_member_pointers<T>(std::make_index_sequence<field_count<T>>{})) {
        static_assert(dependent_false<T>,
                      "eagerload: this type's Hana accessors are not member pointers: adapt it with "
                      "BOOST_HANA_ADAPT_STRUCT(Type, members...) (BOOST_HANA_ADAPT_ADT and custom accessors "
                      "are not supported)");
        return false;
    } else if constexpr (!requires { model<T>::table; model<T>::key; }) {
        static_assert(dependent_false<T>,
                      "eagerload: this type has no table declaration: specialize eagerload::model<Type> with "
                      "`static constexpr std::string_view table` and `static constexpr auto key = &Type::id`");
        return false;
    } else if constexpr (!columns_supported<T>(std::make_index_sequence<field_count<T>>{})) {
        static_assert(dependent_false<T>,
                      "eagerload: a member of this model has an unsupported type; supported: bool, int32_t, "
                      "int64_t, double, std::string, eagerload::timestamp and std::optional of each");
        return false;
    } else if constexpr (!data_member_pointer<model<T>::key>) {
        static_assert(dependent_false<T>, "eagerload: model<T>::key must be a pointer to a data member of T");
        return false;
    } else if constexpr (!std::is_same_v<class_of<model<T>::key>, T> || field_index<T, model<T>::key> == npos) {
        static_assert(dependent_false<T>,
                      "eagerload: model<T>::key names a member of T that is not listed in BOOST_HANA_ADAPT_STRUCT");
        return false;
    } else {
        return true;
    }
}

template <class T, std::size_t... I>
table_info make_table_info(std::index_sequence<I...>) {
    constexpr auto key = model<T>::key;
    return table_info{std::string(model<T>::table),
                      {column_info{field_name<T, I>(), column_traits<field_type<T, I>>::type,
                                   column_traits<field_type<T, I>>::nullable}...},
                      field_index<T, key>};
}

template <class T>
const table_info& table_of() {
    if constexpr (check_model<T>()) {
        static const table_info info = make_table_info<T>(std::make_index_sequence<field_count<T>>{});
        return info;
    } else {
        static const table_info none{};  // not reached: check_model reported the error
        return none;
    }
}

// The column a member pointer names: checked to belong to Model at compile time.
template <auto P>
const column_info& column_of() {
    using T = class_of<P>;
    static_assert(field_index<T, P> != npos,
                  "eagerload: this member is not listed in the model's BOOST_HANA_ADAPT_STRUCT");
    return table_of<T>().columns[field_index<T, P>];
}

}  // namespace detail
}  // namespace eagerload
