// The SQL text a query generates, checked per dialect (no database needed).
#include <doctest/doctest.h>

#include <vector>

#include "../support/models.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::Task;
using models::User;

TEST_CASE("select renders quoted identifiers, bound values, order and limit") {
    const auto q = select<Task>()
                       .where(col<&Task::priority> >= 3 && col<&Task::title> != "x")
                       .order_by(desc<&Task::priority>, asc<&Task::id>)
                       .limit(10)
                       .offset(20);
    CHECK(q.sql(dialect::postgresql) ==
          R"(SELECT "tasks"."id", "tasks"."project_id", "tasks"."assignee_id", "tasks"."title", "tasks"."priority", )"
          R"("tasks"."created_at" FROM "tasks" WHERE ("tasks"."priority" >= :p1 AND "tasks"."title" <> :p2) )"
          R"(ORDER BY "tasks"."priority" DESC, "tasks"."id" LIMIT :p3 OFFSET :p4)");
    const auto ps = q.parameters(dialect::postgresql);
    REQUIRE(ps.size() == 4);
    CHECK(ps[0].i == 3);
    CHECK(ps[1].s == "x");
    CHECK(ps[2].i == 10);
    CHECK(ps[3].i == 20);
}

TEST_CASE("offset without limit is valid SQL on SQLite and MariaDB") {
    CHECK(select<User>().offset(5).sql(dialect::sqlite).ends_with(R"(FROM "users" LIMIT -1 OFFSET :p1)"));
    CHECK(select<User>().offset(5).sql(dialect::postgresql).ends_with(R"(FROM "users" OFFSET :p1)"));
    CHECK(select<User>().offset(5).sql(dialect::mariadb).ends_with("FROM `users` LIMIT 18446744073709551615 OFFSET :p1"));
}

TEST_CASE("in() binds the whole list as ONE parameter, per dialect") {
    const std::vector<std::int64_t> ids{3, 1, 2};
    const auto q = select<User>().where(col<&User::id>.in(ids));
    CHECK(q.sql(dialect::postgresql).ends_with(R"(WHERE "users"."id" = ANY(CAST(:p1 AS bigint[])))"));
    CHECK(q.sql(dialect::sqlite).ends_with(R"(WHERE "users"."id" IN (SELECT value FROM json_each(:p1)))"));
    CHECK(q.parameters(dialect::postgresql).at(0).s == "{3,1,2}");
    CHECK(q.parameters(dialect::sqlite).at(0).s == "[3,1,2]");
    CHECK(q.sql(dialect::mariadb).ends_with(
        "WHERE `users`.`id` IN (SELECT `v` FROM JSON_TABLE(:p1, '$[*]' COLUMNS (`v` BIGINT PATH '$')) AS `el_list`)"));
    CHECK(q.parameters(dialect::mariadb).at(0).s == "[3,1,2]");

    const auto names = select<User>().where(col<&User::name>.in({"a\"b", "c\\d", "é"}));
    CHECK(names.parameters(dialect::postgresql).at(0).s == R"({"a\"b","c\\d","é"})");
    CHECK(names.parameters(dialect::sqlite).at(0).s == R"(["a\"b","c\\d","é"])");
    CHECK(names.parameters(dialect::mariadb).at(0).s == R"(["a\"b","c\\d","é"])");
    // Text: the values are unquoted from JSON, which compares them in the column's collation.
    CHECK(names.sql(dialect::mariadb).ends_with("WHERE `users`.`name` IN (SELECT JSON_UNQUOTE(`v`) FROM "
                                                "JSON_TABLE(:p1, '$[*]' COLUMNS (`v` JSON PATH '$')) AS `el_list`)"));
}

TEST_CASE("MariaDB quotes identifiers with backticks") {
    const auto q = select<Task>().where(col<&Task::priority> >= 3).order_by(desc<&Task::id>).limit(2);
    CHECK(q.sql(dialect::mariadb) ==
          "SELECT `tasks`.`id`, `tasks`.`project_id`, `tasks`.`assignee_id`, `tasks`.`title`, `tasks`.`priority`, "
          "`tasks`.`created_at` FROM `tasks` WHERE `tasks`.`priority` >= :p1 ORDER BY `tasks`.`id` DESC LIMIT :p2");
}

TEST_CASE("is_null, not, or render with explicit grouping") {
    const auto q = select<Task>().where(!(col<&Task::assignee_id>.is_null() || col<&Task::priority> < 2));
    CHECK(q.sql(dialect::sqlite).ends_with(
        R"(WHERE NOT (("tasks"."assignee_id" IS NULL OR "tasks"."priority" < :p1)))"));
}

TEST_CASE("a second where() is ANDed with the first") {
    const auto q = select<Task>().where(col<&Task::priority> == 1).where(col<&Task::project_id> == 2);
    CHECK(q.sql(dialect::sqlite).ends_with(R"(WHERE ("tasks"."priority" = :p1 AND "tasks"."project_id" = :p2))"));
}

TEST_CASE("negative limit or offset is rejected with the table named") {
    CHECK_THROWS_WITH_AS(select<Task>().limit(-1), doctest::Contains("limit(-1) on table tasks"),
                         std::invalid_argument);
    CHECK_THROWS_AS(select<Task>().offset(-3), std::invalid_argument);
}
