// The index advisor: per level of the dashboard, the index that serves it (key column
// first, then the order with its directions; the EXISTS filter's correlated column,
// then the column it tests), none an existing index covers; once applied, EXPLAIN
// shows no child level scanning a table fully, and the advisor has nothing more to say.
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/dashboard_query.hpp"
#include "../support/statistics.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/explain.hpp"
#include "eagerload/index_advice.hpp"

using namespace eagerload;

namespace advice_models {
struct Milestone {
    std::int64_t id;
    std::int64_t project_identifier;
    std::int32_t importance_ranking;
    std::string milestone_description;
};
}  // namespace advice_models
BOOST_HANA_ADAPT_STRUCT(advice_models::Milestone, id, project_identifier, importance_ranking, milestone_description);
template <>
struct eagerload::model<advice_models::Milestone> {
    static constexpr std::string_view table = "project_milestones_of_the_quarter";
    static constexpr auto key = &advice_models::Milestone::id;
};

namespace {
using advice_models::Milestone;
using namespace dash;
// The dashboard's tables with no index but their primary keys: no foreign key
// constraints either (InnoDB would index each of them).
void create_bare_schema(const database& db) {
    create_table<User>(db);
    create_table<Project>(db);
    create_table<ProjectMember>(db);
    create_table<Task>(db);
    create_table<Comment>(db);
    create_table<Profile>(db);
    create_table<Employee>(db);
}

std::vector<std::string> sql_of(const std::vector<index_advice>& advice) {
    std::vector<std::string> out;
    for (const index_advice& a : advice) out.push_back(a.sql);
    return out;
}
}  // namespace

EAGERLOAD_TEST("index advisor: the dashboard's levels, each served by one index, the members level by the EXISTS one") {
    create_bare_schema(db);
    const auto q = dash::dashboard_query(1);
    const auto advice = advise_indexes(q, db);
    const auto id = [&](std::string_view n) { return ctx.quoted(n); };
    const std::vector<std::string> expected{
        "CREATE INDEX " + id("el_projects_updated_at") + " ON " + id("projects") + " (" + id("updated_at") + " DESC)",
        "CREATE INDEX " + id("el_project_members_project_id_user_id") + " ON " + id("project_members") + " (" +
            id("project_id") + ", " + id("user_id") + ")",
        "CREATE INDEX " + id("el_tasks_project_id_priority_created_at") + " ON " + id("tasks") + " (" + id("project_id") +
            ", " + id("priority") + " DESC, " + id("created_at") + " DESC)",
        "CREATE INDEX " + id("el_comments_task_id_created_at") + " ON " + id("comments") + " (" + id("task_id") + ", " +
            id("created_at") + " DESC)",
    };
    CHECK(sql_of(advice) == expected);
    REQUIRE(advice.size() == 4);
    CHECK(advice[0].level == 1);
    CHECK(advice[1].level == 1);  // the root's EXISTS filter
    CHECK(advice[2].level == 2);
    CHECK(advice[2].columns == std::vector<std::string>{"project_id", "priority DESC", "created_at DESC"});
    CHECK(advice[3].level == 3);
    // An existing index that starts with the advised columns covers it; a shorter one does not.
    detail::execute(db, "CREATE INDEX my_comments ON " + id("comments") + " (" + id("task_id") + ", " + id("created_at") +
                            ", " + id("author_id") + ")");
    detail::execute(db, "CREATE INDEX my_tasks ON " + id("tasks") + " (" + id("project_id") + ")");
    const auto again = advise_indexes(q, db);
    CHECK(sql_of(again) == std::vector<std::string>{expected[0], expected[1], expected[2]});
}

EAGERLOAD_TEST("index advisor: after applying the advice, no child level of the dashboard scans a table fully") {
    create_bare_schema(db);
    dash::sizes s;
    s.users = 20000;
    s.projects = 1500;
    s.tasks_per_project = 16;
    s.comments_per_task = 4;
    s.members_per_project = 6;
    dash::insert(db, dash::generate(7, s));
    // Without statistics PostgreSQL guesses the joined users table small and hashes it
    // whole (a Seq Scan) even with the indexes in place.
    for (const char* t : {"users", "projects", "project_members", "tasks", "comments"}) eagerload_test::analyze(db, t);
    const auto q = dash::dashboard_query(1);

    const auto before = explain(q, db);
    REQUIRE(before.size() == 4);
    for (std::size_t l = 1; l < before.size(); ++l) {
        INFO("level " << l + 1 << ":\n" << before[l].raw);
        CHECK(before[l].full_scan());
    }
    const auto advice = advise_indexes(q, db);
    REQUIRE(advice.size() == 4);
    for (const index_advice& a : advice) detail::execute(db, a.sql);

    const auto after = explain(q, db);
    REQUIRE(after.size() == 4);
    for (std::size_t l = 1; l < after.size(); ++l) {
        INFO("level " << l + 1 << ":\n" << after[l].raw);
        CHECK_FALSE(after[l].full_scan());
    }
    CHECK(advise_indexes(q, db).empty());  // covered now
}

TEST_CASE("index advisor: names stay within PostgreSQL's 63 characters, deterministically") {
    auto db = database::open("sqlite::memory:");
    create_table<Project>(db);
    create_table<Milestone>(db);
    constexpr auto milestones = has_many<&Milestone::project_identifier, &Project::id>;
    const auto q = select<Project>().prefetch(
        milestones,
        select<Milestone>().order_by(desc<&Milestone::importance_ranking>, asc<&Milestone::milestone_description>));
    const auto advice = advise_indexes(q, db);
    REQUIRE(advice.size() == 1);
    // el_project_milestones_of_the_quarter_project_identifier_importance_ranking_milestone_description: cut, with a hash.
    CHECK(advice[0].name.size() == 63);
    CHECK(advice[0].name.starts_with("el_project_milestones_of_the_quarter_project_identifie_"));
    CHECK(advice[0].name == advise_indexes(q, db)[0].name);
    CHECK(advice[0].columns ==
          std::vector<std::string>{"project_identifier", "importance_ranking DESC", "milestone_description"});
    detail::execute(db, advice[0].sql);
    CHECK(advise_indexes(q, db).empty());
}
