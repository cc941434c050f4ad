#pragma once
// The dashboard as one eagerload expression, shared by the example's eager strategy,
// the tests (tests/assemble/scale_test.cpp) and the benchmarks: projects of the user
// (through project_members), newest first, 20 of them, owner joined; their tasks with
// assignee (the top 10 in the limited variant); each task's comments with author (the
// newest 5 in the limited variant); the members, by id, with their user. 4 statements.
#include <eagerload/exists.hpp>
#include <eagerload/select.hpp>

#include <cstdint>
#include <optional>

#include "model.hpp"

namespace dashboard {

// The dashboard's projects in page order, unlimited: dashboard_query() is its first
// 20; keyed pages (dashboard --page-size N --after TOKEN) are any page of it.
inline auto dashboard_projects(bool limited, std::int64_t user_id) {
    using namespace eagerload;
    auto task_level = select<Task>()
                          .order_by(desc<&Task::priority>, desc<&Task::created_at>, desc<&Task::id>)
                          .limit_per_parent(limited ? std::optional<long long>(10) : std::nullopt);
    auto comment_level = select<Comment>()
                             .order_by(desc<&Comment::created_at>, desc<&Comment::id>)
                             .limit_per_parent(limited ? std::optional<long long>(5) : std::nullopt);
    return select<Project>()
        .where(exists(members, col<&ProjectMember::user_id> == user_id))
        .order_by(desc<&Project::updated_at>, desc<&Project::id>)
        .join(owner)
        .prefetch(tasks, task_level.join(assignee).prefetch(comments, comment_level.join(author)))
        .prefetch(members, select<ProjectMember>().order_by(asc<&ProjectMember::id>).join(member_user));
}

inline auto dashboard_query(bool limited, std::int64_t user_id) { return dashboard_projects(limited, user_id).limit(20); }

}  // namespace dashboard
