// Statement budgets (eagerload/testing.hpp): exact, at most, the plan's statements,
// none; their failure paths (doctest::should_fail) and their reports.
#include <set>
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/dashboard_query.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/no_statements.hpp"
#include "eagerload/testing.hpp"

using namespace eagerload;
using namespace dash;

namespace {
std::int64_t seeded(const database& db) {
    create_schema(db);
    insert(db, generate(7, sizes{}));
    return busiest_user(db, sizes{}.users);
}
}  // namespace

EAGERLOAD_TEST("EAGERLOAD_CHECK_PLAN passes when a load runs exactly its plan") {
    const std::int64_t user = seeded(db);
    const auto q = dashboard_query(user);
    const plan p = q.plan(db.sql_dialect());
    REQUIRE(p.size() == 4);
    EAGERLOAD_CHECK_PLAN(db, p) { CHECK_FALSE(q.load(db).empty()); }
    EAGERLOAD_CHECK_AT_MOST(db, 4) { q.load(db); }
    EAGERLOAD_CHECK_STATEMENTS(db, 4) { q.load(db); }
}

EAGERLOAD_TEST("a budget counts the statements of every thread and pooled session, and reports their threads") {
    const std::int64_t user = seeded(db);
    auto pooled = ctx.open(3);
    const auto q = dashboard_query(user);
    testing::statement_check check(pooled, 3, __FILE__, __LINE__, false, testing::budget_kind::at_most);
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) threads.emplace_back([&] { q.load(pooled); });
    for (auto& th : threads) th.join();
    const std::string msg = check.verdict();
    CHECK(msg.starts_with("expected at most 3 statement(s), 12 ran:\n1: SELECT "));
    CHECK(msg.find("\n12: SELECT ") != std::string::npos);
    for (const char* t : {"thread", " ms, ", " rows, ", "connection "}) CHECK(msg.find(t) != std::string::npos);
    // Three different thread numbers appear.
    std::set<std::string> threads_seen;
    for (std::size_t at = msg.find(", thread "); at != std::string::npos; at = msg.find(", thread ", at + 1))
        threads_seen.insert(msg.substr(at, msg.find('\n', at) - at));
    CHECK(threads_seen.size() == 3);
}

EAGERLOAD_TEST("no_statements refuses a statement before it runs, naming it") {
    create_schema(db);
    query_counter counter(db);
    {
        no_statements guard(db);
        try {
            (void)select<User>().all(db);
            FAIL("not refused");
        } catch (const statement_forbidden& e) {
            CHECK(e.sql() == select<User>().sql(db.sql_dialect()));
            CHECK(std::string(e.what()).find("no_statements") != std::string::npos);
        }
        CHECK(guard.attempts().size() == 1);
    }
    CHECK(counter.count() == 0);  // it never ran
    CHECK(select<User>().all(db).empty());  // outside the scope: runs
    EAGERLOAD_CHECK_NO_STATEMENTS(db) {}
}

EAGERLOAD_TEST("no_statements inside a transaction leaves the transaction usable") {
    create_schema(db);
    transaction tx(db);
    {
        no_statements guard(db);
        CHECK_THROWS_AS(select<User>().all(db), statement_forbidden);
    }
    insert(db, User{1, "a", "a@x", {}});
    tx.commit();  // the refusal is not a failed statement: the transaction commits
    CHECK(get<User>(db, 1).name == "a");
}

// The failure paths: each passes only if the check inside fails.
TEST_CASE("EAGERLOAD_CHECK_AT_MOST fails when more ran" * doctest::should_fail()) {
    auto db = database::open("sqlite::memory:");
    create_schema(db);
    EAGERLOAD_CHECK_AT_MOST(db, 1) {
        (void)select<User>().all(db);
        (void)select<User>().all(db);
    }
}

TEST_CASE("EAGERLOAD_CHECK_PLAN fails when the block runs other statements than the plan" * doctest::should_fail()) {
    auto db = database::open("sqlite::memory:");
    create_schema(db);
    const auto q = dashboard_query(1);
    EAGERLOAD_CHECK_PLAN(db, q.plan(db.sql_dialect())) {
        for (int i = 0; i < 4; ++i) (void)select<Task>().where(col<&Task::project_id> == i).all(db);
    }
}

TEST_CASE("EAGERLOAD_CHECK_NO_STATEMENTS fails even when the block swallowed the refusal" * doctest::should_fail()) {
    auto db = database::open("sqlite::memory:");
    create_schema(db);
    EAGERLOAD_CHECK_NO_STATEMENTS(db) {
        try {
            (void)select<User>().all(db);
        } catch (const statement_forbidden&) {
        }
    }
}

TEST_CASE("a plan budget's report: what ran, which statement differs, and the plan") {
    auto db = database::open("sqlite::memory:");
    create_schema(db);
    const auto q = dashboard_query(1);
    const plan p = q.plan(db.sql_dialect());
    testing::statement_check check(db, p, __FILE__, __LINE__, false);
    (void)select<User>().all(db);
    const std::string msg = check.verdict();
    CHECK(msg.starts_with("expected the plan's 4 statement(s), 1 ran; statement 1 is not the plan's:\n1: SELECT "));
    CHECK(msg.find("the plan:\n1: " + p.statements[0] + "\n2: ") != std::string::npos);
}
