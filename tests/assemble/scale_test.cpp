// Statement counts do not grow with the data: the dashboard at three sizes, and a
// level with 100,000 parent keys, each in the statements the plan says.
#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/dashboard_query.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/testing.hpp"

using namespace eagerload;
using namespace dash;

EAGERLOAD_TEST("the dashboard loads in exactly 4 statements at three data sizes") {
    static_assert(decltype(dashboard_query(1))::statements == 4);
    std::size_t last_tasks = 0;
    for (int scale : {1, 4, 16}) {
        CAPTURE(scale);
        eagerload_test::context fresh(ctx.dialect());
        sizes s;
        s.users = 20 * scale;
        s.projects = 10 * scale;
        s.tasks_per_project = 4 * scale;
        s.comments_per_task = 2 * scale;
        s.members_per_project = 6;
        create_schema(fresh.db);
        insert(fresh.db, generate(100 + static_cast<unsigned>(scale), s));
        // The user in most projects, so the dashboard is full.
        const auto q = dashboard_query(busiest_user(fresh.db, s.users));
        std::vector<decltype(q)::node_type> page;
        query_counter counter(fresh.db);
        EAGERLOAD_CHECK_STATEMENTS(fresh.db, 4) { page = q.load(fresh.db); }
        CHECK(counter.statements() == q.plan(fresh.db.sql_dialect()).statements);
        std::size_t n_tasks = 0, n_comments = 0;
        for (const auto& p : page) {
            CHECK(p[tasks].size() <= 10);
            n_tasks += p[tasks].size();
            for (const auto& t : p[tasks]) {
                CHECK(t[comments].size() <= 5);
                n_comments += t[comments].size();
            }
        }
        CHECK(page.size() <= 20);
        CHECK(n_comments > 0);
        CHECK(n_tasks > last_tasks);  // more data each time, same statements
        last_tasks = n_tasks;
    }
}

EAGERLOAD_TEST("a level with 100,000 parent keys is ONE statement with ONE list parameter") {
    create_table<User>(db);
    create_table<Profile>(db, belongs_to<&Profile::user_id, &User::id>);
    std::vector<User> users;
    std::vector<Profile> profiles;
    for (std::int64_t i = 1; i <= 100000; ++i) {
        users.push_back(User{i, "u", "e", {}});
        if (i % 3 == 0) profiles.push_back(Profile{i, i, "bio"});
    }
    insert_all(db, users);
    insert_all(db, profiles);
    const auto q = select<User>().prefetch(profile);
    query_counter counter(db);
    const auto rows = q.load(db);
    REQUIRE(counter.count() == 2);
    CHECK(counter.statements()[1].size() < 400);  // the keys are bound, not spelled out
    REQUIRE(rows.size() == 100000);
    std::size_t with_profile = 0, misplaced = 0;
    for (const auto& u : rows)
        if (const auto* p = u[profile]) {
            misplaced += p->user_id != u.id;
            ++with_profile;
        }
    CHECK(with_profile == 33333);
    CHECK(misplaced == 0);
}
