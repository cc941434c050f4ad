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
// Timestamps get the type the database's own tools would use (MariaDB: DATETIME);
// integer keys `key` ("bigint", or SQLite's "INTEGER": `INTEGER PRIMARY KEY` is what
// SQLite tools write, a rowid alias). Every id is `offset` + the id below.
void create_by_hand(const eagerload::database& db, const std::string& ts, const std::string& key = "bigint",
                    long long offset = 0) {
    using eagerload::detail::execute;
    const std::string k = key;
    auto id = [&](long long n) { return std::to_string(offset + n); };
    execute(db, "CREATE TABLE users (id " + k + " PRIMARY KEY, name text NOT NULL, email text NOT NULL, avatar_url text NULL)");
    execute(db, "CREATE TABLE projects (id " + k + " PRIMARY KEY, name text NOT NULL, owner_id " + k + " NOT NULL REFERENCES users (id), "
                "updated_at " + ts + " NOT NULL)");
    execute(db, "CREATE TABLE project_members (id " + k + " PRIMARY KEY, project_id " + k + " NOT NULL REFERENCES projects (id), "
                "user_id " + k + " NOT NULL REFERENCES users (id), UNIQUE (project_id, user_id))");
    execute(db, "CREATE TABLE tasks (id " + k + " PRIMARY KEY, project_id " + k + " NOT NULL REFERENCES projects (id), "
                "assignee_id " + k + " NULL REFERENCES users (id), title text NOT NULL, priority int NOT NULL, "
                "created_at " + ts + " NOT NULL)");
    execute(db, "CREATE TABLE comments (id " + k + " PRIMARY KEY, task_id " + k + " NOT NULL REFERENCES tasks (id), "
                "author_id " + k + " NOT NULL REFERENCES users (id), text text NOT NULL, created_at " + ts + " NOT NULL)");
    execute(db, "CREATE INDEX pm_user ON project_members (user_id, project_id)");
    execute(db, "CREATE INDEX t_proj ON tasks (project_id, priority DESC, created_at DESC)");
    execute(db, "CREATE INDEX c_task ON comments (task_id, created_at DESC)");
    execute(db, "INSERT INTO users VALUES (" + id(1) + ", 'Zoë', 'z@x', NULL), (" + id(2) + ", 'Bob \"B\" Ó', 'b@x', 'b.png'), (" +
                id(3) + ", 'Cy', 'c@x', NULL)");
    execute(db, "INSERT INTO projects VALUES (" + id(10) + ", 'Älpha', " + id(2) + ", '2026-03-01 10:00:00'), (" + id(11) +
                ", 'Beta', " + id(1) + ", '2026-03-02 09:00:00'), (" + id(12) + ", 'Not mine', " + id(3) + ", '2026-03-03 00:00:00')");
    execute(db, "INSERT INTO project_members VALUES (" + id(1) + ", " + id(10) + ", " + id(1) + "), (" + id(2) + ", " + id(10) +
                ", " + id(3) + "), (" + id(3) + ", " + id(11) + ", " + id(1) + "), (" + id(4) + ", " + id(12) + ", " + id(3) + ")");
    execute(db, "INSERT INTO tasks VALUES (" + id(100) + ", " + id(10) + ", " + id(3) + ", 'Fix ✓', 2, '2026-03-01 11:00:00'), (" +
                id(101) + ", " + id(10) + ", NULL, 'Plan', 2, '2026-03-01 12:00:00'), (" + id(102) + ", " + id(11) + ", " + id(1) +
                ", 'Ship', 5, '2026-03-02 10:00:00'), (" + id(103) + ", " + id(12) + ", " + id(3) + ", 'Hidden', 1, '2026-03-03 01:00:00')");
    execute(db, "INSERT INTO comments VALUES (" + id(1000) + ", " + id(100) + ", " + id(1) + ", 'first', '2026-03-01 11:30:00'), (" +
                id(1001) + ", " + id(100) + ", " + id(2) + ", 'line\nbreak', '2026-03-01 11:45:00'), (" + id(1002) + ", " + id(102) +
                ", " + id(3) + ", 'ok', '2026-03-02 10:05:00')");
}

// The dashboard of user 1 over that data, in the JSON the product specifies.
const std::string expected_json =
    R"([{"id":11,"members":["Zoë"],"name":"Beta","owner":"Zoë","tasks":[{"assignee":"Zoë","comments":[{"author":"Cy",)"
    R"("created":"2026-03-02T10:05:00","text":"ok"}],"id":102,"priority":5,"title":"Ship"}]},)"
    R"({"id":10,"members":["Zoë","Cy"],"name":"Älpha","owner":"Bob \"B\" Ó","tasks":[{"assignee":null,"comments":[],)"
    R"("id":101,"priority":2,"title":"Plan"},{"assignee":"Cy","comments":[{"author":"Bob \"B\" Ó",)"
    R"("created":"2026-03-01T11:45:00","text":"line\nbreak"},{"author":"Zoë","created":"2026-03-01T11:30:00",)"
    R"("text":"first"}],"id":100,"priority":2,"title":"Fix ✓"}]}])";

// `json` with every "id":N as "id":N+offset (the keys mapped).
std::string shift_ids(const std::string& json, long long offset) {
    std::string out;
    const std::string tag = "\"id\":";
    std::size_t from = 0;
    for (std::size_t at = json.find(tag); at != std::string::npos; at = json.find(tag, from)) {
        std::size_t end = at + tag.size();
        while (end < json.size() && json[end] >= '0' && json[end] <= '9') ++end;
        out += json.substr(from, at - from) + tag + std::to_string(std::stoll(json.substr(at + tag.size(), end - at - tag.size())) + offset);
        from = end;
    }
    return out + json.substr(from);
}

}  // namespace

EAGERLOAD_TEST("a hand-made dashboard schema loads with every strategy into the specified JSON") {
    create_by_hand(db, ctx.quirks().timestamp_ddl_type);
    const std::string& expected = expected_json;
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

EAGERLOAD_TEST("ids past 2^32 in integer primary keys (SQLite's INTEGER PRIMARY KEY) give the exact dashboard JSON") {
    // 5,000,000,000 + n: SOCI's SQLite row path read such an INTEGER column through 32
    // bits (705,032,705 + n), and the dashboard came out with no tasks and no members.
    constexpr long long offset = 5'000'000'000;
    create_by_hand(db, ctx.quirks().timestamp_ddl_type, ctx.quirks().integer_key_ddl_type, offset);
    const std::string expected = shift_ids(expected_json, offset);
    REQUIRE(expected.find("\"id\":5000000011,") != std::string::npos);
    for (variant v : {variant::full, variant::limited})
        for (strategy s : {strategy::naive, strategy::eager}) {
            CAPTURE(to_string(s));
            CAPTURE(to_string(v));
            const result r = load(s, v, db, offset + 1);
            CHECK(to_json(r.dashboard) == expected);
            if (s == strategy::eager) CHECK(r.statements == 4);
        }
    CHECK(load(strategy::naive, variant::full, db, offset + 1).statements == 1 + 2 * 3 + 3 + 2 + 3 + 3);
}
