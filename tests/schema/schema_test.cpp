// CREATE TABLE from declarations, and bulk insert in few statements.
#include <fmt/format.h>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::Task;
using models::User;

TEST_CASE("CREATE TABLE text per dialect: types, NOT NULL for non-optional, primary key") {
    const auto& t = detail::table_of<Task>();
    CHECK(detail::render_create_table(t, dialect::postgresql) ==
          R"(CREATE TABLE "tasks" ("id" BIGINT NOT NULL PRIMARY KEY, "project_id" BIGINT NOT NULL, )"
          R"("assignee_id" BIGINT, "title" TEXT NOT NULL, "priority" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL))");
    CHECK(detail::render_create_table(t, dialect::sqlite) ==
          R"(CREATE TABLE "tasks" ("id" BIGINT NOT NULL PRIMARY KEY, "project_id" BIGINT NOT NULL, )"
          R"("assignee_id" BIGINT, "title" TEXT NOT NULL, "priority" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL))");
}

EAGERLOAD_TEST("created tables enforce NOT NULL and the primary key") {
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    CHECK_THROWS_AS(insert(db, User{1, "dup", "d@x", {}}), database_error);
    CHECK_THROWS_AS(detail::execute(db, "INSERT INTO users (id, name, email) VALUES (2, NULL, 'x')"), database_error);
    drop_table<User>(db);
    drop_table<User>(db);  // IF EXISTS
    CHECK_THROWS_AS(select<User>().all(db), database_error);
}

EAGERLOAD_TEST("insert_all loads 100,000 rows in two statements, all intact") {
    create_table<User>(db);
    std::vector<User> users;
    users.reserve(100000);
    for (std::int64_t i = 1; i <= 100000; ++i)
        users.push_back(User{i, fmt::format("user {}", i), fmt::format("u{}@example.com", i),
                             i % 10 == 0 ? std::nullopt : std::optional<std::string>(fmt::format("https://a/{}", i))});
    {
        query_counter counter(db);
        insert_all(db, users);
        CHECK(counter.count() == 2);  // 50,000 rows per statement
    }
    CHECK(select<User>().count(db) == 100000);
    CHECK(select<User>().where(col<&User::avatar_url>.is_null()).count(db) == 10000);
    const auto u = get<User>(db, 77777);
    CHECK(u.name == "user 77777");
    CHECK(u.email == "u77777@example.com");
    CHECK(u.avatar_url == "https://a/77777");
}

EAGERLOAD_TEST("insert_all of nothing runs nothing") {
    create_table<User>(db);
    query_counter counter(db);
    insert_all(db, std::vector<User>{});
    CHECK(counter.count() == 0);
}

EAGERLOAD_TEST("create_index and create_unique_index build real indexes") {
    create_table<Task>(db);
    create_index(db, "tasks_by_project", asc<&Task::project_id>, desc<&Task::priority>, desc<&Task::created_at>);
    create_unique_index(db, "tasks_unique_title", asc<&Task::project_id>, asc<&Task::title>);
    CHECK(detail::render_create_index(detail::table_of<Task>(), dialect::postgresql, "i", true, {{"project_id", false}, {"priority", true}}) ==
          R"(CREATE UNIQUE INDEX "i" ON "tasks" ("project_id", "priority" DESC))");
    const auto t = make_timestamp(2024, 1, 1);
    insert(db, Task{1, 1, {}, "same", 1, t});
    CHECK_THROWS_AS(insert(db, Task{2, 1, {}, "same", 1, t}), database_error);
    insert(db, Task{3, 2, {}, "same", 1, t});
    CHECK(select<Task>().count(db) == 2);
}
