// The query counter counts executions (not prepares), records SQL, nests, and is
// thread-safe.
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/testing.hpp"

using namespace eagerload;
using models::User;

EAGERLOAD_TEST("the counter counts each execution and records its SQL") {
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    query_counter counter(db);
    CHECK(counter.count() == 0);
    const auto q = select<User>().where(col<&User::id> == 1);
    for (int i = 0; i < 3; ++i) q.all(db);  // the same statement three times: three executions
    q.count(db);
    REQUIRE(counter.count() == 4);
    const auto sql = counter.statements();
    CHECK(sql[0] == q.sql(db.sql_dialect()));
    CHECK(sql[2] == sql[0]);
    CHECK(sql[3].starts_with("SELECT count(*) FROM " + ctx.quoted("users")));
    CHECK(counter.report().starts_with("1: SELECT " + ctx.quoted("users") + "." + ctx.quoted("id")));
    counter.reset();
    CHECK(counter.count() == 0);
}

EAGERLOAD_TEST("counters nest and stop counting when they go out of scope") {
    create_table<User>(db);
    query_counter outer(db);
    select<User>().all(db);
    {
        query_counter inner(db);
        select<User>().all(db);
        select<User>().count(db);
        CHECK(inner.count() == 2);
    }
    select<User>().all(db);
    CHECK(outer.count() == 4);
}

EAGERLOAD_TEST("transaction control is not counted: statements inside a transaction are") {
    create_table<User>(db);
    query_counter counter(db);
    {
        transaction tx(db);
        insert(db, User{1, "a", "a@x", {}});
        select<User>().all(db);
        tx.commit();
    }
    CHECK(counter.count() == 2);
}

EAGERLOAD_TEST("the counter is thread-safe across pooled sessions") {
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    auto pooled = ctx.open(4);
    query_counter counter(pooled);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) select<User>().where(col<&User::id> == 1).all(pooled);
        });
    for (auto& th : threads) th.join();
    CHECK(counter.count() == 100);
}

EAGERLOAD_TEST("EAGERLOAD_CHECK_STATEMENTS passes on the exact count") {
    create_table<User>(db);
    EAGERLOAD_CHECK_STATEMENTS(db, 2) {
        select<User>().all(db);
        select<User>().count(db);
    }
    EAGERLOAD_REQUIRE_STATEMENTS(db, 0) {}
}

// The failure path of the doctest helpers: these cases pass only if the check inside
// fails (doctest::should_fail), so a helper that never fails cannot pass them.
TEST_CASE("EAGERLOAD_CHECK_STATEMENTS fails when more statements ran" * doctest::should_fail()) {
    auto db = database::open("sqlite::memory:");
    create_table<User>(db);
    EAGERLOAD_CHECK_STATEMENTS(db, 1) {
        (void)select<User>().all(db);
        (void)select<User>().all(db);
    }
}

TEST_CASE("EAGERLOAD_REQUIRE_STATEMENTS fails, and stops the case, when fewer ran" * doctest::should_fail()) {
    auto db = database::open("sqlite::memory:");
    EAGERLOAD_REQUIRE_STATEMENTS(db, 1) {}
    FAIL_CHECK("not reached: REQUIRE stops the test case");  // would be a second failure: still should_fail
}

TEST_CASE("a failed statement check reports the counts and every statement, numbered") {
    auto db = database::open("sqlite::memory:");
    create_table<User>(db);
    query_counter counter(db);
    (void)select<User>().where(col<&User::id> == 1).all(db);
    (void)select<User>().count(db);
    const std::string msg = testing::statement_check::failure_message(1, counter);
    CHECK(msg.starts_with("expected 1 statement(s), 2 ran:\n1: SELECT "));
    CHECK(msg.find("\n2: SELECT count(*) FROM \"users\"") != std::string::npos);
}

EAGERLOAD_TEST("a this_thread counter counts only its own thread's statements") {
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    auto pooled = ctx.open(3);
    query_counter everyone(pooled);
    std::vector<std::size_t> counted(2);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            query_counter mine(pooled, counter_scope::this_thread);
            for (int i = 0; i < 10 * (t + 1); ++i) get<User>(pooled, 1);
            counted[static_cast<std::size_t>(t)] = mine.count();
        });
    query_counter main_thread(pooled, counter_scope::this_thread);
    select<User>().count(pooled);
    for (auto& th : threads) th.join();
    CHECK(counted[0] == 10);
    CHECK(counted[1] == 20);
    CHECK(main_thread.count() == 1);
    CHECK(everyone.count() == 31);
    {
        query_counter outer(pooled, counter_scope::this_thread);
        query_counter inner(pooled, counter_scope::this_thread);
        get<User>(pooled, 1);
        CHECK(inner.count() == 1);
        CHECK(outer.count() == 1);
    }
}
