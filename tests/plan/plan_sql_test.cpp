// The plan of a load: its statements' SQL, checked as text (no database needed).
#include <doctest/doctest.h>

#include "../support/dashboard.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

namespace {
auto sample_query() {
    return select<Project>()
        .where(exists(members, col<&ProjectMember::user_id> == 7))
        .order_by(desc<&Project::updated_at>, desc<&Project::id>)
        .limit(20)
        .join(owner)
        .prefetch(tasks, select<Task>()
                             .order_by(desc<&Task::priority>)
                             .limit_per_parent(10)
                             .offset_per_parent(2)
                             .join(assignee)
                             .join(project, select<Project>().join(owner)))
        .prefetch(member_users, select<User>().where(col<&User::name> != "x").limit_per_parent(3));
}
}  // namespace

TEST_CASE("the statement count is known at compile time: 1 + prefetched levels") {
    static_assert(decltype(sample_query())::statements == 3);
    static_assert(decltype(select<Project>().join(owner))::statements == 1);
    static_assert(decltype(select<Task>().join(project, select<Project>().prefetch(members)))::statements == 2);
    CHECK(sample_query().plan(dialect::sqlite).size() == 3);
}

TEST_CASE("root statement: joins get distinct aliases, EXISTS filters through a relation") {
    const auto p = sample_query().plan(dialect::postgresql);
    REQUIRE(p.size() == 3);
    CHECK(p.statements[0] ==
          R"(SELECT "projects"."id", "projects"."name", "projects"."owner_id", "projects"."updated_at", "j1"."id", "j1"."na)"
          R"(me", "j1"."email", "j1"."avatar_url" FROM "projects" LEFT JOIN "users" AS "j1" ON "j1"."id" = "projects"."owne)"
          R"(r_id" WHERE EXISTS (SELECT 1 FROM "project_members" AS "x1" WHERE "x1"."project_id" = "projects"."id" AND "x1")"
          R"(."user_id" = :p1) ORDER BY "projects"."updated_at" DESC, "projects"."id" DESC LIMIT :p2)");
}

TEST_CASE("prefetched level with per-parent limit: ROW_NUMBER in one statement, nested joins aliased j1..j3") {
    const auto p = sample_query().plan(dialect::postgresql);
    CHECK(p.statements[1] ==
          R"(SELECT "tasks"."id", "tasks"."project_id", "tasks"."assignee_id", "tasks"."title", "tasks"."priority", "tasks")"
          R"(."created_at", "j1"."id", "j1"."name", "j1"."email", "j1"."avatar_url", "j2"."id", "j2"."name", "j2"."owner_id)"
          R"(", "j2"."updated_at", "j3"."id", "j3"."name", "j3"."email", "j3"."avatar_url" FROM (SELECT "tasks".*, ROW_NUMB)"
          R"(ER() OVER (PARTITION BY "tasks"."project_id" ORDER BY "tasks"."priority" DESC, "tasks"."id") AS "el_rn" FROM ")"
          R"(tasks" WHERE "tasks"."project_id" = ANY(CAST(:p1 AS bigint[]))) AS "tasks" LEFT JOIN "users" AS "j1" ON "j1".")"
          R"(id" = "tasks"."assignee_id" LEFT JOIN "projects" AS "j2" ON "j2"."id" = "tasks"."project_id" LEFT JOIN "users")"
          R"( AS "j3" ON "j3"."id" = "j2"."owner_id" WHERE "tasks"."el_rn" > :p2 AND "tasks"."el_rn" <= :p3 ORDER BY "tasks)"
          R"("."el_rn")");
}

TEST_CASE("many_to_many level: through the join table, with its own filter and per-parent limit") {
    const auto p = sample_query().plan(dialect::postgresql);
    CHECK(p.statements[2] ==
          R"(SELECT "users"."el_owner", "users"."id", "users"."name", "users"."email", "users"."avatar_url" FROM (SELECT "u)"
          R"(sers".*, "el_through"."project_id" AS "el_owner", ROW_NUMBER() OVER (PARTITION BY "el_through"."project_id" OR)"
          R"(DER BY "users"."id") AS "el_rn" FROM "project_members" AS "el_through" JOIN "users" ON "users"."id" = "el_thro)"
          R"(ugh"."user_id" WHERE "el_through"."project_id" = ANY(CAST(:p1 AS bigint[])) AND "users"."name" <> :p2) AS "use)"
          R"(rs" WHERE "users"."el_rn" > :p3 AND "users"."el_rn" <= :p4 ORDER BY "users"."el_rn")");
}

TEST_CASE("SQLite plans differ only in how the key list is bound") {
    const auto pg = sample_query().plan(dialect::postgresql);
    const auto lite = sample_query().plan(dialect::sqlite);
    CHECK(lite.statements[0] == pg.statements[0]);
    std::string expected = pg.statements[1];
    const std::string any = "\"tasks\".\"project_id\" = ANY(CAST(:p1 AS bigint[]))";
    expected.replace(expected.find(any), any.size(), "\"tasks\".\"project_id\" IN (SELECT value FROM json_each(:p1))");
    CHECK(lite.statements[1] == expected);
}

TEST_CASE("self-referential EXISTS aliases the inner table") {
    const auto q = select<Employee>().where(exists(reports, col<&Employee::name> == "x") && !exists(boss));
    CHECK(q.sql(dialect::sqlite) ==
          R"(SELECT "employees"."id", "employees"."name", "employees"."boss_id" FROM "employees" WHERE ()"
          R"(EXISTS (SELECT 1 FROM "employees" AS "x1" WHERE "x1"."boss_id" = "employees"."id" AND "x1"."name" = :p1))"
          R"( AND NOT (EXISTS (SELECT 1 FROM "employees" AS "x1" WHERE "x1"."id" = "employees"."boss_id"))))");
}

TEST_CASE("many_to_many EXISTS joins the target through the join table") {
    const auto q = select<User>().where(exists(user_projects, col<&Project::name> == "p"));
    CHECK(q.sql(dialect::postgresql).ends_with(
        R"(WHERE EXISTS (SELECT 1 FROM "project_members" AS "x1" JOIN "projects" AS "y1" ON "y1"."id" = "x1"."project_id")"
        R"( WHERE "x1"."user_id" = "users"."id" AND "y1"."name" = :p1))"));
}

TEST_CASE("create_table adds FOREIGN KEY constraints for belongs_to relations") {
    CHECK(detail::render_create_table(detail::table_of<Task>(), dialect::postgresql,
                                      {{"project_id", &detail::table_of<Project>(), "id"}})
              .ends_with(R"(, FOREIGN KEY ("project_id") REFERENCES "projects" ("id")))"));
}
