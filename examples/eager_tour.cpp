// A tour of eager loading on embedded SQLite: every snippet in docs/eager-loading.md
// comes from here, and the test suite runs this program.
#include <eagerload/eagerload.hpp>
#include <fmt/core.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace el = eagerload;

// --- models ---------------------------------------------------------------------
struct User {
    std::int64_t id;
    std::string name;
};
struct Project {
    std::int64_t id;
    std::string name;
    std::int64_t owner_id;
};
struct Membership {
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
};
struct Comment {
    std::int64_t id;
    std::int64_t task_id;
    std::int64_t author_id;
    std::string text;
};
BOOST_HANA_ADAPT_STRUCT(User, id, name);
BOOST_HANA_ADAPT_STRUCT(Project, id, name, owner_id);
BOOST_HANA_ADAPT_STRUCT(Membership, id, project_id, user_id);
BOOST_HANA_ADAPT_STRUCT(Task, id, project_id, assignee_id, title, priority);
BOOST_HANA_ADAPT_STRUCT(Comment, id, task_id, author_id, text);
template <> struct el::model<User> { static constexpr std::string_view table = "users"; static constexpr auto key = &User::id; };
template <> struct el::model<Project> { static constexpr std::string_view table = "projects"; static constexpr auto key = &Project::id; };
template <> struct el::model<Membership> { static constexpr std::string_view table = "memberships"; static constexpr auto key = &Membership::id; };
template <> struct el::model<Task> { static constexpr std::string_view table = "tasks"; static constexpr auto key = &Task::id; };
template <> struct el::model<Comment> { static constexpr std::string_view table = "comments"; static constexpr auto key = &Comment::id; };

// --- relations: compile-time values -----------------------------------------------
inline constexpr auto owner = el::belongs_to<&Project::owner_id, &User::id>;
inline constexpr auto project = el::belongs_to<&Task::project_id, &Project::id>;
inline constexpr auto assignee = el::belongs_to<&Task::assignee_id, &User::id>;  // nullable FK
inline constexpr auto author = el::belongs_to<&Comment::author_id, &User::id>;
inline constexpr auto tasks = el::has_many<&Task::project_id, &Project::id>;
inline constexpr auto comments = el::has_many<&Comment::task_id, &Task::id>;
inline constexpr auto memberships = el::has_many<&Membership::project_id, &Project::id>;
inline constexpr auto members = el::many_to_many<&Project::id, &Membership::project_id, &Membership::user_id, &User::id>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("eager_tour: check failed: ") + what);
}

int main() {
    using el::asc;
    using el::col;
    using el::desc;
    using el::select;

    auto db = el::database::open("sqlite::memory:");
    el::create_table<User>(db);
    el::create_table<Project>(db, owner);
    el::create_table<Membership>(db, el::belongs_to<&Membership::project_id, &Project::id>,
                                 el::belongs_to<&Membership::user_id, &User::id>);
    el::create_table<Task>(db, project, assignee);
    el::create_table<Comment>(db, el::belongs_to<&Comment::task_id, &Task::id>, author);
    el::insert_all(db, std::vector<User>{{1, "Ada"}, {2, "Grace"}, {3, "Linus"}});
    el::insert_all(db, std::vector<Project>{{10, "compiler", 1}, {11, "kernel", 3}});
    el::insert_all(db, std::vector<Membership>{{1, 10, 1}, {2, 10, 2}, {3, 11, 2}, {4, 11, 3}});
    el::insert_all(db, std::vector<Task>{{100, 10, 2, "parser", 3}, {101, 10, {}, "codegen", 5},
                                         {102, 10, 1, "linker", 1}, {103, 11, 3, "scheduler", 4}});
    el::insert_all(db, std::vector<Comment>{{1000, 100, 1, "LGTM"}, {1001, 100, 2, "needs tests"},
                                            {1002, 103, 2, "ship it"}});

    // [dashboard] One expression, one plan: 3 statements whatever the number of rows.
    const auto page = select<Project>()
                          .where(el::exists(memberships, col<&Membership::user_id> == 2))  // projects of Grace
                          .order_by(asc<&Project::id>)
                          .join(owner)                                                  // same statement
                          .prefetch(tasks, select<Task>()                                // +1 statement
                                               .where(col<&Task::priority> >= 2)
                                               .order_by(desc<&Task::priority>)
                                               .limit_per_parent(2)
                                               .join(assignee)
                                               .prefetch(comments, select<Comment>().join(author)))  // +1
                          .prefetch(members);                                           // +1 statement
    static_assert(decltype(page)::statements == 4);

    fmt::print("plan:\n{}\n", page.plan(db.sql_dialect()).to_string());

    el::query_counter counter(db);
    for (const auto& p : page.load(db)) {
        fmt::print("{} (owner {})\n", p.name, p[owner].name);
        for (const auto& t : p[tasks]) {
            const auto* a = t[assignee];  // nullable FK: a pointer
            fmt::print("  [{}] {} -> {}\n", t.priority, t.title, a ? a->name : "nobody");
            for (const auto& c : t[comments]) fmt::print("      {}: {}\n", c[author].name, c.text);
        }
        std::string names;
        for (const auto& u : p[members]) names += (names.empty() ? "" : ", ") + u.name;
        fmt::print("  members: {}\n", names);
    }
    fmt::print("statements executed: {}\n", counter.count());
    check(counter.count() == 4, "the dashboard runs in 4 statements");
    // [dashboard]

    // [belongs_to_prefetch] A belongs_to can be prefetched instead of joined: each
    // distinct project is loaded once and shared by its tasks.
    const auto task_list = select<Task>().order_by(asc<&Task::id>).prefetch(project).load(db);
    check(&task_list[0][project] == &task_list[1][project], "one node per distinct parent");
    // [belongs_to_prefetch]
    return 0;
}
