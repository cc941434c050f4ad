// Projected levels (.only<...>()) on every backend: only the named columns (and the key)
// are loaded and readable, relations work from and to projected levels with the keys
// they need loaded automatically, and the statement count does not change.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/testing.hpp"

using namespace eagerload;
using namespace dash;

namespace {

const auto t0 = make_timestamp(2024, 5, 1);

void seed(const database& db) {
    create_schema(db);
    insert(db, small_dataset());  // tests/support/dashboard_data.hpp says what it holds
}

}  // namespace

EAGERLOAD_TEST("a projected root: all() and load() read the named columns and the key") {
    seed(db);
    const auto q = select<Task>().only<&Task::title, &Task::priority>().order_by(asc<&Task::id>);
    std::vector<view<Task, &Task::title, &Task::priority>> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 1) { rows = q.all(db); }
    REQUIRE(rows.size() == 5);
    CHECK(rows[0][col<&Task::id>] == 100);
    CHECK(rows[0][col<&Task::title>] == "a1");
    CHECK(rows[2][col<&Task::priority>] == 3);
    const auto nodes = q.load(db);
    REQUIRE(nodes.size() == 5);
    CHECK(nodes[4][col<&Task::title>] == "b2");
    const auto first = select<Task>().only<&Task::title>().where(col<&Task::id> == 103).first(db);
    REQUIRE(first);
    CHECK((*first)[col<&Task::title>] == "b1");
}

TEST_CASE("a projected row stores its named columns and the key, and a projected node adds only its relations' keys") {
    // What a graph of views costs is what it holds: no unloaded member rides along.
    static_assert(sizeof(view<User, &User::name>) == sizeof(std::int64_t) + sizeof(std::string));
    static_assert(sizeof(view<User, &User::name>) < sizeof(User));
    using author_node = node<view<User, &User::name>>;
    static_assert(sizeof(author_node) == sizeof(view<User, &User::name>));  // no loads: nothing added
    // A comment that joins its author keeps author_id (the join follows it), not task_id.
    const auto q = select<Comment>().only<&Comment::text>().join(author, select<User>().only<&User::name>());
    using comment_node = decltype(q)::node_type;
    static_assert(sizeof(comment_node) ==
                  sizeof(view<Comment, &Comment::text>) + sizeof(std::int64_t) + sizeof(std::optional<author_node>));
    CHECK(sizeof(comment_node) < sizeof(Comment) + sizeof(std::optional<node<User>>));
}

EAGERLOAD_TEST("relations from and to projected levels: the keys they need are loaded, not named") {
    seed(db);
    // Neither the root's owner_id, nor the tasks' project_id / assignee_id, nor the
    // comments' task_id / author_id is named: joins and grouping load them anyway.
    const auto q = select<Project>()
                       .only<&Project::name>()
                       .order_by(asc<&Project::id>)
                       .join(owner, select<User>().only<&User::name>())
                       .prefetch(tasks, select<Task>()
                                            .only<&Task::title>()
                                            .order_by(asc<&Task::id>)
                                            .join(assignee, select<User>().only<&User::name>())
                                            .prefetch(comments, select<Comment>()
                                                                    .only<&Comment::text>()
                                                                    .order_by(asc<&Comment::id>)
                                                                    .join(author, select<User>().only<&User::email>())))
                       .prefetch(member_users, select<User>().only<&User::name>().order_by(asc<&User::id>));
    static_assert(decltype(q)::statements == 4);
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 4) { rows = q.load(db); }
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][col<&Project::name>] == "alpha");
    CHECK(rows[0][owner][col<&User::name>] == "ann");
    CHECK(rows[1][owner][col<&User::name>] == "bob");
    REQUIRE(rows[0][tasks].size() == 3);
    CHECK(rows[0][tasks][0][col<&Task::title>] == "a1");
    CHECK(rows[0][tasks][0][assignee] != nullptr);
    CHECK((*rows[0][tasks][0][assignee])[col<&User::name>] == "bob");
    CHECK(rows[0][tasks][1][assignee] == nullptr);  // the NULL FK, loaded though not named
    REQUIRE(rows[0][tasks][0][comments].size() == 3);
    CHECK(rows[0][tasks][0][comments][1][col<&Comment::text>] == "c2");
    CHECK(rows[0][tasks][0][comments][1][author][col<&User::email>] == "bob@x");
    CHECK(rows[1][tasks][0][comments][0][author][col<&User::email>] == "dee@x");
    CHECK(rows[2][tasks].empty());
    REQUIRE(rows[1][member_users].size() == 3);
    CHECK(rows[1][member_users][2][col<&User::name>] == "dee");
}

EAGERLOAD_TEST("a prefetched belongs_to into a projected level, and a projected level below a plain one") {
    seed(db);
    const auto q = select<Task>()
                       .order_by(asc<&Task::id>)
                       .prefetch(project, select<Project>().only<&Project::updated_at>().prefetch(owner, select<User>().only<&User::name>()));
    const auto rows = q.load(db);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].title == "a1");  // the root is not projected: plain fields
    CHECK(rows[3][project][col<&Project::updated_at>] == t0 + std::chrono::hours(1));
    CHECK(rows[3][project][col<&Project::id>] == 11);
    CHECK(rows[3][project][owner][col<&User::name>] == "bob");
}
