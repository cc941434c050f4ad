#pragma once
// The dashboard's schema, exactly as other tools share it (see docs/benchmarks.md),
// and its relations.
#include <eagerload/model.hpp>
#include <eagerload/relation.hpp>
#include <eagerload/relation_names.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace dashboard {

struct User {
    std::int64_t id;
    std::string name;
    std::string email;
    std::optional<std::string> avatar_url;
};
struct Project {
    std::int64_t id;
    std::string name;
    std::int64_t owner_id;
    eagerload::timestamp updated_at;
};
struct ProjectMember {
    std::int64_t id;
    std::int64_t project_id;
    std::int64_t user_id;
};
struct Task {
    std::int64_t id;
    std::int64_t project_id;
    std::optional<std::int64_t> assignee_id;
    std::string title;
    std::int32_t priority;
    eagerload::timestamp created_at;
};
struct Comment {
    std::int64_t id;
    std::int64_t task_id;
    std::int64_t author_id;
    std::string text;
    eagerload::timestamp created_at;
};

}  // namespace dashboard

BOOST_HANA_ADAPT_STRUCT(dashboard::User, id, name, email, avatar_url);
BOOST_HANA_ADAPT_STRUCT(dashboard::Project, id, name, owner_id, updated_at);
BOOST_HANA_ADAPT_STRUCT(dashboard::ProjectMember, id, project_id, user_id);
BOOST_HANA_ADAPT_STRUCT(dashboard::Task, id, project_id, assignee_id, title, priority, created_at);
BOOST_HANA_ADAPT_STRUCT(dashboard::Comment, id, task_id, author_id, text, created_at);

template <> struct eagerload::model<dashboard::User> {
    static constexpr std::string_view table = "users";
    static constexpr auto key = &dashboard::User::id;
};
template <> struct eagerload::model<dashboard::Project> {
    static constexpr std::string_view table = "projects";
    static constexpr auto key = &dashboard::Project::id;
};
template <> struct eagerload::model<dashboard::ProjectMember> {
    static constexpr std::string_view table = "project_members";
    static constexpr auto key = &dashboard::ProjectMember::id;
};
template <> struct eagerload::model<dashboard::Task> {
    static constexpr std::string_view table = "tasks";
    static constexpr auto key = &dashboard::Task::id;
};
template <> struct eagerload::model<dashboard::Comment> {
    static constexpr std::string_view table = "comments";
    static constexpr auto key = &dashboard::Comment::id;
};

namespace dashboard {
namespace el = eagerload;
inline constexpr auto owner = el::belongs_to<&Project::owner_id, &User::id>;
inline constexpr auto member_project = el::belongs_to<&ProjectMember::project_id, &Project::id>;
inline constexpr auto member_user = el::belongs_to<&ProjectMember::user_id, &User::id>;
inline constexpr auto task_project = el::belongs_to<&Task::project_id, &Project::id>;
inline constexpr auto assignee = el::belongs_to<&Task::assignee_id, &User::id>;
inline constexpr auto comment_task = el::belongs_to<&Comment::task_id, &Task::id>;
inline constexpr auto author = el::belongs_to<&Comment::author_id, &User::id>;
inline constexpr auto members = el::has_many<&ProjectMember::project_id, &Project::id>;
inline constexpr auto tasks = el::has_many<&Task::project_id, &Project::id>;
inline constexpr auto comments = el::has_many<&Comment::task_id, &Task::id>;
// Names for the N+1 detector's advice (eagerload/relation_names.hpp).
EAGERLOAD_NAME_RELATIONS(owner, member_project, member_user, task_project, assignee, comment_task, author, members, tasks,
                         comments);
}  // namespace dashboard
