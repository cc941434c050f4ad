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
// Column names are the member names, unless the declaration renames some (an existing
// schema's `createdAt`, or a column named like a C++ keyword); a table may be
// schema-qualified:
//
//   template <> struct eagerload::model<Order> {
//       static constexpr std::string_view table = "sales.orders";
//       static constexpr auto key = &Order::id;
//       static constexpr bool generated_key = true;  // IDENTITY / AUTO_INCREMENT / INTEGER PRIMARY KEY
//       static constexpr auto columns = std::tuple{eagerload::column_name<&Order::created_at>("createdAt"),
//                                                  eagerload::column_name<&Order::klass>("class")};
//   };
//
// Supported member types: bool, std::int32_t, std::int64_t, double, std::string,
// eagerload::timestamp, and std::optional of each (a nullable column).
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "eagerload/detail/reflect.hpp"

namespace eagerload {

// Specialize for each model: `table` (std::string_view) and `key` (member pointer),
// optionally `columns` (a std::tuple of column_name<...>(...)).
template <class T>
struct model;

// The column a member is stored in, where it differs from the member's name.
template <auto P>
struct column_name {
    std::string_view name;
    constexpr explicit column_name(std::string_view n) : name(n) {}
};

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
    std::size_t key;             // index into columns
    bool generated_key = false;  // the database assigns the key on insert
};

template <class T>
constexpr bool generated_key_of() {
    if constexpr (requires { model<T>::generated_key; }) return model<T>::generated_key;
    else return false;
}

template <class T, std::size_t I>
using field_type = std::remove_cvref_t<decltype(field<I>(std::declval<T&>()))>;

template <class>
inline constexpr bool dependent_false = false;

template <class T, std::size_t... I>
constexpr bool columns_supported(std::index_sequence<I...>) {
    return (column_traits<field_type<T, I>>::supported && ...);
}

template <class E>
struct rename_traits {
    static constexpr bool is_rename = false;
};
template <auto P>
struct rename_traits<column_name<P>> {
    static constexpr bool is_rename = true;
    static constexpr auto pointer = P;
    using constant = std::integral_constant<decltype(P), P>;
};

template <class T, class E>
constexpr bool is_member_rename() {
    if constexpr (!rename_traits<E>::is_rename) return false;
    else if constexpr (!data_member_pointer<rename_traits<E>::pointer>) return false;
    else if constexpr (!std::is_same_v<class_of<rename_traits<E>::pointer>, T>) return false;
    else return field_index<T, rename_traits<E>::pointer> != npos;
}

template <class T>
constexpr bool renames_are_members() {
    if constexpr (requires { model<T>::columns; }) {
        return []<class... E>(std::type_identity<std::tuple<E...>>) {
            return (is_member_rename<T, E>() && ...);
        }(std::type_identity<std::remove_cvref_t<decltype(model<T>::columns)>>{});
    } else {
        return true;
    }
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
    } else if constexpr (generated_key_of<T>() && !std::is_integral_v<std::remove_cvref_t<decltype(std::declval<T&>().*model<T>::key)>>) {
        static_assert(dependent_false<T>, "eagerload: model<T>::generated_key needs an integer key member");
        return false;
    } else if constexpr (!renames_are_members<T>()) {
        static_assert(dependent_false<T>,
                      "eagerload: model<T>::columns renames a member that is not a member of T listed in "
                      "BOOST_HANA_ADAPT_STRUCT");
        return false;
    } else {
        return true;
    }
}

// The column name of field I of T: its entry in model<T>::columns, else the member's name.
template <class T, std::size_t I>
std::string column_name_of() {
    if constexpr (requires { model<T>::columns; }) {
        std::string name = field_name<T, I>();
        std::apply(
            [&](const auto&... entry) {
                ((std::is_same_v<typename rename_traits<std::remove_cvref_t<decltype(entry)>>::constant,
                                 typename accessor_member<accessor_t<T, I>>::constant>
                      ? (void)(name = std::string(entry.name))
                      : (void)0),
                 ...);
            },
            model<T>::columns);
        return name;
    } else {
        return field_name<T, I>();
    }
}

template <class T, std::size_t... I>
table_info make_table_info(std::index_sequence<I...>) {
    constexpr auto key = model<T>::key;
    return table_info{std::string(model<T>::table),
                      {column_info{column_name_of<T, I>(), column_traits<field_type<T, I>>::type,
                                   column_traits<field_type<T, I>>::nullable}...},
                      field_index<T, key>, generated_key_of<T>()};
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
