#pragma once
// Filtering through a relation: rows that have (or lack) related rows.
//
//   // projects that user U is a member of
//   select<Project>().where(exists(memberships, col<&ProjectMember::user_id> == u));
//   // users without any task
//   select<User>().where(!exists(assigned_tasks));
//
// Renders as a correlated EXISTS (SELECT 1 ...), so it never multiplies rows.
#include <memory>

#include "eagerload/relation.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

template <Relation R, class M = typename R::target>
condition<typename R::owner> exists(R, condition<M> filter = {}) {
    static_assert(std::is_same_v<M, typename R::target>,
                  "eagerload: exists(relation, condition): the condition must filter the relation's target model");
    using detail::column_of;
    auto n = std::make_shared<detail::cond_node>();
    n->o = detail::cond_node::op::exists;
    n->rhs = std::move(filter.node);
    n->outer_column = column_of<R::owner_key>().name;
    if constexpr (R::kind == relation_kind::many_to_many) {
        n->inner_table = &detail::table_of<typename R::through>();
        n->inner_column = column_of<R::through_owner_key>().name;
        n->target_table = &detail::table_of<typename R::target>();
        n->through_column = column_of<R::through_target_key>().name;
        n->target_column = column_of<R::target_key>().name;
    } else {
        n->inner_table = &detail::table_of<typename R::target>();
        n->inner_column = column_of<R::target_key>().name;
    }
    return {std::move(n)};
}

}  // namespace eagerload
