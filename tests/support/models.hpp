#pragma once
// Models shared by the tests: the dashboard's schema, and one model with every
// supported column type.
#include <cstdint>
#include <optional>
#include <string>

#include "eagerload/model.hpp"

namespace models {

struct User {
    std::int64_t id;
    std::string name;
    std::string email;
    std::optional<std::string> avatar_url;
};

struct Task {
    std::int64_t id;
    std::int64_t project_id;
    std::optional<std::int64_t> assignee_id;
    std::string title;
    std::int32_t priority;
    eagerload::timestamp created_at;
};

struct Everything {
    std::int64_t id;
    bool flag;
    std::int32_t small;
    std::int64_t big;
    double real;
    std::string text;
    eagerload::timestamp at;
    std::optional<bool> o_flag;
    std::optional<std::int32_t> o_small;
    std::optional<std::int64_t> o_big;
    std::optional<double> o_real;
    std::optional<std::string> o_text;
    std::optional<eagerload::timestamp> o_at;
};

}  // namespace models

BOOST_HANA_ADAPT_STRUCT(models::User, id, name, email, avatar_url);
BOOST_HANA_ADAPT_STRUCT(models::Task, id, project_id, assignee_id, title, priority, created_at);
BOOST_HANA_ADAPT_STRUCT(models::Everything, id, flag, small, big, real, text, at, o_flag, o_small, o_big, o_real,
                        o_text, o_at);

template <>
struct eagerload::model<models::User> {
    static constexpr std::string_view table = "users";
    static constexpr auto key = &models::User::id;
};
template <>
struct eagerload::model<models::Task> {
    static constexpr std::string_view table = "tasks";
    static constexpr auto key = &models::Task::id;
};
template <>
struct eagerload::model<models::Everything> {
    static constexpr std::string_view table = "everything";
    static constexpr auto key = &models::Everything::id;
};
