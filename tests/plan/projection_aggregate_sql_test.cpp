// Projections and aggregates in the plan's SQL, checked as text (no database needed):
// a projected level selects exactly its columns (plus the keys its relations need), and
// each aggregate is one correlated subquery in the SELECT list of its level's statement.
#include <doctest/doctest.h>

#include "../support/dashboard.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

TEST_CASE("a projected root selects exactly its columns and its key") {
    const auto q = select<Task>().only<&Task::title, &Task::priority>().where(col<&Task::project_id> == 3);
    CHECK(q.sql(dialect::postgresql) ==
          R"(SELECT "tasks"."id", "tasks"."title", "tasks"."priority" FROM "tasks" WHERE "tasks"."project_id" = :p1)");
    CHECK(q.sql(dialect::mariadb) == "SELECT `tasks`.`id`, `tasks`.`title`, `tasks`.`priority` FROM `tasks` WHERE "
                                     "`tasks`.`project_id` = :p1");
    // Named twice, or the key named: listed once, in table order.
    CHECK(select<Task>().only<&Task::title, &Task::id, &Task::title>().sql(dialect::sqlite) ==
          R"(SELECT "tasks"."id", "tasks"."title" FROM "tasks")");
}

TEST_CASE("keys that relations need are loaded whether or not the projection names them") {
    const auto q = select<Task>()
                       .only<&Task::title>()
                       .join(assignee, select<User>().only<&User::name>())
                       .prefetch(comments, select<Comment>().only<&Comment::text>().join(author, select<User>().only<&User::email>()));
    const auto p = q.plan(dialect::postgresql).statements;
    REQUIRE(p.size() == 2);
    // The root: its key, title, the FK the join reads (assignee_id); the joined user's key and name.
    CHECK(p[0] == R"(SELECT "tasks"."id", "tasks"."assignee_id", "tasks"."title", "j1"."id", "j1"."name" FROM "tasks" )"
                  R"(LEFT JOIN "users" AS "j1" ON "j1"."id" = "tasks"."assignee_id")");
    // The prefetched level: its key, the key it is matched by (task_id), the FK of its join
    // (author_id), text; the author's key and email.
    CHECK(p[1] == R"(SELECT "comments"."id", "comments"."task_id", "comments"."author_id", "comments"."text", "j1"."id", )"
                  R"("j1"."email" FROM "comments" LEFT JOIN "users" AS "j1" ON "j1"."id" = "comments"."author_id" )"
                  R"(WHERE "comments"."task_id" = ANY(CAST(:p1 AS bigint[])) ORDER BY "comments"."id")");
}

TEST_CASE("a projected many_to_many level reads the parent key from the join table, not from its own columns") {
    const auto p = select<Project>().only<&Project::name>().prefetch(member_users, select<User>().only<&User::name>()).plan(dialect::sqlite).statements;
    REQUIRE(p.size() == 2);
    CHECK(p[0] == R"(SELECT "projects"."id", "projects"."name" FROM "projects")");
    CHECK(p[1] == R"(SELECT "el_through"."project_id", "users"."id", "users"."name" FROM "project_members" AS "el_through" )"
                  R"(JOIN "users" ON "users"."id" = "el_through"."user_id" WHERE "el_through"."project_id" IN )"
                  R"((SELECT value FROM json_each(:p1)) ORDER BY "users"."id")");
}

TEST_CASE("each aggregate is one correlated subquery in its level's SELECT list") {
    const auto q = select<Project>()
                       .only<&Project::name>()
                       .aggregate(agg::count(tasks))
                       .aggregate(agg::sum<&Task::priority>(tasks, col<&Task::priority> > 1))
                       .aggregate(agg::exists(members))
                       .aggregate(agg::max<&Task::created_at>(tasks));
    static_assert(decltype(q)::statements == 1);
    CHECK(q.sql(dialect::postgresql) ==
          R"(SELECT "projects"."id", "projects"."name", )"
          R"((SELECT count(*) FROM "tasks" AS "x1" WHERE "x1"."project_id" = "projects"."id"), )"
          R"(COALESCE((SELECT sum("x1"."priority") FROM "tasks" AS "x1" WHERE "x1"."project_id" = "projects"."id" AND )"
          R"("x1"."priority" > :p1), 0), )"
          R"(CASE WHEN EXISTS (SELECT 1 FROM "project_members" AS "x1" WHERE "x1"."project_id" = "projects"."id") THEN 1 ELSE 0 END, )"
          R"((SELECT max("x1"."created_at") FROM "tasks" AS "x1" WHERE "x1"."project_id" = "projects"."id") FROM "projects")");
    const auto ps = q.parameters(dialect::postgresql);
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].i == 1);
}

TEST_CASE("aggregates on a prefetched, per-parent-limited level and on a joined level, placeholders in text order") {
    const auto q = select<Project>()
                       .join(owner, select<User>().only<&User::name>().aggregate(agg::count(owned_projects)))
                       .prefetch(tasks, select<Task>()
                                            .only<&Task::title>()
                                            .order_by(desc<&Task::priority>)
                                            .limit_per_parent(2)
                                            .aggregate(agg::count(comments, col<&Comment::author_id> == 4)));
    static_assert(decltype(q)::statements == 2);
    const auto p = q.plan(dialect::sqlite).statements;
    REQUIRE(p.size() == 2);
    CHECK(p[0] == R"(SELECT "projects"."id", "projects"."name", "projects"."owner_id", "projects"."updated_at", "j1"."id", )"
                  R"("j1"."name", (SELECT count(*) FROM "projects" AS "x1" WHERE "x1"."owner_id" = "j1"."id") FROM "projects" )"
                  R"(LEFT JOIN "users" AS "j1" ON "j1"."id" = "projects"."owner_id")");
    // After ranking: counted for the rows kept only; the filter's placeholder comes first, as in the text.
    CHECK(p[1] == R"(SELECT "tasks"."id", "tasks"."project_id", "tasks"."title", (SELECT count(*) FROM "comments" AS "x1" )"
                  R"(WHERE "x1"."task_id" = "tasks"."id" AND "x1"."author_id" = :p1) FROM (SELECT "tasks".*, ROW_NUMBER() OVER )"
                  R"((PARTITION BY "tasks"."project_id" ORDER BY "tasks"."priority" DESC, "tasks"."id") AS "el_rn" FROM "tasks" )"
                  R"(WHERE "tasks"."project_id" IN (SELECT value FROM json_each(:p2))) AS "tasks" WHERE "tasks"."el_rn" > :p3 )"
                  R"(AND "tasks"."el_rn" <= :p4 ORDER BY "tasks"."el_rn")");
}

TEST_CASE("an aggregate through a many_to_many joins the join table to the target inside its subquery") {
    const auto q = select<Project>().only<&Project::name>().aggregate(agg::min<&User::name>(member_users, col<&User::id> != 1));
    CHECK(q.sql(dialect::mariadb) ==
          "SELECT `projects`.`id`, `projects`.`name`, (SELECT min(`y1`.`name`) FROM `project_members` AS `x1` JOIN `users` "
          "AS `y1` ON `y1`.`id` = `x1`.`user_id` WHERE `x1`.`project_id` = `projects`.`id` AND `y1`.`id` <> :p1) FROM "
          "`projects`");
}
