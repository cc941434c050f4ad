// Loading relations, on every backend: joined and prefetched, nested, filtered,
// ordered and limited per parent; statement counts; errors that leave nothing half-loaded.
#include <fmt/format.h>

#include <set>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/ids.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/testing.hpp"

using namespace eagerload;
using namespace dash;

namespace {

const auto t0 = make_timestamp(2024, 5, 1);

void seed(const database& db) {
    create_schema(db);
    insert(db, small_dataset());  // tests/support/dashboard_data.hpp says what it holds
}

using eagerload_test::ids;
using V = std::vector<std::int64_t>;

}  // namespace

EAGERLOAD_TEST("joined belongs_to: required gives a reference, nullable a pointer: nested joins") {
    seed(db);
    const auto q = select<Task>()
                       .order_by(asc<&Task::id>)
                       .join(assignee)
                       .join(project, select<Project>().join(owner));
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 1) { rows = q.load(db); }
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].title == "a1");                      // fields stay plain
    CHECK(rows[0][assignee]->name == "bob");          // nullable FK: pointer
    CHECK(rows[1][assignee] == nullptr);
    CHECK(rows[0][project].name == "alpha");          // required: reference
    CHECK(rows[0][project][owner].name == "ann");     // task -> project -> owner, same statement
    CHECK(rows[3][project][owner].name == "bob");
}

EAGERLOAD_TEST("two joins to the same table get distinct aliases and distinct rows") {
    seed(db);
    const auto rows = select<Task>()
                          .where(col<&Task::id> == 103)
                          .join(assignee)
                          .join(project, select<Project>().join(owner))
                          .load(db);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][assignee]->name == "bob");
    CHECK(rows[0][project][owner].name == "bob");
    const auto rows2 = select<Task>().where(col<&Task::id> == 104).join(assignee).join(project, select<Project>().join(owner)).load(db);
    CHECK(rows2[0][assignee]->name == "ann");
    CHECK(rows2[0][project][owner].name == "bob");
}

EAGERLOAD_TEST("prefetched has_many: one statement per level, children in the child query's order") {
    seed(db);
    const auto q = select<Project>()
                       .order_by(asc<&Project::id>)
                       .prefetch(tasks, select<Task>()
                                            .order_by(desc<&Task::priority>, asc<&Task::id>)
                                            .prefetch(comments, select<Comment>().order_by(desc<&Comment::created_at>)));
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 3) { rows = q.load(db); }
    REQUIRE(rows.size() == 3);
    CHECK(ids(rows[0][tasks]) == V{101, 102, 100});
    CHECK(ids(rows[1][tasks]) == V{103, 104});
    CHECK(rows[2][tasks].empty());  // a parent without children
    // ties on created_at are broken by key: 1001 before 1002
    CHECK(ids(rows[0][tasks][2][comments]) == V{1001, 1002, 1000});
    CHECK(rows[0][tasks][0][comments].empty());
    CHECK(ids(rows[1][tasks][0][comments]) == V{1003});
}

EAGERLOAD_TEST("per-level where, per-parent limit and offset, in SQL") {
    seed(db);
    const auto rows = select<Project>()
                          .order_by(asc<&Project::id>)
                          .prefetch(tasks, select<Task>()
                                               .where(col<&Task::priority> >= 1)
                                               .order_by(desc<&Task::priority>, desc<&Task::id>)
                                               .limit_per_parent(1)
                                               .offset_per_parent(1))
                          .load(db);
    // alpha: priority >= 1 -> 102 (3), 101 (3), 100 (1); skip 1, take 1 -> 101
    CHECK(ids(rows[0][tasks]) == V{101});
    // beta: 103 (2) only (104 has priority 0); offset 1 -> none
    CHECK(rows[1][tasks].empty());
    const auto top = select<Project>()
                         .order_by(asc<&Project::id>)
                         .prefetch(tasks, select<Task>().order_by(asc<&Task::id>).limit_per_parent(2))
                         .load(db);
    CHECK(ids(top[0][tasks]) == V{100, 101});
    CHECK(ids(top[1][tasks]) == V{103, 104});
}

