// The N+1 detector: shapes, key lookups matched to named relations, the advice, the
// call site, modes and safelist; no false positive on eager loads.
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/dashboard_query.hpp"
#include "eagerload/detector.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

namespace {
std::int64_t seeded(const database& db) {
    create_schema(db);
    insert(db, generate(11, sizes{}));
    return busiest_user(db, sizes{}.users);
}
}  // namespace

TEST_CASE("shape_of: literals become ?, identifiers and placeholders stay") {
    CHECK(shape_of("SELECT \"t1\".\"a\" FROM \"t1\" WHERE \"t1\".\"a\" = :p1 AND b = 'x''y' AND c > 42.5") ==
          "SELECT \"t1\".\"a\" FROM \"t1\" WHERE \"t1\".\"a\" = :p1 AND b = ? AND c > ?");
    CHECK(shape_of("SELECT * FROM t WHERE id = 7") == shape_of("SELECT * FROM t WHERE id = 8"));
}

TEST_CASE("lookup_of: a key lookup's table and column, quoted either way, schema-qualified or not") {
    const key_lookup a = lookup_of("SELECT \"tasks\".\"id\" FROM \"tasks\" WHERE \"tasks\".\"project_id\" = :p1 LIMIT :p2");
    CHECK(a.table == "tasks");
    CHECK(a.column == "project_id");
    const key_lookup b = lookup_of("SELECT `c`.`id` FROM `app`.`comments` AS `c` WHERE `c`.`task_id` = :p1");
    CHECK(b.table == "app.comments");
    CHECK(b.column == "task_id");
    CHECK(lookup_of("SELECT x FROM t WHERE t.a IN (SELECT value FROM json_each(:p1))").table.empty());
    CHECK(lookup_of("SELECT x FROM t").table.empty());
}

EAGERLOAD_TEST("the detector reports a per-row lookup with its call site and the relation to prefetch") {
    const std::int64_t user = seeded(db);
    std::vector<std::string> written;
    std::size_t loop_line = 0;
    {
        n_plus_one_detector detect(db, {.write = [&](const std::string& r) { written.push_back(r); }});
        const auto projects = select<Project>().order_by(asc<&Project::id>).all(db);
        REQUIRE(projects.size() > 6);
        for (const Project& p : projects) {
            loop_line = __LINE__ + 1;
            (void)select<Task>().where(col<&Task::project_id> == p.id).all(db);
        }
        const auto found = detect.findings();
        REQUIRE(found.size() == 1);
        CHECK(found[0].count == projects.size());
        REQUIRE(found[0].sites.size() == 1);
        CHECK(found[0].sites[0].file == "tooling/detector_test.cpp");
        CHECK(found[0].sites[0].line == loop_line);
        CHECK(found[0].sites[0].advice ==
              "a key lookup on tasks.project_id: load `tasks` (has_many, projects -> tasks) eagerly: add "
              ".prefetch(tasks) to the query that loads projects");
    }
    REQUIRE(written.size() == 1);  // log mode: the report at scope end
    CHECK(written[0].starts_with("eagerload: N+1 in the scope opened at tooling/detector_test.cpp:"));
    CHECK(written[0].find(".prefetch(tasks)") != std::string::npos);
    (void)user;
}

EAGERLOAD_TEST("a lookup by primary key is matched to the belongs_to whose owner rows were read just before") {
    seeded(db);
    n_plus_one_detector detect(db, {.write = [](const std::string&) {}});
    for (const Comment& c : select<Comment>().order_by(asc<&Comment::id>).limit(10).all(db)) (void)get<User>(db, c.author_id);
    const auto found = detect.findings();
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].sites.size() == 1);
    CHECK(found[0].sites[0].advice ==
          "a key lookup on users.id: load `author` (belongs_to, comments -> users) eagerly: add .join(author) to the "
          "query that loads comments");
}

EAGERLOAD_TEST("raise mode throws at the statement past the threshold, before it runs, and the safelist silences a shape") {
    seeded(db);
    {
        n_plus_one_detector strict(db, {.threshold = 3, .mode = detector_mode::raise});
        query_counter counter(db);
        for (int i = 1; i <= 3; ++i) (void)find<User>(db, i);
        try {
            (void)find<User>(db, 4);
            FAIL("no N+1 error");
        } catch (const n_plus_one_error& e) {
            CHECK(std::string(e.what()).starts_with("eagerload: N+1: 4 times (threshold 3): SELECT "));
            CHECK(std::string(e.what()).find("tooling/detector_test.cpp") != std::string::npos);
        }
        CHECK(counter.count() == 3);  // the fourth never ran
    }
    {
        n_plus_one_detector safe(db, {.threshold = 3, .mode = detector_mode::raise, .safelist = {ctx.quoted("users")}});
        for (int i = 1; i <= 6; ++i) (void)find<User>(db, i);
        CHECK(safe.findings().empty());
    }
}

EAGERLOAD_TEST("no false positive on eager loads: the dashboard and the per-parent-limited scenarios") {
    const std::int64_t user = seeded(db);
    // Each eager strategy under a detector that allows no shape twice: one statement per level.
    const auto strict = [&] {
        return detector_options{.threshold = 1, .mode = detector_mode::raise, .scope = counter_scope::database};
    };
    {
        n_plus_one_detector d(db, strict());
        CHECK_FALSE(dashboard_query(user).load(db).empty());
    }
    {
        n_plus_one_detector d(db, strict());
        (void)::dashboard::dashboard_query(false, user).load(db);
    }
    {
        n_plus_one_detector d(db, strict());
        (void)select<Project>().prefetch(tasks, select<Task>().prefetch(comments)).prefetch(members).load(db);
    }
    {
        n_plus_one_detector d(db, strict());
        (void)select<Project>().prefetch(member_users).load(db);
        CHECK(d.findings().empty());
    }
}
