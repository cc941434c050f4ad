#pragma once
// Typed filters over model columns, built from member pointers:
//
//   using eagerload::col;
//   select<Task>().where(col<&Task::priority> >= 3 && !col<&Task::assignee_id>.is_null());
//   select<User>().where(col<&User::id>.in(ids));
//
// Comparing a column with a value of another type does not compile. Every value
// becomes a bound parameter; a list in in() is ONE parameter whatever its length.
#include <concepts>
#include <initializer_list>
#include <memory>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "eagerload/detail/condition_node.hpp"
#include "eagerload/model.hpp"

namespace eagerload {

// A filter on rows of Model M.
template <class M>
struct condition {
    detail::cond_ptr node;
};

namespace detail {

template <class Member, class V>
constexpr bool comparable_with() {
    using T = typename column_traits<Member>::value_type;
    if constexpr (std::is_enum_v<T>) return std::is_same_v<V, T>;
    else if constexpr (std::is_same_v<T, bool>) return std::is_same_v<V, bool>;
    else if constexpr (std::is_integral_v<T>) return std::is_integral_v<V> && !std::is_same_v<V, bool>;
    else if constexpr (std::is_floating_point_v<T>) return std::is_arithmetic_v<V> && !std::is_same_v<V, bool>;
    else if constexpr (std::is_same_v<T, std::string>) return std::is_convertible_v<const V&, std::string_view>;
    else if constexpr (std::is_same_v<T, bytes>) return std::is_same_v<V, bytes>;
    else if constexpr (std::is_same_v<T, decimal>)
        return std::is_same_v<V, decimal> || (std::is_integral_v<V> && !std::is_same_v<V, bool>);
    else return std::is_convertible_v<V, timestamp>;
}

// The bound value of v for a column of type CT. A float column compares with the value
// rounded to float, as the database rounds it when it stores one.
template <col_type CT, class V>
param to_param(const V& v) {
    if constexpr (std::is_enum_v<V>) {
        if constexpr (CT == col_type::enum_text) return param::text(std::string(enum_text(v)));
        else return param::integer(static_cast<long long>(v));
    } else if constexpr (CT == col_type::boolean) return param::integer(v ? 1 : 0);
    else if constexpr (CT == col_type::int16 || CT == col_type::int32 || CT == col_type::int64)
        return param::integer(static_cast<long long>(v));
    else if constexpr (CT == col_type::float32) return param::real(static_cast<double>(static_cast<float>(v)));
    else if constexpr (CT == col_type::float64) return param::real(static_cast<double>(v));
    else if constexpr (CT == col_type::text) return param::text(std::string(std::string_view(v)));
    else if constexpr (CT == col_type::bytes)
        return param::blob(std::string(reinterpret_cast<const char*>(v.data()), v.size()));
    else if constexpr (CT == col_type::decimal) {
        if constexpr (std::is_integral_v<V>) return param::decimal(std::to_string(v));
        else return param::decimal(v.str());
    } else return param::text(format_timestamp(timestamp(v)));
}

template <auto P, class V>
condition<class_of<P>> compare(cond_node::op o, const V& v) {
    using Member = member_type_of<P>;
    static_assert(comparable_with<Member, std::remove_cvref_t<V>>(),
                  "eagerload: a column is compared with a value of another type (see the column's member "
                  "type and the value's type in the instantiation below)");
    constexpr col_type ct = column_traits<Member>::type;
    return {cond_node::on_column(o, column_of<P>().name, ct, {to_param<ct>(v)})};
}

template <class M>
condition<M> combine(cond_node::op o, condition<M> a, condition<M> b) {
    if (!a.node) return b;
    if (!b.node) return a;
    return {cond_node::logical(o, std::move(a.node), std::move(b.node))};
}

}  // namespace detail

// A column of a model, named by member pointer: col<&User::name>.
template <auto P>
    requires detail::data_member_pointer<P>
struct column {
    using model_type = detail::class_of<P>;
    using member_type = detail::member_type_of<P>;
    using value_type = typename detail::column_traits<member_type>::value_type;
    static constexpr detail::col_type type = detail::column_traits<member_type>::type;

    condition<model_type> is_null() const { return null_test(detail::cond_node::op::is_null); }
    condition<model_type> is_not_null() const { return null_test(detail::cond_node::op::is_not_null); }

    template <std::ranges::input_range R>
    condition<model_type> in(const R& values) const {
        using V = std::remove_cvref_t<std::ranges::range_value_t<R>>;
        static_assert(detail::comparable_with<member_type, V>(),
                      "eagerload: in(): the list's element type does not match the column's type");
        static_assert(type != detail::col_type::bytes, "eagerload: in(): not on a bytes column");
        std::vector<detail::param> items;
        for (const auto& v : values) items.push_back(detail::to_param<type>(v));
        return {detail::cond_node::on_column(detail::cond_node::op::in, detail::column_of<P>().name, type,
                                             std::move(items))};
    }
    condition<model_type> in(std::initializer_list<value_type> values) const {
        return in<std::initializer_list<value_type>>(values);
    }

private:
    condition<model_type> null_test(detail::cond_node::op o) const {
        static_assert(detail::column_traits<member_type>::nullable,
                      "eagerload: is_null()/is_not_null() on a column whose member is not std::optional");
        return {detail::cond_node::on_column(o, detail::column_of<P>().name, type)};
    }
};

template <auto P>
inline constexpr column<P> col{};

// clang-format off
template <auto P, class V> condition<detail::class_of<P>> operator==(column<P>, const V& v) { return detail::compare<P>(detail::cond_node::op::eq, v); }
template <auto P, class V> condition<detail::class_of<P>> operator!=(column<P>, const V& v) { return detail::compare<P>(detail::cond_node::op::ne, v); }
template <auto P, class V> condition<detail::class_of<P>> operator<(column<P>, const V& v) { return detail::compare<P>(detail::cond_node::op::lt, v); }
template <auto P, class V> condition<detail::class_of<P>> operator<=(column<P>, const V& v) { return detail::compare<P>(detail::cond_node::op::le, v); }
template <auto P, class V> condition<detail::class_of<P>> operator>(column<P>, const V& v) { return detail::compare<P>(detail::cond_node::op::gt, v); }
template <auto P, class V> condition<detail::class_of<P>> operator>=(column<P>, const V& v) { return detail::compare<P>(detail::cond_node::op::ge, v); }
// clang-format on

template <class M>
condition<M> operator&&(condition<M> a, condition<M> b) {
    return detail::combine(detail::cond_node::op::and_, std::move(a), std::move(b));
}
template <class M>
condition<M> operator||(condition<M> a, condition<M> b) {
    return detail::combine(detail::cond_node::op::or_, std::move(a), std::move(b));
}
template <class M>
condition<M> operator!(condition<M> a) {
    return {detail::cond_node::logical(detail::cond_node::op::not_, nullptr, std::move(a.node))};
}

}  // namespace eagerload
