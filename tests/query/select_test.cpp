// Typed queries against a real database, on every backend.
#include <algorithm>
#include <vector>

#include "../support/backend.hpp"
#include "../support/hostile_strings.hpp"
#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::Task;
using models::User;

namespace {

std::vector<Task> seed_tasks(const database& db) {
    create_table<Task>(db);
    std::vector<Task> tasks;
    for (std::int64_t i = 1; i <= 20; ++i)
        tasks.push_back(Task{i, i % 3, i % 4 == 0 ? std::nullopt : std::optional<std::int64_t>(i % 5),
                             "task " + std::to_string(i), static_cast<std::int32_t>(i % 7),
                             make_timestamp(2024, 1, 1) + std::chrono::hours(i)});
    insert_all(db, tasks);
    return tasks;
}

std::vector<std::int64_t> ids(const std::vector<Task>& ts) {
    std::vector<std::int64_t> r;
    for (const auto& t : ts) r.push_back(t.id);
    return r;
}

}  // namespace

EAGERLOAD_TEST("all() returns every row with every field") {
    const auto expected = seed_tasks(db);
    auto got = select<Task>().order_by(asc<&Task::id>).all(db);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].id == expected[i].id);
        CHECK(got[i].project_id == expected[i].project_id);
        CHECK(got[i].assignee_id == expected[i].assignee_id);
        CHECK(got[i].title == expected[i].title);
        CHECK(got[i].priority == expected[i].priority);
        CHECK(got[i].created_at == expected[i].created_at);
    }
}

EAGERLOAD_TEST("where filters with comparisons, in, is_null, and, or, not") {
    seed_tasks(db);
    auto q = [&](condition<Task> c) { return ids(select<Task>().where(c).order_by(asc<&Task::id>).all(db)); };
    using V = std::vector<std::int64_t>;
    CHECK(q(col<&Task::id> == 7) == V{7});
    CHECK(q(col<&Task::id> != 7).size() == 19);
    CHECK(q(col<&Task::id> < 3) == V{1, 2});
    CHECK(q(col<&Task::id> <= 2) == V{1, 2});
    CHECK(q(col<&Task::id> > 18) == V{19, 20});
    CHECK(q(col<&Task::id> >= 19) == V{19, 20});
    CHECK(q(col<&Task::id>.in({5, 3, 99})) == V{3, 5});
    CHECK(q(col<&Task::id>.in(std::vector<std::int64_t>{})) == V{});
    CHECK(q(col<&Task::assignee_id>.is_null()) == V{4, 8, 12, 16, 20});
    CHECK(q(col<&Task::assignee_id>.is_not_null()).size() == 15);
    CHECK(q(col<&Task::project_id> == 0 && col<&Task::priority> > 3) == V{6, 12, 18});
    CHECK(q(col<&Task::id> == 1 || col<&Task::id> == 20) == V{1, 20});
    CHECK(q(!(col<&Task::id> > 2)) == V{1, 2});
    CHECK(q(col<&Task::title>.in({"task 2", "task 11", "nope"})) == V{2, 11});
    CHECK(q(col<&Task::created_at> < make_timestamp(2024, 1, 1, 3)) == V{1, 2});
}

EAGERLOAD_TEST("order_by with several keys, limit and offset") {
    seed_tasks(db);
    const auto got = select<Task>().order_by(desc<&Task::priority>, asc<&Task::id>).limit(4).offset(1).all(db);
    // priority = id % 7: 6 for ids 6, 13, 20; then 5 for ids 5, 12, 19.
    CHECK(ids(got) == std::vector<std::int64_t>{13, 20, 5, 12});
    CHECK(ids(select<Task>().order_by(asc<&Task::id>).offset(18).all(db)) == std::vector<std::int64_t>{19, 20});
}

EAGERLOAD_TEST("count() counts filtered and limited queries") {
    seed_tasks(db);
    CHECK(select<Task>().count(db) == 20);
    CHECK(select<Task>().where(col<&Task::project_id> == 1).count(db) == 7);
    CHECK(select<Task>().limit(5).count(db) == 5);
    CHECK(select<Task>().offset(18).count(db) == 2);
    CHECK(select<Task>().where(col<&Task::id> > 100).count(db) == 0);
}

EAGERLOAD_TEST("get and find by key: get names table and key when missing") {
    seed_tasks(db);
    CHECK(get<Task>(db, 5).title == "task 5");
    CHECK(find<Task>(db, 5)->title == "task 5");
    CHECK_FALSE(find<Task>(db, 555).has_value());
    CHECK_THROWS_WITH_AS(get<Task>(db, 555), "eagerload: no row in table \"tasks\" with id = 555", not_found);
}

EAGERLOAD_TEST("first() returns the first row or nothing") {
    seed_tasks(db);
    CHECK(select<Task>().order_by(desc<&Task::id>).first(db)->id == 20);
    CHECK_FALSE(select<Task>().where(col<&Task::id> < 0).first(db).has_value());
}

EAGERLOAD_TEST("hostile strings round-trip as bound values and match exactly") {
    create_table<User>(db);
    const std::vector<std::string> hostile = eagerload_test::hostile_strings();
    std::vector<User> users;
    for (std::size_t i = 0; i < hostile.size(); ++i)
        users.push_back(User{static_cast<std::int64_t>(i + 1), hostile[i], hostile[i], hostile[i]});
    insert_all(db, users);
    insert(db, User{100, hostile[3], hostile[4], std::nullopt});
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        CAPTURE(hostile[i]);
        auto got = select<User>().where(col<&User::name> == hostile[i]).order_by(asc<&User::id>).all(db);
        REQUIRE(!got.empty());
        CHECK(got[0].id == static_cast<std::int64_t>(i + 1));
        CHECK(got[0].email == hostile[i]);
        CHECK(got[0].avatar_url == hostile[i]);
        CHECK(select<User>().where(col<&User::email>.in({hostile[i]})).count(db) >= 1);
    }
    CHECK(select<User>().count(db) == static_cast<long long>(hostile.size() + 1));
    CHECK(get<User>(db, 100).avatar_url == std::nullopt);
}

EAGERLOAD_TEST("result sizes around fetch batch boundaries all arrive whole") {
    create_table<User>(db);
    std::vector<User> users;
    for (std::int64_t i = 1; i <= 2100; ++i) users.push_back(User{i, "u", "e", {}});
    insert_all(db, users);
    // Unlimited queries fetch 256 rows at a time, up to 1024; limited ones size batches by the limit.
    for (std::int64_t n : {0, 1, 2, 3, 255, 256, 257, 1023, 1024, 1025, 2047, 2048, 2049}) {
        CAPTURE(n);
        const auto q = select<User>().where(col<&User::id> <= n).order_by(asc<&User::id>);
        const auto rows = q.all(db);
        REQUIRE(rows.size() == static_cast<std::size_t>(std::min<std::int64_t>(n, 2100)));
        if (!rows.empty()) CHECK(rows.back().id == n);
        CHECK(q.limit(n).all(db).size() == rows.size());
        CHECK(q.limit(n + 1).all(db).size() == rows.size());
    }
    for (long long limit : {1, 2, 3}) CHECK(select<User>().limit(limit).all(db).size() == static_cast<std::size_t>(limit));
    CHECK(get<User>(db, 2100).id == 2100);
}