EAGERLOAD_TEST("prefetched belongs_to: distinct FK values, each parent row loaded once and shared") {
    seed(db);
    const auto q = select<Task>().order_by(asc<&Task::id>).prefetch(project).prefetch(assignee);
    std::vector<decltype(q)::node_type> rows;
    query_counter counter(db);
    rows = q.load(db);
    REQUIRE(counter.count() == 3);
    CHECK(counter.statements()[1].find(ctx.quoted("projects") + "." + ctx.quoted("id")) != std::string::npos);
    CHECK(rows[0][project].name == "alpha");
    CHECK(&rows[0][project] == &rows[1][project]);  // one node for project 10
    CHECK(rows[1][assignee] == nullptr);
    CHECK(rows[2][assignee]->name == "cy");
    CHECK(rows[3][project].name == "beta");
}

EAGERLOAD_TEST("a prefetched belongs_to with its own filter is optional") {
    seed(db);
    const auto rows = select<Task>()
                          .order_by(asc<&Task::id>)
                          .prefetch(project, select<Project>().where(col<&Project::name> == "beta"))
                          .load(db);
    CHECK(rows[0][project] == nullptr);  // alpha filtered out
    REQUIRE(rows[3][project] != nullptr);
    CHECK(rows[3][project]->name == "beta");
}

EAGERLOAD_TEST("has_one, joined and prefetched") {
    seed(db);
    const auto joined = select<User>().order_by(asc<&User::id>).join(profile).load(db);
    CHECK(joined[0][profile]->bio == "ann's bio");
    CHECK(joined[1][profile] == nullptr);
    const auto pre = select<User>().order_by(asc<&User::id>).prefetch(profile).load(db);
    CHECK(pre[2][profile]->bio == "cy's bio");
    CHECK(pre[3][profile] == nullptr);
}

EAGERLOAD_TEST("many_to_many: one statement through the join table, with filter, order and per-parent limit") {
    seed(db);
    const auto q = select<Project>()
                       .order_by(asc<&Project::id>)
                       .prefetch(member_users, select<User>().where(col<&User::id> != 4).order_by(desc<&User::name>));
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 2) { rows = q.load(db); }
    CHECK(ids(rows[0][member_users]) == V{3, 2});  // cy, bob
    CHECK(ids(rows[1][member_users]) == V{2, 1});  // bob, ann (dee filtered)
    CHECK(rows[2][member_users].empty());
    const auto limited =
        select<User>().order_by(asc<&User::id>).prefetch(user_projects, select<Project>().order_by(desc<&Project::id>).limit_per_parent(1)).load(db);
    CHECK(ids(limited[1][user_projects]) == V{11});  // bob is in 10 and 11
    CHECK(limited[3][user_projects].size() == 1);
}

EAGERLOAD_TEST("self-referential relations: an employee's boss and reports") {
    seed(db);
    const auto rows = select<Employee>()
                          .order_by(asc<&Employee::id>)
                          .join(boss, select<Employee>().join(boss))
                          .prefetch(reports, select<Employee>().prefetch(reports))
                          .load(db);
    CHECK(rows[0][boss] == nullptr);
    CHECK(rows[2][boss]->name == "mid");
    CHECK((*rows[2][boss])[boss]->name == "boss");
    CHECK(ids(rows[0][reports]) == V{2});
    CHECK(ids(rows[0][reports][0][reports]) == V{3});
    CHECK(rows[3][reports].empty());
}

EAGERLOAD_TEST("several relations between the same two models: owner and members") {
    seed(db);
    const auto rows = select<Project>().order_by(asc<&Project::id>).join(owner).prefetch(member_users).load(db);
    CHECK(rows[1][owner].name == "bob");
    CHECK(ids(rows[1][member_users]) == V{1, 2, 4});
}

EAGERLOAD_TEST("where through relations: EXISTS over has_many, many_to_many and belongs_to") {
    seed(db);
    CHECK(ids(select<Project>().where(exists(members, col<&ProjectMember::user_id> == 4)).all(db)) == V{11});
    CHECK(ids(select<Project>().where(exists(member_users, col<&User::name> == "cy")).all(db)) == V{10});
    CHECK(ids(select<Project>().where(!exists(tasks)).all(db)) == V{12});
    CHECK(ids(select<Task>().where(exists(project, col<&Project::owner_id> == 2)).order_by(asc<&Task::id>).all(db)) ==
          V{103, 104});
    CHECK(ids(select<Employee>().where(exists(reports)).order_by(asc<&Employee::id>).all(db)) == V{1, 2});
}

