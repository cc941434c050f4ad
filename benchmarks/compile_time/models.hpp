#pragma once
// The schema of the compile-time benchmark: 8 models and their relations, on their own
// (no test or example code), so a generated translation unit depends on the public
// headers only. Every kind of relation is here: belongs_to (required and nullable),
// has_one, has_many and many_to_many, and every column type.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <eagerload/model.hpp>
#include <eagerload/relation.hpp>
#include <eagerload/timestamp.hpp>

namespace ct {

struct User {
    std::int64_t id;
    std::string name;
    std::string email;
    std::optional<std::string> avatar_url;
    bool active;
};
struct Profile {
    std::int64_t id;
    std::int64_t user_id;
    std::string bio;
    std::optional<std::int32_t> age;
};
struct Project {
    std::int64_t id;
    std::int64_t owner_id;
    std::string name;
    eagerload::timestamp updated_at;
};
struct Membership {
    std::int64_t id;
    std::int64_t project_id;
    std::int64_t user_id;
    std::int32_t role;
};
struct Task {
    std::int64_t id;
    std::int64_t project_id;
    std::optional<std::int64_t> assignee_id;
    std::string title;
    std::int32_t priority;
    double estimate;
    eagerload::timestamp created_at;
};
struct Comment {
    std::int64_t id;
    std::int64_t task_id;
    std::int64_t author_id;
    std::string text;
    eagerload::timestamp created_at;
};
struct Tag {
    std::int64_t id;
    std::string name;
    std::optional<std::string> color;
};
struct TaskTag {
    std::int64_t id;
    std::int64_t task_id;
    std::int64_t tag_id;
};

}  // namespace ct

BOOST_HANA_ADAPT_STRUCT(ct::User, id, name, email, avatar_url, active);
BOOST_HANA_ADAPT_STRUCT(ct::Profile, id, user_id, bio, age);
BOOST_HANA_ADAPT_STRUCT(ct::Project, id, owner_id, name, updated_at);
BOOST_HANA_ADAPT_STRUCT(ct::Membership, id, project_id, user_id, role);
BOOST_HANA_ADAPT_STRUCT(ct::Task, id, project_id, assignee_id, title, priority, estimate, created_at);
BOOST_HANA_ADAPT_STRUCT(ct::Comment, id, task_id, author_id, text, created_at);
BOOST_HANA_ADAPT_STRUCT(ct::Tag, id, name, color);
BOOST_HANA_ADAPT_STRUCT(ct::TaskTag, id, task_id, tag_id);

#define CT_MODEL(T, TABLE)                                  \
    template <>                                             \
    struct eagerload::model<ct::T> {                        \
        static constexpr std::string_view table = TABLE;    \
        static constexpr auto key = &ct::T::id;             \
    }
CT_MODEL(User, "users");
CT_MODEL(Profile, "profiles");
CT_MODEL(Project, "projects");
CT_MODEL(Membership, "memberships");
CT_MODEL(Task, "tasks");
CT_MODEL(Comment, "comments");
CT_MODEL(Tag, "tags");
CT_MODEL(TaskTag, "task_tags");
#undef CT_MODEL

namespace ct {

namespace el = eagerload;

// belongs_to: the owner holds the foreign key.
inline constexpr auto owner = el::belongs_to<&Project::owner_id, &User::id>;
inline constexpr auto profile_user = el::belongs_to<&Profile::user_id, &User::id>;
inline constexpr auto membership_project = el::belongs_to<&Membership::project_id, &Project::id>;
inline constexpr auto membership_user = el::belongs_to<&Membership::user_id, &User::id>;
inline constexpr auto project = el::belongs_to<&Task::project_id, &Project::id>;
inline constexpr auto assignee = el::belongs_to<&Task::assignee_id, &User::id>;  // nullable FK
inline constexpr auto comment_task = el::belongs_to<&Comment::task_id, &Task::id>;
inline constexpr auto author = el::belongs_to<&Comment::author_id, &User::id>;
inline constexpr auto tagging_task = el::belongs_to<&TaskTag::task_id, &Task::id>;
inline constexpr auto tagging_tag = el::belongs_to<&TaskTag::tag_id, &Tag::id>;

// has_one / has_many: the target holds the foreign key.
inline constexpr auto profile = el::has_one<&Profile::user_id, &User::id>;
inline constexpr auto owned_projects = el::has_many<&Project::owner_id, &User::id>;
inline constexpr auto assigned_tasks = el::has_many<&Task::assignee_id, &User::id>;
inline constexpr auto authored_comments = el::has_many<&Comment::author_id, &User::id>;
inline constexpr auto user_memberships = el::has_many<&Membership::user_id, &User::id>;
inline constexpr auto memberships = el::has_many<&Membership::project_id, &Project::id>;
inline constexpr auto tasks = el::has_many<&Task::project_id, &Project::id>;
inline constexpr auto comments = el::has_many<&Comment::task_id, &Task::id>;
inline constexpr auto taggings = el::has_many<&TaskTag::task_id, &Task::id>;
inline constexpr auto tag_taggings = el::has_many<&TaskTag::tag_id, &Tag::id>;

// many_to_many: owner key, join model's owner FK, join model's target FK, target key.
inline constexpr auto members = el::many_to_many<&Project::id, &Membership::project_id, &Membership::user_id, &User::id>;
inline constexpr auto user_projects =
    el::many_to_many<&User::id, &Membership::user_id, &Membership::project_id, &Project::id>;
inline constexpr auto tags = el::many_to_many<&Task::id, &TaskTag::task_id, &TaskTag::tag_id, &Tag::id>;
inline constexpr auto tagged_tasks = el::many_to_many<&Tag::id, &TaskTag::tag_id, &TaskTag::task_id, &Task::id>;

}  // namespace ct
