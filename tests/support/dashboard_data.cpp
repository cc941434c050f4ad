#include "dashboard_data.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"

namespace dash {

void create_schema(const eagerload::database& db) {
    using namespace eagerload;
    create_table<User>(db);
    create_table<Project>(db, owner);
    create_table<ProjectMember>(db, belongs_to<&ProjectMember::project_id, &Project::id>, member_user);
    create_table<Task>(db, project, assignee);
    create_table<Comment>(db, belongs_to<&Comment::task_id, &Task::id>, author);
    create_table<Profile>(db, belongs_to<&Profile::user_id, &User::id>);
    create_table<Employee>(db, boss);
}

dataset generate(unsigned seed, const sizes& s) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    // Few distinct timestamps and priorities: plenty of ties for ORDER BY to break by key.
    auto some_time = [&] { return eagerload::make_timestamp(2024, 1, 1 + pick(0, 3), pick(0, 2)); };
    dataset d;
    for (int i = 1; i <= s.users; ++i)
        d.users.push_back(User{i, fmt::format("user {}", pick(0, s.users / 2)),  // shared names: ties
                               fmt::format("u{}@example.com", i),
                               pick(0, 3) ? std::optional<std::string>(fmt::format("https://a/{}", i)) : std::nullopt});
    std::int64_t member_id = 1, task_id = 1, comment_id = 1;
    for (int p = 1; p <= s.projects; ++p) {
        d.projects.push_back(Project{p, fmt::format("project {}", p), pick(1, s.users), some_time()});
        std::vector<int> chosen;
        const int n_members = pick(0, s.members_per_project);
        while (static_cast<int>(chosen.size()) < n_members) {
            const int u = pick(1, s.users);
            if (std::find(chosen.begin(), chosen.end(), u) == chosen.end()) chosen.push_back(u);
        }
        for (int u : chosen) d.members.push_back(ProjectMember{member_id++, p, u});
        const int n_tasks = pick(0, 3) == 0 ? 0 : pick(1, s.tasks_per_project);
        for (int t = 0; t < n_tasks; ++t) {
            const std::int64_t tid = task_id++;
            d.tasks.push_back(Task{tid, p, pick(0, 4) ? std::optional<std::int64_t>(pick(1, s.users)) : std::nullopt,
                                   fmt::format("task {}", tid), pick(0, 3), some_time()});
            const int n_comments = pick(0, s.comments_per_task);
            for (int c = 0; c < n_comments; ++c)
                d.comments.push_back(Comment{comment_id++, tid, pick(1, s.users), fmt::format("comment {}", comment_id),
                                             some_time()});
        }
    }
    for (int i = 1; i <= s.users; ++i)
        if (pick(0, 1)) d.profiles.push_back(Profile{i, i, fmt::format("bio of {}", i)});
    for (int i = 1; i <= s.users; ++i)
        d.employees.push_back(Employee{i, fmt::format("employee {}", i),
                                       i == 1 || pick(0, 4) == 0 ? std::nullopt : std::optional<std::int64_t>(pick(1, i - 1))});
    return d;
}

dataset small_dataset() {
    const auto t0 = eagerload::make_timestamp(2024, 5, 1);
    dataset d;
    d.users = {{1, "ann", "ann@x", {}}, {2, "bob", "bob@x", "b.png"}, {3, "cy", "cy@x", {}}, {4, "dee", "dee@x", {}}};
    d.projects = {{10, "alpha", 1, t0}, {11, "beta", 2, t0 + std::chrono::hours(1)},
                  {12, "gamma", 1, t0 + std::chrono::hours(2)}};
    d.members = {{1, 10, 2}, {2, 10, 3}, {3, 11, 1}, {4, 11, 2}, {5, 11, 4}};
    d.tasks = {{100, 10, 2, "a1", 1, t0},
               {101, 10, {}, "a2", 3, t0},
               {102, 10, 3, "a3", 3, t0 + std::chrono::minutes(1)},
               {103, 11, 2, "b1", 2, t0},
               {104, 11, 1, "b2", 0, t0}};
    d.comments = {{1000, 100, 1, "c1", t0},
                  {1001, 100, 2, "c2", t0 + std::chrono::minutes(5)},
                  {1002, 100, 3, "c3", t0 + std::chrono::minutes(5)},
                  {1003, 103, 4, "c4", t0}};
    d.profiles = {{1, 1, "ann's bio"}, {3, 3, "cy's bio"}};
    d.employees = {{1, "boss", {}}, {2, "mid", 1}, {3, "low", 2}, {4, "solo", {}}};
    return d;
}

void insert(const eagerload::database& db, const dataset& d) {
    using eagerload::insert_all;
    insert_all(db, d.users);
    insert_all(db, d.projects);
    insert_all(db, d.members);
    insert_all(db, d.tasks);
    insert_all(db, d.comments);
    insert_all(db, d.profiles);
    insert_all(db, d.employees);
}

}  // namespace dash
