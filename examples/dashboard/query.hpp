#pragma once
// The dashboard as one eagerload expression, shared by the example's eager strategy,
// the tests (tests/assemble/scale_test.cpp) and the benchmarks: projects of the user
// (through project_members), newest first, 20 of them, owner joined; their tasks with
// assignee (the top 10 in the limited variant); each task's comments with author (the
// newest 5 in the limited variant); the members, by id, with their user. 4 statements.
//
// dashboard_query loads every column (the tests compare whole graphs); page_query, the
// same query loading only the columns the page prints, is what the example's eager
// strategy runs; summary_page_query adds each project's task count and each task's
// comment count (all of them, not only those shown), still in 4 statements.
#include <eagerload/aggregate.hpp>
#include <eagerload/exists.hpp>
#include <eagerload/select.hpp>

#include <cstdint>
#include <optional>
#include <tuple>

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

// Only what the page prints: names, titles, priorities, texts and times (keys that the
// joins and the grouping need are loaded by the library, named or not).
inline auto page_levels(bool limited) {
    using namespace eagerload;
    const auto user_name = select<User>().only<&User::name>();
    auto comment_level = select<Comment>()
                             .only<&Comment::text, &Comment::created_at>()
                             .order_by(desc<&Comment::created_at>, desc<&Comment::id>)
                             .limit_per_parent(limited ? std::optional<long long>(5) : std::nullopt)
                             .join(author, user_name);
    auto task_level = select<Task>()
                          .only<&Task::title, &Task::priority>()
                          .order_by(desc<&Task::priority>, desc<&Task::created_at>, desc<&Task::id>)
                          .limit_per_parent(limited ? std::optional<long long>(10) : std::nullopt)
                          .join(assignee, user_name);
    auto member_level = select<ProjectMember>().order_by(asc<&ProjectMember::id>).join(member_user, user_name);
    return std::tuple{std::move(comment_level), std::move(task_level), std::move(member_level)};
}

// Every project of the user, in the page's order (keyed pages page through it).
inline auto page_root_unlimited(std::int64_t user_id) {
    using namespace eagerload;
    return select<Project>()
        .only<&Project::name>()
        .where(exists(members, col<&ProjectMember::user_id> == user_id))
        .order_by(desc<&Project::updated_at>, desc<&Project::id>)
        .join(owner, select<User>().only<&User::name>());
}
inline auto page_root(std::int64_t user_id) { return page_root_unlimited(user_id).limit(20); }

inline auto page_query(bool limited, std::int64_t user_id) {
    auto [comment_level, task_level, member_level] = page_levels(limited);
    return page_root(user_id)
        .prefetch(tasks, task_level.prefetch(comments, comment_level))
        .prefetch(members, member_level);
}

// The same levels under every project of the user: what keyed pages (--page-size,
// --after) page through.
// The root also loads updated_at: a page token is made of the order keys.
inline auto paged_projects(bool limited, std::int64_t user_id) {
    using namespace eagerload;
    auto [comment_level, task_level, member_level] = page_levels(limited);
    return select<Project>()
        .only<&Project::name, &Project::updated_at>()
        .where(exists(members, col<&ProjectMember::user_id> == user_id))
        .order_by(desc<&Project::updated_at>, desc<&Project::id>)
        .join(owner, select<User>().only<&User::name>())
        .prefetch(tasks, task_level.prefetch(comments, comment_level))
        .prefetch(members, member_level);
}

// The limited page, plus "task_count" per project and "comment_count" per task.
inline auto summary_page_query(std::int64_t user_id) {
    using eagerload::agg::count;
    auto [comment_level, task_level, member_level] = page_levels(true);
    return page_root(user_id)
        .aggregate(count(tasks))
        .prefetch(tasks, task_level.aggregate(count(comments)).prefetch(comments, comment_level))
        .prefetch(members, member_level);
}

}  // namespace dashboard
