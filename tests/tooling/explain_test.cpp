// EXPLAIN per level: each statement of a plan under the database's EXPLAIN, read into
// table scans; a child level without an index on its key column scans its table fully.
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/explain.hpp"

using namespace eagerload;
using models::Task;
using models::User;

namespace {
inline constexpr auto assigned = has_many<&Task::assignee_id, &User::id>;

void seed(const database& db) {
    create_table<User>(db);
    create_table<Task>(db);
    std::vector<User> users;
    std::vector<Task> tasks;
    for (int u = 1; u <= 50; ++u) users.push_back({u, std::to_string(u), "u@x", {}});
    for (int t = 1; t <= 500; ++t) tasks.push_back({t, 1, 1 + t % 50, "t", t % 5, make_timestamp(2024, 1, 1)});
    insert_all(db, users);
    insert_all(db, tasks);
}
}  // namespace

EAGERLOAD_TEST("explain: one report per statement of the plan, child levels with sample keys") {
    seed(db);
    const auto q = select<User>().where(col<&User::id> <= 20).prefetch(assigned, select<Task>().order_by(desc<&Task::priority>));
    const plan p = q.plan(db.sql_dialect());
    query_counter counter(db);
    const std::vector<level_explain> levels = explain(q, db);
    CHECK(counter.count() == 0);  // EXPLAIN is not an application statement
    REQUIRE(levels.size() == p.size());
    for (std::size_t i = 0; i < levels.size(); ++i) {
        CHECK(levels[i].level == i + 1);
        CHECK(levels[i].sql == p.statements[i]);
        CHECK_FALSE(levels[i].raw.empty());
        CHECK_FALSE(levels[i].scans.empty());
    }
    CHECK(levels[0].keys.empty());
    CHECK(levels[1].keys == "10 sample keys 1..10");
    // No index on tasks.assignee_id: the child level reads all of tasks.
    bool tasks_full = false;
    for (const table_scan& s : levels[1].scans) tasks_full |= s.full && s.index.empty();
    CHECK(tasks_full);
    CHECK(levels[1].full_scan());
    const std::string text = to_string(levels);
    CHECK(text.starts_with("level 1: "));
    CHECK(text.find("level 2 (explained with 10 sample keys 1..10): FULL SCAN") != std::string::npos);
}

TEST_CASE("explain on SQLite: a child level with an index on its key column searches through it") {
    auto db = database::open("sqlite::memory:");
    seed(db);
    detail::execute(db, "CREATE INDEX tasks_assignee ON tasks (assignee_id)");
    const auto levels = explain(select<User>().prefetch(assigned), db);
    REQUIRE(levels.size() == 2);
    REQUIRE(levels[1].scans.size() == 1);
    CHECK(levels[1].scans[0].table == "tasks");
    CHECK_FALSE(levels[1].scans[0].full);
    CHECK(levels[1].scans[0].index == "tasks_assignee");
    CHECK_FALSE(levels[1].full_scan());
    CHECK_FALSE(levels[1].estimated_rows);  // SQLite gives no estimate
}
