#pragma once
// The dashboard's schema (users, projects, project_members, tasks, comments), its
// relations, and a small employee model for self-referential relations.
#include <cstdint>
#include <optional>
#include <string>

#include "dashboard/model.hpp"  // the one dashboard schema (examples/dashboard)
#include "eagerload/relation.hpp"

namespace dash {

using dashboard::Comment;
using dashboard::Project;
using dashboard::ProjectMember;
using dashboard::Task;
using dashboard::User;

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

BOOST_HANA_ADAPT_STRUCT(dash::Profile, id, user_id, bio);
BOOST_HANA_ADAPT_STRUCT(dash::Employee, id, name, boss_id);

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
// The dashboard's own relations, declared once in examples/dashboard/model.hpp.
using dashboard::assignee;
using dashboard::author;
using dashboard::comments;
using dashboard::member_user;
using dashboard::members;
using dashboard::owner;
using dashboard::tasks;
inline constexpr auto project = dashboard::task_project;  // the same relation, as the tests name it
// Relations only the tests use.
inline constexpr auto member_users =
    el::many_to_many<&Project::id, &ProjectMember::project_id, &ProjectMember::user_id, &User::id>;
inline constexpr auto user_projects =
    el::many_to_many<&User::id, &ProjectMember::user_id, &ProjectMember::project_id, &Project::id>;
inline constexpr auto owned_projects = el::has_many<&Project::owner_id, &User::id>;
inline constexpr auto profile = el::has_one<&Profile::user_id, &User::id>;
inline constexpr auto boss = el::belongs_to<&Employee::boss_id, &Employee::id>;
inline constexpr auto reports = el::has_many<&Employee::boss_id, &Employee::id>;
}  // namespace dash