EAGERLOAD_TEST("no parent rows: no statement for the levels below") {
    seed(db);
    const auto q = select<Project>()
                       .where(col<&Project::id> > 1000)
                       .prefetch(tasks, select<Task>().prefetch(comments))
                       .prefetch(member_users);
    EAGERLOAD_CHECK_STATEMENTS(db, 1) { CHECK(q.load(db).empty()); }
    const auto no_tasks = select<Project>().where(col<&Project::id> == 12).prefetch(tasks, select<Task>().prefetch(comments));
    EAGERLOAD_CHECK_STATEMENTS(db, 2) { CHECK(no_tasks.load(db).size() == 1); }
}

EAGERLOAD_TEST("a joined relation's own prefetch runs over the joined rows") {
    seed(db);
    const auto q = select<Task>().order_by(asc<&Task::id>).join(project, select<Project>().prefetch(member_users));
    static_assert(decltype(q)::statements == 2);
    const auto rows = q.load(db);
    CHECK(ids(rows[0][project][member_users]) == V{2, 3});
    CHECK(ids(rows[4][project][member_users]) == V{1, 2, 4});
}

EAGERLOAD_TEST("a load sees the caller's transaction and uncommitted writes") {
    seed(db);
    transaction tx(db);
    insert(db, Task{105, 12, {}, "new", 1, t0});
    const auto rows = select<Project>().where(col<&Project::id> == 12).prefetch(tasks).load(db);
    CHECK(ids(rows[0][tasks]) == V{105});
}

EAGERLOAD_TEST("a dangling required FK is an error naming table, column and key: nothing is returned") {
    seed(db);
    detail::execute(db, fmt::format(fmt::runtime(ctx.quirks().allow_dangling_foreign_key), fmt::arg("table", "tasks"),
                                    fmt::arg("column", "project_id")));
    insert(db, Task{200, 99, {}, "orphan", 1, t0});
    const std::string expected = R"("tasks"."project_id" = 99 refers to no row of "projects")";
    CHECK_THROWS_WITH_AS(select<Task>().join(project).load(db), doctest::Contains(expected.c_str()), error);
    CHECK_THROWS_WITH_AS(select<Task>().prefetch(project).load(db), doctest::Contains(expected.c_str()), error);
}

EAGERLOAD_TEST("has_one with two matching rows is an error, not a silent pick") {
    seed(db);
    insert(db, Profile{5, 1, "second bio"});
    CHECK_THROWS_WITH_AS(select<User>().prefetch(profile).load(db),
                         doctest::Contains(R"(more than one row of "profiles" has user_id = 1)"), error);
}

namespace {
// Models over views whose rows carry now(): the start time of the current transaction.
struct ClockParent {
    std::int64_t id;
    std::string stamp;
};
struct ClockChild {
    std::int64_t id;
    std::int64_t parent_id;
    std::string stamp;
};
}  // namespace
BOOST_HANA_ADAPT_STRUCT(ClockParent, id, stamp);
BOOST_HANA_ADAPT_STRUCT(ClockChild, id, parent_id, stamp);
template <>
struct eagerload::model<ClockParent> {
    static constexpr std::string_view table = "clock_parents";
    static constexpr auto key = &ClockParent::id;
};
template <>
struct eagerload::model<ClockChild> {
    static constexpr std::string_view table = "clock_children";
    static constexpr auto key = &ClockChild::id;
};

