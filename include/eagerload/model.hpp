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
// A composite primary key is a std::tuple of member pointers, in the key's column order:
//
//   template <> struct eagerload::model<OrderLine> {
//       static constexpr std::string_view table = "order_lines";
//       static constexpr auto key = std::tuple{&OrderLine::order_id, &OrderLine::line_no};
//   };
//
// Supported member types: bool, std::int16_t, std::int32_t, std::int64_t, float, double,
// std::string, eagerload::timestamp, eagerload::bytes, eagerload::decimal, enums declared
// in eagerload::enum_values (enum_values.hpp), and std::optional of each (a nullable
// column).
#include <span>
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
    const value_domain* domain = nullptr;  // an enum's values
};

// Runtime description of a model's table, built once per model.
struct table_info {
    std::string name;
    std::vector<column_info> columns;
    std::size_t key;             // index into columns: the key, or a composite key's first column
    bool generated_key = false;  // the database assigns the key on insert
    std::vector<std::size_t> composite{};  // a composite key's columns, in key order; empty for one column

    std::span<const std::size_t> key_columns() const noexcept {
        return composite.empty() ? std::span<const std::size_t>(&key, 1) : std::span<const std::size_t>(composite);
    }
};

inline bool is_key_column(const table_info& t, std::size_t column) noexcept {
    for (std::size_t k : t.key_columns())
        if (k == column) return true;
    return false;
}

// The C++ type of a column, for messages: an enum's name, else cpp_type_name.
inline const char* member_type_name(const column_info& c) noexcept {
    return c.domain ? c.domain->cpp_name.c_str() : cpp_type_name(c.type);
}

// --- keys: model<T>::key is a member pointer, or a std::tuple of them ------------------
template <class K>
struct key_shape {
    static constexpr bool composite = false;
    static constexpr std::size_t size = 1;
};
template <class... P>
struct key_shape<std::tuple<P...>> {
    static constexpr bool composite = true;
    static constexpr std::size_t size = sizeof...(P);
};
template <class T>
using key_shape_of = key_shape<std::remove_cvref_t<decltype(model<T>::key)>>;

template <class T>
inline constexpr bool composite_key = key_shape_of<T>::composite;
template <class T>
inline constexpr std::size_t key_size = key_shape_of<T>::size;

// The I-th member pointer of T's key.
template <class T, std::size_t I>
constexpr auto key_member() {
    if constexpr (composite_key<T>) return std::get<I>(model<T>::key);
    else return model<T>::key;
}

template <class T, auto P>
constexpr bool is_listed_member() {
    if constexpr (!data_member_pointer<P>) return false;
    else if constexpr (!std::is_same_v<class_of<P>, T>) return false;
    else return field_index<T, P> != npos;
}

template <class T, std::size_t... I>
constexpr bool key_members_are_pointers(std::index_sequence<I...>) {
    return (data_member_pointer<key_member<T, I>()> && ...);
}
template <class T, std::size_t... I>
constexpr bool key_members_listed(std::index_sequence<I...>) {
    return (is_listed_member<T, key_member<T, I>()>() && ...);
}
template <class T, std::size_t... I>
constexpr bool key_members_distinct(std::index_sequence<I...>) {
    constexpr std::size_t idx[] = {field_index<T, key_member<T, I>()>..., npos};
    for (std::size_t a = 0; a < sizeof...(I); ++a)
        for (std::size_t b = a + 1; b < sizeof...(I); ++b)
            if (idx[a] == idx[b]) return false;
    return true;
}

// True when P is all of T's primary key (one column).
template <class T, auto P>
constexpr bool is_whole_key() {
    if constexpr (composite_key<T>) return false;
    else return field_index<T, P> == field_index<T, model<T>::key>;
}
// True when P is one of T's key columns.
template <class T, auto P>
constexpr bool is_key_member() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return ((field_index<T, P> == field_index<T, key_member<T, I>()>) || ...);
    }(std::make_index_sequence<key_size<T>>{});
}

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
                      "eagerload: a member of this model has an unsupported type; supported: bool, int16_t, "
                      "int32_t, int64_t, float, double, std::string, eagerload::timestamp, eagerload::bytes, "
                      "eagerload::decimal, an enum declared in eagerload::enum_values<E> (each value and text "
                      "listed once), and std::optional of each");
        return false;
    } else if constexpr (key_size<T> == 0 ||
                         !key_members_are_pointers<T>(std::make_index_sequence<key_size<T>>{})) {
        static_assert(dependent_false<T>,
                      "eagerload: model<T>::key must be a pointer to a data member of T, or a std::tuple of them "
                      "(a composite key: std::tuple{&T::a, &T::b})");
        return false;
    } else if constexpr (!key_members_listed<T>(std::make_index_sequence<key_size<T>>{})) {
        static_assert(dependent_false<T>,
                      "eagerload: model<T>::key names a member of T that is not listed in BOOST_HANA_ADAPT_STRUCT");
        return false;
    } else if constexpr (!key_members_distinct<T>(std::make_index_sequence<key_size<T>>{})) {
        static_assert(dependent_false<T>, "eagerload: model<T>::key lists a member twice");
        return false;
    } else if constexpr (generated_key_of<T>() && composite_key<T>) {
        static_assert(dependent_false<T>,
                      "eagerload: model<T>::generated_key needs a single integer key member; a composite key is "
                      "never generated by the database");
        return false;
    } else if constexpr (generated_key_of<T>() && !std::is_integral_v<member_type_of<key_member<T, 0>()>>) {
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
    table_info t{std::string(model<T>::table),
                 {column_info{column_name_of<T, I>(), column_traits<field_type<T, I>>::type,
                              column_traits<field_type<T, I>>::nullable, domain_ptr<field_type<T, I>>()}...},
                 field_index<T, key_member<T, 0>()>, generated_key_of<T>(), {}};
    if constexpr (composite_key<T>)
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            t.composite = {field_index<T, key_member<T, K>()>...};
        }(std::make_index_sequence<key_size<T>>{});
    return t;
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
