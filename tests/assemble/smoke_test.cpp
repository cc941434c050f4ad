#include "../support/backend.hpp"
#include "../support/dashboard.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

EAGERLOAD_TEST("smoke: join and prefetch") {
    create_table<User>(db);
    create_table<Project>(db);
    create_table<Task>(db);
    insert_all(db, std::vector<User>{{1, "ann", "a@x", {}}, {2, "bob", "b@x", {}}});
    insert_all(db, std::vector<Project>{{10, "p10", 1, make_timestamp(2024, 1, 1)}, {11, "p11", 2, make_timestamp(2024, 1, 2)}});
    insert_all(db, std::vector<Task>{{100, 10, 2, "t100", 3, make_timestamp(2024, 1, 1)},
                                     {101, 10, {}, "t101", 5, make_timestamp(2024, 1, 1)},
                                     {102, 11, 1, "t102", 1, make_timestamp(2024, 1, 1)}});
    auto q = select<Project>()
                 .order_by(asc<&Project::id>)
                 .join(owner)
                 .prefetch(tasks, select<Task>().order_by(desc<&Task::priority>).join(assignee));
    static_assert(decltype(q)::statements == 2);
    MESSAGE(q.plan(db.sql_dialect()).to_string());
    auto ps = q.load(db);
    REQUIRE(ps.size() == 2);
    CHECK(ps[0][owner].name == "ann");
    REQUIRE(ps[0][tasks].size() == 2);
    CHECK(ps[0][tasks][0].title == "t101");
    CHECK(ps[0][tasks][0][assignee] == nullptr);
    CHECK(ps[0][tasks][1][assignee]->name == "bob");
}