TEST_CASE("statements of one load share one snapshot (REPEATABLE READ) [postgresql]") {
    eagerload_test::context ctx(dialect::postgresql);
    auto& db = ctx.db;
    detail::execute(db, "CREATE VIEW clock_parents AS SELECT CAST(1 AS bigint) AS id, CAST(now() AS text) AS stamp");
    detail::execute(db, "CREATE VIEW clock_children AS SELECT CAST(1 AS bigint) AS id, CAST(1 AS bigint) AS parent_id, "
                        "CAST(now() AS text) AS stamp");
    constexpr auto children = has_many<&ClockChild::parent_id, &ClockParent::id>;
    const auto q = select<ClockParent>().prefetch(children);
    const auto first = q.load(db);
    const auto second = q.load(db);
    REQUIRE(first.size() == 1);
    REQUIRE(first[0][children].size() == 1);
    CHECK(first[0].stamp == first[0][children][0].stamp);  // one transaction
    CHECK(second[0].stamp == second[0][children][0].stamp);
    CHECK(first[0].stamp != second[0].stamp);  // the check above can fail: each load is a new transaction
}

// MariaDB's NOW() is the statement's start, not the transaction's: the views show
// @@in_transaction instead (through a function: a view may not read a variable).
TEST_CASE("statements of one load run inside one transaction, a single statement in none [mariadb]") {
    eagerload_test::context ctx(dialect::mariadb);
    auto& db = ctx.db;
    detail::execute(db, "CREATE FUNCTION el_in_transaction() RETURNS TEXT NOT DETERMINISTIC NO SQL "
                        "RETURN CAST(@@in_transaction AS CHAR)");
    detail::execute(db, "CREATE VIEW clock_parents AS SELECT CAST(1 AS SIGNED) AS id, el_in_transaction() AS stamp");
    detail::execute(db, "CREATE VIEW clock_children AS SELECT CAST(1 AS SIGNED) AS id, CAST(1 AS SIGNED) AS parent_id, "
                        "el_in_transaction() AS stamp");
    constexpr auto children = has_many<&ClockChild::parent_id, &ClockParent::id>;
    const auto rows = select<ClockParent>().prefetch(children).load(db);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0][children].size() == 1);
    CHECK(rows[0].stamp == "1");
    CHECK(rows[0][children][0].stamp == "1");
    CHECK(select<ClockParent>().all(db)[0].stamp == "0");  // one statement: no snapshot needed
}

// A load's snapshot is transaction(db, isolation::repeatable_read, true): the backend's
// begin(). It keeps the view of its first read, and refuses writes where it can.
EAGERLOAD_TEST("a load's snapshot transaction keeps one view of the data and refuses writes") {
    seed(db);
    auto other = ctx.open(1);
    {
        transaction tx(db, isolation::repeatable_read, true);
        CHECK(select<User>().count(db) == 4);
        if (!ctx.quirks().readers_block_writers) {  // SQLite: the writer would wait for this reader
            insert(other, User{5, "eve", "eve@x", {}});
            CHECK(select<User>().count(other) == 5);
            CHECK(select<User>().count(db) == 4);  // still the first read's view
            const auto rows = select<Project>().where(col<&Project::id> == 10).prefetch(member_users).load(db);
            CHECK(ids(rows[0][member_users]) == V{2, 3});
        }
        if (ctx.quirks().read_only_transactions) CHECK_THROWS_AS(insert(db, User{6, "fay", "fay@x", {}}), database_error);
        tx.rollback();  // after a failed statement PostgreSQL's COMMIT would throw transaction_aborted
    }
    CHECK(select<User>().count(db) == (ctx.quirks().readers_block_writers ? 4 : 5));
}

EAGERLOAD_TEST("a node you own is mutable, so data can be moved out: shared prefetched parents stay const") {
    seed(db);
    auto rows = select<Task>().order_by(asc<&Task::id>).join(assignee).prefetch(project).prefetch(comments).load(db);
    static_assert(!std::is_const_v<std::remove_pointer_t<decltype(rows[0][assignee])>>);
    static_assert(!std::is_const_v<std::remove_reference_t<decltype(rows[0][comments])>>);
    static_assert(std::is_const_v<std::remove_reference_t<decltype(rows[0][project])>>);  // shared by tasks 100-102
    static_assert(std::is_const_v<std::remove_pointer_t<decltype(std::as_const(rows[0])[assignee])>>);
    std::string moved = std::move(rows[0][assignee]->name);
    CHECK(moved == "bob");
    CHECK(rows[0][assignee]->name.empty());
    auto taken = std::move(rows[0][comments]);
    CHECK(taken.size() == 3);
    CHECK(rows[0][comments].empty());
    CHECK(rows[1][project].name == "alpha");
}
