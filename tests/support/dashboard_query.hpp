#pragma once
// The dashboard query (examples/dashboard/query.hpp), shared by the tests that
// load it (scale, concurrency), with a canonical text form of the graph it loads and
// the helper that picks a user whose dashboard is full.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dashboard.hpp"
#include "dashboard/query.hpp"
#include "eagerload/eagerload.hpp"

namespace dash {

// The dashboard of examples/dashboard/query.hpp (the one definition), limited variant:
// projects of user U, newest first, 20, owner joined; 10 tasks per project with
// assignee; 5 comments per task with author; members with their user. 4 statements.
inline auto dashboard_query(std::int64_t user_id) { return ::dashboard::dashboard_query(true, user_id); }

using dashboard_page = std::vector<typename decltype(dashboard_query(1))::node_type>;

// Every field of every node, in graph order: two pages are the same dashboard exactly
// when their texts are equal.
inline std::string to_text(const dashboard_page& page) {
    const auto user_text = [](const User& u) {
        return fmt::format("{}:{}:{}:{}", u.id, u.name, u.email, u.avatar_url.value_or("-"));
    };
    std::string out;
    for (const auto& p : page) {
        out += fmt::format("P{} {} {} owner={}\n", p.id, p.name, eagerload::format_timestamp(p.updated_at),
                           user_text(p[owner]));
        for (const auto& t : p[tasks]) {
            out += fmt::format(" T{} {} {} {} a={}\n", t.id, t.title, t.priority,
                               eagerload::format_timestamp(t.created_at),
                               t[assignee] ? user_text(*t[assignee]) : "none");
            for (const auto& c : t[comments])
                out += fmt::format("  C{} {} {} by={}\n", c.id, c.text, eagerload::format_timestamp(c.created_at),
                                   user_text(c[author]));
        }
        for (const auto& m : p[members]) out += fmt::format(" M{} {}\n", m.id, user_text(m[member_user]));
    }
    return out;
}

// The user who is a member of the most projects (the lowest id among equals): the
// fullest dashboard.
inline std::int64_t busiest_user(const eagerload::database& db, std::int64_t users) {
    using namespace eagerload;
    std::int64_t user = 1;
    long long best = -1;
    for (std::int64_t u = 1; u <= users; ++u) {
        const long long n = select<Project>().where(exists(members, col<&ProjectMember::user_id> == u)).count(db);
        if (n > best) best = n, user = u;
    }
    return user;
}

}  // namespace dash
