// The dashboard's schema is shared with other tools: a database they created and
// filled (SQLite timestamps as text "YYYY-MM-DD HH:MM:SS"; MariaDB: BIGINT keys, TEXT,
// DATETIME timestamps, utf8mb4) loads with every strategy, into the exact JSON the
// product specifies.
#include <string>

#include "../support/backend.hpp"
#include "dashboard.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/testing.hpp"

using namespace dashboard;

namespace {

// The DDL as the issue states it, written by hand, as another tool would. Foreign keys
// name the referenced column: MariaDB requires it.
// Timestamps get the type the database's own tools would use (MariaDB: DATETIME).
void create_by_hand(const eagerload::database& db, const std::string& ts) {
    using eagerload::detail::execute;
    execute(db, "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, avatar_url text NULL)");
    execute(db, "CREATE TABLE projects (id bigint PRIMARY KEY, name text NOT NULL, owner_id bigint NOT NULL REFERENCES users (id), "
                "updated_at " + ts + " NOT NULL)");
    execute(db, "CREATE TABLE project_members (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects (id), "
                "user_id bigint NOT NULL REFERENCES users (id), UNIQUE (project_id, user_id))");
    execute(db, "CREATE TABLE tasks (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects (id), "
                "assignee_id bigint NULL REFERENCES users (id), title text NOT NULL, priority int NOT NULL, "
                "created_at " + ts + " NOT NULL)");
    execute(db, "CREATE TABLE comments (id bigint PRIMARY KEY, task_id bigint NOT NULL REFERENCES tasks (id), "
                "author_id bigint NOT NULL REFERENCES users (id), text text NOT NULL, created_at " + ts + " NOT NULL)");
    execute(db, "CREATE INDEX pm_user ON project_members (user_id, project_id)");
    execute(db, "CREATE INDEX t_proj ON tasks (project_id, priority DESC, created_at DESC)");
    execute(db, "CREATE INDEX c_task ON comments (task_id, created_at DESC)");
    execute(db, "INSERT INTO users VALUES (1, 'Zoë', 'z@x', NULL), (2, 'Bob \"B\" Ó', 'b@x', 'b.png'), (3, 'Cy', 'c@x', NULL)");
    execute(db, "INSERT INTO projects VALUES (10, 'Älpha', 2, '2026-03-01 10:00:00'), (11, 'Beta', 1, '2026-03-02 09:00:00'), "
                "(12, 'Not mine', 3, '2026-03-03 00:00:00')");
    execute(db, "INSERT INTO project_members VALUES (1, 10, 1), (2, 10, 3), (3, 11, 1), (4, 12, 3)");
    execute(db, "INSERT INTO tasks VALUES (100, 10, 3, 'Fix ✓', 2, '2026-03-01 11:00:00'), "
                "(101, 10, NULL, 'Plan', 2, '2026-03-01 12:00:00'), (102, 11, 1, 'Ship', 5, '2026-03-02 10:00:00'), "
                "(103, 12, 3, 'Hidden', 1, '2026-03-03 01:00:00')");
    execute(db, "INSERT INTO comments VALUES (1000, 100, 1, 'first', '2026-03-01 11:30:00'), "
                "(1001, 100, 2, 'line\nbreak', '2026-03-01 11:45:00'), (1002, 102, 3, 'ok', '2026-03-02 10:05:00')");
}

}  // namespace

EAGERLOAD_TEST("a hand-made dashboard schema loads with every strategy into the specified JSON") {
    create_by_hand(db, ctx.quirks().timestamp_ddl_type);
    const std::string expected =
        R"([{"id":11,"members":["Zoë"],"name":"Beta","owner":"Zoë","tasks":[{"assignee":"Zoë","comments":[{"author":"Cy",)"
        R"("created":"2026-03-02T10:05:00","text":"ok"}],"id":102,"priority":5,"title":"Ship"}]},)"
        R"({"id":10,"members":["Zoë","Cy"],"name":"Älpha","owner":"Bob \"B\" Ó","tasks":[{"assignee":null,"comments":[],)"
        R"("id":101,"priority":2,"title":"Plan"},{"assignee":"Cy","comments":[{"author":"Bob \"B\" Ó",)"
        R"("created":"2026-03-01T11:45:00","text":"line\nbreak"},{"author":"Zoë","created":"2026-03-01T11:30:00",)"
        R"("text":"first"}],"id":100,"priority":2,"title":"Fix ✓"}]}])";
    // summary: the limited page plus every task and comment counted, keys still sorted.
    const std::string expected_summary =
        R"([{"id":11,"members":["Zoë"],"name":"Beta","owner":"Zoë","task_count":1,"tasks":[{"assignee":"Zoë",)"
        R"("comment_count":1,"comments":[{"author":"Cy","created":"2026-03-02T10:05:00","text":"ok"}],"id":102,)"
        R"("priority":5,"title":"Ship"}]},{"id":10,"members":["Zoë","Cy"],"name":"Älpha","owner":"Bob \"B\" Ó",)"
        R"("task_count":2,"tasks":[{"assignee":null,"comment_count":0,"comments":[],"id":101,"priority":2,"title":"Plan"},)"
        R"({"assignee":"Cy","comment_count":2,"comments":[{"author":"Bob \"B\" Ó","created":"2026-03-01T11:45:00",)"
        R"("text":"line\nbreak"},{"author":"Zoë","created":"2026-03-01T11:30:00","text":"first"}],"id":100,)"
        R"("priority":2,"title":"Fix ✓"}]}])";
    for (variant v : {variant::full, variant::limited, variant::summary})
        for (strategy s : {strategy::naive, strategy::eager, strategy::handwritten}) {
            CAPTURE(to_string(v));
            CAPTURE(to_string(s));
            const result r = load(s, v, db, 1);
            CHECK(to_json(r.dashboard) == (v == variant::summary ? expected_summary : expected));
            if (s != strategy::naive) CHECK(r.statements == 4);
        }
    // naive: 1 for the projects; per project (2) owner, tasks, members; per task (3)
    // its comments, and its assignee when set (2); per comment (3) its author; per member (3) its user.
    CHECK(load(strategy::naive, variant::full, db, 1).statements == 1 + 2 * 3 + 3 + 2 + 3 + 3);
}
