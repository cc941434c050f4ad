#pragma once
// Per-row aggregates of a relation, loaded without loading the related rows:
//
//   using namespace eagerload;
//   auto q = select<Project>()
//                .aggregate(agg::count(tasks))                                   // std::int64_t, 0 for none
//                .aggregate(agg::sum<&Task::estimate>(tasks))                    // std::int64_t, 0 for none
//                .aggregate(agg::max<&Task::created_at>(tasks))                  // std::optional<timestamp>
//                .aggregate(agg::exists(tasks, col<&Task::priority> >= 4))       // bool
//                .prefetch(tasks);                                               // may sit beside them
//   for (const auto& p : q.load(db)) p[agg::count(tasks)] ... p[agg::max<&Task::created_at>(tasks)] ...
//
// count and exists never are absent; sum is 0 for a row without related rows (int64 for
// integer columns, double for double ones); min and max are std::optional, empty then.
// A filter (the second argument) is the relation's own where. Each aggregate is a
// correlated subquery in the SELECT list of the level's statement: the statement count
// does not change, and two aggregates can never multiply each other's rows.
//
// An aggregate is looked up by its type (function, relation, column): two aggregates of
// the same function and relation with different filters need two relations (a Tag type).
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "eagerload/detail/level_spec.hpp"
#include "eagerload/exists.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

namespace detail {

template <aggregate_fn F, auto P>
constexpr auto aggregate_value_type() {
    if constexpr (F == aggregate_fn::count) {
        return std::type_identity<std::int64_t>{};
    } else if constexpr (F == aggregate_fn::exists) {
        return std::type_identity<bool>{};
    } else {
        using V = column_value_t<member_type_of<P>>;
        if constexpr (F == aggregate_fn::sum)
            return std::type_identity<std::conditional_t<std::is_integral_v<V>, std::int64_t, double>>{};
        else
            return std::type_identity<std::optional<V>>{};
    }
}

}  // namespace detail

// One aggregate of relation R (of column P of its target, for sum/min/max).
template <detail::aggregate_fn F, class R, auto P = nullptr>
struct aggregate {
    using relation = R;
    using value_type = typename decltype(detail::aggregate_value_type<F, P>())::type;
    static constexpr detail::aggregate_fn function = F;
    detail::cond_ptr filter;  // on R's target rows; null for none

    // The runtime description the level's statement is rendered from.
    detail::aggregate_item item() const {
        using Target = typename R::target;
        detail::aggregate_item a;
        a.fn = F;
        a.related = eagerload::exists(R{}, condition<Target>{filter}).node;
        if constexpr (F != detail::aggregate_fn::count && F != detail::aggregate_fn::exists)
            a.column = detail::column_of<P>().name;
        a.info = &info();
        return a;
    }

private:
    // Its result column, as error messages name it: "projects"."count(tasks)".
    static const detail::table_info& info() {
        static const detail::table_info t = [] {
            using Owner = typename R::owner;
            const detail::table_info& owner = detail::table_of<Owner>();
            std::string label = std::string(detail::aggregate_fn_name(F)) + "(" + detail::table_of<typename R::target>().name;
            if constexpr (F != detail::aggregate_fn::count && F != detail::aggregate_fn::exists)
                label += "." + detail::column_of<P>().name;
            label += ")";
            detail::col_type type = detail::col_type::int64;
            if constexpr (F == detail::aggregate_fn::exists) type = detail::col_type::boolean;
            else if constexpr (F != detail::aggregate_fn::count)
                type = std::is_same_v<value_type, double> ? detail::col_type::float64 : detail::column_of<P>().type;
            constexpr bool nullable = F == detail::aggregate_fn::min || F == detail::aggregate_fn::max;
            return detail::table_info{owner.name, {owner.columns[owner.key], {label, type, nullable}}, 0};
        }();
        return t;
    }
};

namespace detail {

// One message for the first thing wrong with an aggregate of column P over relation R.
template <aggregate_fn F, class R, auto P, class M>
constexpr bool check_aggregate() {
    if constexpr (!Relation<R>) {
        static_assert(dependent_false<M>, "eagerload: agg::count/sum/min/max/exists(relation): the argument is not a "
                                          "relation (belongs_to, has_one, has_many or many_to_many value)");
        return false;
    } else if constexpr (!std::is_same_v<M, typename R::target>) {
        static_assert(dependent_false<M>,
                      "eagerload: an aggregate's filter must filter the relation's target model");
        return false;
    } else if constexpr (F == aggregate_fn::count || F == aggregate_fn::exists) {
        return true;
    } else if constexpr (!data_member_pointer<P>) {
        static_assert(dependent_false<M>, "eagerload: agg::sum/min/max<&Target::member>(relation) takes a member pointer");
        return false;
    } else if constexpr (!std::is_same_v<class_of<P>, typename R::target>) {
        static_assert(dependent_false<M>,
                      "eagerload: agg::sum/min/max<column>(relation): the column is not one of the relation's target "
                      "model");
        return false;
    } else if constexpr (F == aggregate_fn::sum &&
                         (std::is_same_v<column_value_t<member_type_of<P>>, bool> ||
                          !std::is_arithmetic_v<column_value_t<member_type_of<P>>>)) {
        static_assert(dependent_false<M>, "eagerload: agg::sum<column>(relation) needs an integer or double column");
        return false;
    } else if constexpr (std::is_same_v<column_value_t<member_type_of<P>>, bool>) {
        static_assert(dependent_false<M>, "eagerload: agg::min/max<column>(relation) of a bool column: use "
                                          "agg::exists(relation, filter)");
        return false;
    } else {
        return true;
    }
}

template <aggregate_fn F, auto P, class R, class M>
auto make_aggregate(condition<M> filter) {
    if constexpr (check_aggregate<F, R, P, M>()) return aggregate<F, R, P>{std::move(filter.node)};
    else return aggregate<aggregate_fn::count, R>{};  // reported above; compiles on
}

}  // namespace detail

namespace agg {

// How many related rows each row has (0 for none).
template <class R, class M = typename R::target>
auto count(R, condition<M> filter = {}) {
    return detail::make_aggregate<detail::aggregate_fn::count, nullptr, R>(std::move(filter));
}
// Whether each row has a related row.
template <class R, class M = typename R::target>
auto exists(R, condition<M> filter = {}) {
    return detail::make_aggregate<detail::aggregate_fn::exists, nullptr, R>(std::move(filter));
}
// The sum of column P over each row's related rows (0 for none).
template <auto P, class R, class M = typename R::target>
auto sum(R, condition<M> filter = {}) {
    return detail::make_aggregate<detail::aggregate_fn::sum, P, R>(std::move(filter));
}
// The least / greatest value of column P among each row's related rows (empty for none).
template <auto P, class R, class M = typename R::target>
auto min(R, condition<M> filter = {}) {
    return detail::make_aggregate<detail::aggregate_fn::min, P, R>(std::move(filter));
}
template <auto P, class R, class M = typename R::target>
auto max(R, condition<M> filter = {}) {
    return detail::make_aggregate<detail::aggregate_fn::max, P, R>(std::move(filter));
}

}  // namespace agg

}  // namespace eagerload
