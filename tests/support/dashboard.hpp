#pragma once
// The dashboard's schema (users, projects, project_members, tasks, comments), its
// relations, and a small employee model for self-referential relations.
#include <cstdint>
#include <optional>
#include <string>

#include "eagerload/relation.hpp"
#include "models.hpp"

namespace dash {

using models::Task;
using models::User;

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

struct Comment {
    std::int64_t id;
    std::int64_t task_id;
    std::int64_t author_id;
    std::string text;
    eagerload::timestamp created_at;
};

struct Profile {
    std::int64_t id;
    std::int64_t user_id;
    std::string bio;
};

struct Employee {
    std::int64_t id;
    std::string name;
    std::optional<std::int64_t> boss_id;
};

}  // namespace dash

BOOST_HANA_ADAPT_STRUCT(dash::Project, id, name, owner_id, updated_at);
BOOST_HANA_ADAPT_STRUCT(dash::ProjectMember, id, project_id, user_id);
BOOST_HANA_ADAPT_STRUCT(dash::Comment, id, task_id, author_id, text, created_at);
BOOST_HANA_ADAPT_STRUCT(dash::Profile, id, user_id, bio);
BOOST_HANA_ADAPT_STRUCT(dash::Employee, id, name, boss_id);

template <>
struct eagerload::model<dash::Project> {
    static constexpr std::string_view table = "projects";
    static constexpr auto key = &dash::Project::id;
};
template <>
struct eagerload::model<dash::ProjectMember> {
    static constexpr std::string_view table = "project_members";
    static constexpr auto key = &dash::ProjectMember::id;
};
template <>
struct eagerload::model<dash::Comment> {
    static constexpr std::string_view table = "comments";
    static constexpr auto key = &dash::Comment::id;
};
template <>
struct eagerload::model<dash::Profile> {
    static constexpr std::string_view table = "profiles";
    static constexpr auto key = &dash::Profile::id;
};
template <>
struct eagerload::model<dash::Employee> {
    static constexpr std::string_view table = "employees";
    static constexpr auto key = &dash::Employee::id;
};

namespace dash {
namespace el = eagerload;
inline constexpr auto owner = el::belongs_to<&Project::owner_id, &User::id>;
inline constexpr auto tasks = el::has_many<&Task::project_id, &Project::id>;
inline constexpr auto project = el::belongs_to<&Task::project_id, &Project::id>;
inline constexpr auto assignee = el::belongs_to<&Task::assignee_id, &User::id>;
inline constexpr auto comments = el::has_many<&Comment::task_id, &Task::id>;
inline constexpr auto author = el::belongs_to<&Comment::author_id, &User::id>;
inline constexpr auto members = el::has_many<&ProjectMember::project_id, &Project::id>;
inline constexpr auto member_user = el::belongs_to<&ProjectMember::user_id, &User::id>;
inline constexpr auto member_users =
    el::many_to_many<&Project::id, &ProjectMember::project_id, &ProjectMember::user_id, &User::id>;
inline constexpr auto user_projects =
    el::many_to_many<&User::id, &ProjectMember::user_id, &ProjectMember::project_id, &Project::id>;
inline constexpr auto owned_projects = el::has_many<&Project::owner_id, &User::id>;
inline constexpr auto profile = el::has_one<&Profile::user_id, &User::id>;
inline constexpr auto boss = el::belongs_to<&Employee::boss_id, &Employee::id>;
inline constexpr auto reports = el::has_many<&Employee::boss_id, &Employee::id>;
}  // namespace dash
