// Per-row aggregates of relations on every backend: count, sum, min, max and exists,
// filtered or not, several per relation, on root, prefetched and joined levels, beside
// a prefetch of the same relation, without loading the related rows and without
// changing the statement count; zero and absent where a row has no related rows.
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
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

}  // namespace

EAGERLOAD_TEST("count, sum, min, max and exists per row, typed: zero and absent for rows without related rows") {
    seed(db);
    const auto q = select<Project>()
                       .order_by(asc<&Project::id>)
                       .aggregate(agg::count(tasks))
                       .aggregate(agg::sum<&Task::priority>(tasks))     // int32 column: int64 sum
                       .aggregate(agg::sum<&Task::assignee_id>(tasks))  // nullable int64 column: NULLs skipped
                       .aggregate(agg::min<&Task::created_at>(tasks))
                       .aggregate(agg::max<&Task::title>(tasks))
                       .aggregate(agg::exists(members));
    static_assert(decltype(q)::statements == 1);
    static_assert(std::is_same_v<decltype(agg::count(tasks))::value_type, std::int64_t>);
    static_assert(std::is_same_v<decltype(agg::sum<&Task::priority>(tasks))::value_type, std::int64_t>);
    static_assert(std::is_same_v<decltype(agg::min<&Task::created_at>(tasks))::value_type, std::optional<timestamp>>);
    static_assert(std::is_same_v<decltype(agg::exists(members))::value_type, bool>);
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 1) { rows = q.load(db); }
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][agg::count(tasks)] == 3);
    CHECK(rows[1][agg::count(tasks)] == 2);
    CHECK(rows[2][agg::count(tasks)] == 0);
    CHECK(rows[0][agg::sum<&Task::priority>(tasks)] == 7);
    CHECK(rows[2][agg::sum<&Task::priority>(tasks)] == 0);
    CHECK(rows[0][agg::sum<&Task::assignee_id>(tasks)] == 5);
    CHECK(rows[1][agg::sum<&Task::assignee_id>(tasks)] == 3);
    CHECK(rows[0][agg::min<&Task::created_at>(tasks)] == t0);
    CHECK_FALSE(rows[2][agg::min<&Task::created_at>(tasks)].has_value());
    CHECK(rows[1][agg::max<&Task::title>(tasks)] == "b2");
    CHECK(rows[0][agg::exists(members)]);
    CHECK_FALSE(rows[2][agg::exists(members)]);
}

EAGERLOAD_TEST("filtered aggregates (the relation's own where): a filter that matches nothing counts zero") {
    seed(db);
    const auto rows = select<Project>()
                          .order_by(asc<&Project::id>)
                          .aggregate(agg::count(tasks, col<&Task::priority> >= 3))
                          .aggregate(agg::max<&Task::created_at>(tasks, col<&Task::assignee_id>.is_null()))
                          .aggregate(agg::exists(members, col<&ProjectMember::user_id> == 4))
                          .load(db);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][agg::count(tasks)] == 2);
    CHECK(rows[1][agg::count(tasks)] == 0);
    CHECK(rows[0][agg::max<&Task::created_at>(tasks)] == t0);
    CHECK_FALSE(rows[1][agg::max<&Task::created_at>(tasks)].has_value());
    CHECK_FALSE(rows[0][agg::exists(members)]);
    CHECK(rows[1][agg::exists(members)]);
}

EAGERLOAD_TEST("counts over two relations never multiply each other (Django's Count + Sum across joins)") {
    seed(db);
    // Project 11: 2 tasks, 3 members. Joining both into one grouped statement would give 6
    // and 6; one subquery per aggregate cannot.
    const auto rows = select<Project>()
                          .where(col<&Project::id> == 11)
                          .aggregate(agg::count(tasks))
                          .aggregate(agg::sum<&Task::priority>(tasks))
                          .aggregate(agg::count(members))
                          .aggregate(agg::sum<&ProjectMember::user_id>(members))
                          .load(db);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][agg::count(tasks)] == 2);
    CHECK(rows[0][agg::sum<&Task::priority>(tasks)] == 2);
    CHECK(rows[0][agg::count(members)] == 3);
    CHECK(rows[0][agg::sum<&ProjectMember::user_id>(members)] == 7);
}

EAGERLOAD_TEST("an aggregate beside a prefetch of the same relation, and on prefetched levels with per-parent limits") {
    seed(db);
    // Top task per project, each with its comment count (all comments) and newest comment time;
    // every project's task count (all tasks, not only the one shown).
    const auto q = select<Project>()
                       .order_by(asc<&Project::id>)
                       .aggregate(agg::count(tasks))
                       .prefetch(tasks, select<Task>()
                                            .order_by(desc<&Task::priority>, asc<&Task::id>)
                                            .limit_per_parent(1)
                                            .aggregate(agg::count(comments))
                                            .aggregate(agg::max<&Comment::created_at>(comments)));
    static_assert(decltype(q)::statements == 2);
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 2) { rows = q.load(db); }
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][agg::count(tasks)] == 3);
    REQUIRE(rows[0][tasks].size() == 1);
    CHECK(rows[0][tasks][0].id == 101);
    CHECK(rows[0][tasks][0][agg::count(comments)] == 0);
    CHECK_FALSE(rows[0][tasks][0][agg::max<&Comment::created_at>(comments)].has_value());
    CHECK(rows[1][agg::count(tasks)] == 2);
    REQUIRE(rows[1][tasks].size() == 1);
    CHECK(rows[1][tasks][0].id == 103);
    CHECK(rows[1][tasks][0][agg::count(comments)] == 1);
    CHECK(rows[2][agg::count(tasks)] == 0);
    CHECK(rows[2][tasks].empty());
    // The same relation prefetched whole, with its count beside it: they agree.
    const auto all = select<Task>().order_by(asc<&Task::id>).aggregate(agg::count(comments)).prefetch(comments).load(db);
    for (const auto& t : all) CHECK(t[agg::count(comments)] == static_cast<std::int64_t>(t[comments].size()));
    CHECK(all[0][agg::count(comments)] == 3);
}

EAGERLOAD_TEST("aggregates on a joined level, through a many_to_many, and on projected levels") {
    seed(db);
    const auto q = select<Task>()
                       .only<&Task::title>()
                       .order_by(asc<&Task::id>)
                       .aggregate(agg::count(comments))
                       .join(project, select<Project>()
                                          .only<&Project::name>()
                                          .aggregate(agg::count(tasks))
                                          .aggregate(agg::min<&User::name>(member_users, col<&User::id> != 2)))
                       .join(assignee, select<User>().only<&User::name>().aggregate(agg::count(owned_projects)));
    static_assert(decltype(q)::statements == 1);
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 1) { rows = q.load(db); }
    REQUIRE(rows.size() == 5);
    CHECK(rows[0][col<&Task::title>] == "a1");
    CHECK(rows[0][agg::count(comments)] == 3);
    CHECK(rows[1][agg::count(comments)] == 0);
    CHECK(rows[0][project][agg::count(tasks)] == 3);
    CHECK(rows[3][project][agg::count(tasks)] == 2);
    CHECK(rows[0][project][agg::min<&User::name>(member_users)] == "cy");   // bob filtered out
    CHECK(rows[3][project][agg::min<&User::name>(member_users)] == "ann");
    REQUIRE(rows[4][assignee] != nullptr);
    CHECK((*rows[4][assignee])[agg::count(owned_projects)] == 2);  // ann owns 10 and 12
    CHECK((*rows[0][assignee])[agg::count(owned_projects)] == 1);  // bob owns 11
    CHECK(rows[1][assignee] == nullptr);
}
