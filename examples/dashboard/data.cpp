// Schema, deterministic data, and the canonical JSON of a dashboard.
#include <eagerload/insert.hpp>
#include <eagerload/schema.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "dashboard.hpp"
#include "model.hpp"

namespace dashboard {

const char* to_string(variant v) {
    switch (v) {
    case variant::full: return "full";
    case variant::limited: return "limited";
    case variant::summary: return "summary";
    }
    return "?";
}
const char* to_string(strategy s) {
    switch (s) {
    case strategy::naive: return "naive";
    case strategy::eager: return "eager";
    case strategy::handwritten: return "handwritten";
    case strategy::libpq: return "libpq";
    }
    return "?";
}

void create_schema(const eagerload::database& db) {
    using namespace eagerload;
    create_table<User>(db);
    create_table<Project>(db, owner);
    create_table<ProjectMember>(db, member_project, member_user);
    create_unique_index(db, "project_members_project_user", asc<&ProjectMember::project_id>, asc<&ProjectMember::user_id>);
    create_table<Task>(db, task_project, assignee);
    create_table<Comment>(db, comment_task, author);
    create_index(db, "project_members_user_project", asc<&ProjectMember::user_id>, asc<&ProjectMember::project_id>);
    create_index(db, "tasks_project_priority_created", asc<&Task::project_id>, desc<&Task::priority>,
                 desc<&Task::created_at>);
    create_index(db, "comments_task_created", asc<&Comment::task_id>, desc<&Comment::created_at>);
}

void drop_schema(const eagerload::database& db) {
    using eagerload::drop_table;
    drop_table<Comment>(db);
    drop_table<Task>(db);
    drop_table<ProjectMember>(db);
    drop_table<Project>(db);
    drop_table<User>(db);
}

namespace {

// splitmix64: the same numbers on every platform and standard library.
struct rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n)); }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& a) { return a[static_cast<std::size_t>(below(N))]; }
};

constexpr std::array<const char*, 12> first_names{"Ada", "Grace", "José", "Zoë", "Łukasz", "Amélie",
                                                    "Søren", "Nguyễn", "李", "Olu", "Maya", "Björn"};
constexpr std::array<const char*, 10> last_names{"Lovelace", "Hopper", "García", "Müller", "Kowalski",
                                                   "Ōta", "Brontë", "O'Brien", "Dvořák", "Smith"};
constexpr std::array<const char*, 8> verbs{"Fix", "Ship", "Review", "Refactor", "Document", "Test", "Measure", "Port"};
constexpr std::array<const char*, 8> nouns{"login", "billing", "search", "the \"export\" button", "caching",
                                           "reports", "onboarding", "the API"};

}  // namespace

row_counts generate(const eagerload::database& db, const config& c) {
    rng r{c.seed};
    const auto base = eagerload::make_timestamp(2026, 1, 1);
    auto at = [&](std::int64_t seconds) { return base + std::chrono::seconds(seconds); };

    std::vector<User> users;
    users.reserve(static_cast<std::size_t>(c.users));
    for (std::int64_t id = 1; id <= c.users; ++id)
        users.push_back(User{id, fmt::format("{} {}", r.pick(first_names), r.pick(last_names)),
                             fmt::format("user{}@example.com", id),
                             r.below(10) < 7 ? std::optional<std::string>(fmt::format("https://avatars.example.com/{}.png", id))
                                             : std::nullopt});

    std::vector<Project> projects;
    std::vector<ProjectMember> members;
    for (std::int64_t id = 1; id <= c.projects; ++id) {
        projects.push_back(Project{id, fmt::format("Project {} — {}", id, r.pick(nouns)), 1 + r.below(c.users),
                                   at(r.below(90 * 86400))});
        std::vector<std::int64_t> chosen;
        if (id <= c.member_projects) chosen.push_back(c.user_id);
        while (static_cast<int>(chosen.size()) < std::min(c.members_per_project, c.users)) {
            const std::int64_t u = 1 + r.below(c.users);
            if (u == c.user_id && id > c.member_projects) continue;
            if (std::find(chosen.begin(), chosen.end(), u) == chosen.end()) chosen.push_back(u);
        }
        for (std::int64_t u : chosen)
            members.push_back(ProjectMember{static_cast<std::int64_t>(members.size()) + 1, id, u});
    }

    std::vector<Task> tasks;
    std::vector<Comment> comments;
    for (const Project& p : projects) {
        for (int t = 0; t < c.tasks_per_project; ++t) {
            const std::int64_t id = static_cast<std::int64_t>(tasks.size()) + 1;
            const std::int64_t created = r.below(90 * 86400);
            tasks.push_back(Task{id, p.id,
                                 r.below(10) == 0 ? std::nullopt : std::optional<std::int64_t>(1 + r.below(c.users)),
                                 fmt::format("{} {} (#{})", r.pick(verbs), r.pick(nouns), id),
                                 static_cast<std::int32_t>(r.below(5)), at(created)});
            // c/2 .. 3c/2 comments: mean c, varied.
            const std::int64_t n = c.comments_per_task / 2 + r.below(c.comments_per_task + 1);
            for (std::int64_t k = 0; k < n; ++k) {
                const std::int64_t cid = static_cast<std::int64_t>(comments.size()) + 1;
                comments.push_back(Comment{cid, id, 1 + r.below(c.users),
                                           fmt::format("Comment {} on #{}: ça marche ✓ {}", cid, id, r.pick(nouns)),
                                           at(created + r.below(30 * 86400))});
            }
        }
    }
    using eagerload::insert_all;
    insert_all(db, users);
    insert_all(db, projects);
    insert_all(db, members);
    insert_all(db, tasks);
    insert_all(db, comments);
    return {users.size(), projects.size(), members.size(), tasks.size(), comments.size()};
}

namespace {

void json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"') out += "\\\"";
        else if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;  // UTF-8 as is
    }
    out += '"';
}

}  // namespace

std::string to_json(const view& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        const project_view& p = v[i];
        if (i) out += ',';
        out += fmt::format("{{\"id\":{},\"members\":[", p.id);
        for (std::size_t m = 0; m < p.members.size(); ++m) {
            if (m) out += ',';
            json_string(out, p.members[m]);
        }
        out += "],\"name\":";
        json_string(out, p.name);
        out += ",\"owner\":";
        json_string(out, p.owner);
        if (p.task_count) out += fmt::format(",\"task_count\":{}", *p.task_count);
        out += ",\"tasks\":[";
        for (std::size_t t = 0; t < p.tasks.size(); ++t) {
            const task_view& task = p.tasks[t];
            if (t) out += ',';
            out += "{\"assignee\":";
            if (task.assignee) json_string(out, *task.assignee);
            else out += "null";
            if (task.comment_count) out += fmt::format(",\"comment_count\":{}", *task.comment_count);
            out += ",\"comments\":[";
            for (std::size_t k = 0; k < task.comments.size(); ++k) {
                const comment_view& c = task.comments[k];
                if (k) out += ',';
                out += "{\"author\":";
                json_string(out, c.author);
                std::string created = eagerload::format_timestamp(c.created).substr(0, 19);
                created[10] = 'T';
                out += ",\"created\":\"" + created + "\",\"text\":";
                json_string(out, c.text);
                out += '}';
            }
            out += fmt::format("],\"id\":{},\"priority\":{},\"title\":", task.id, task.priority);
            json_string(out, task.title);
            out += '}';
        }
        out += "]}";
    }
    return out + "]";
}

}  // namespace dashboard
