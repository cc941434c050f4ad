// Unused eager loads (n_plus_one_detector with unused_loads): a relation joined or
// prefetched in the scope and never read through node[...] is reported by path and
// call site, once read anywhere (an empty list, one node) it is not; nested levels,
// strict mode, the safelist, off by default; no false positive on eager scenarios that
// read what they load.
#include <stdexcept>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/dashboard_query.hpp"
#include "eagerload/aggregate.hpp"
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
detector_options tracking(std::vector<std::string> safelist = {}) {
    return {.safelist = std::move(safelist), .write = [](const std::string&) {}, .unused_loads = true};
}
const char* const here = "tooling/unused_loads_test.cpp";
}  // namespace

EAGERLOAD_TEST("an unused prefetch is reported with its relation path, call-site line and advice") {
    seeded(db);
    std::vector<std::string> written;
    unsigned load_line = 0;
    {
        n_plus_one_detector detect(db, {.write = [&](const std::string& r) { written.push_back(r); },
                                        .unused_loads = true});
        load_line = __LINE__ + 1;
        const auto projects = select<Project>().order_by(asc<&Project::id>).prefetch(tasks).load(db);
        REQUIRE_FALSE(projects.empty());
        for (const auto& p : projects) CHECK_FALSE(p.name.empty());  // the rows, not their tasks
        const auto found = detect.unused_loads();
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "projects.tasks");
        CHECK(found[0].relation == "tasks");
        CHECK_FALSE(found[0].joined);
        CHECK(found[0].file == here);
        CHECK(found[0].line == load_line);
        CHECK(found[0].loads == 1);
        CHECK(found[0].advice == "drop .prefetch(tasks) from the query that loads projects, or read it");
        CHECK(detect.findings().empty());  // no N+1
    }
    REQUIRE(written.size() == 1);  // log mode: the report at scope end
    const std::string site = std::string(here) + ":" + std::to_string(load_line);
    CHECK(written[0].starts_with("eagerload: unused eager loads in the scope opened at " + std::string(here) + ":"));
    CHECK(written[0].find(": 1 relation loaded and never read\n1) projects.tasks: prefetched by the load at " + site +
                          " (") != std::string::npos);
    CHECK(written[0].ends_with(", never read\n   drop .prefetch(tasks) from the query that loads projects, or read it\n"));
}

EAGERLOAD_TEST("a relation read once clears it: an empty list, or on one node only") {
    seeded(db);
    {
        n_plus_one_detector detect(db, tracking());
        // No task has this priority: every list is empty, and reading one counts.
        const auto projects =
            select<Project>().order_by(asc<&Project::id>).prefetch(tasks, select<Task>().where(col<&Task::priority> > 1000)).load(db);
        REQUIRE_FALSE(projects.empty());
        CHECK(detect.unused_loads().size() == 1);
        CHECK(projects.front()[tasks].empty());
        CHECK(detect.unused_loads().empty());
    }
    {
        n_plus_one_detector detect(db, tracking());
        auto projects = select<Project>().order_by(asc<&Project::id>).join(owner).load(db);
        REQUIRE(projects.size() > 1);
        CHECK(projects.back()[owner].id > 0);  // the last node only, through the non-const operator[]
        CHECK(detect.unused_loads().empty());
    }
    {  // a load whose root has no rows registers nothing: nothing could be read
        n_plus_one_detector detect(db, tracking());
        CHECK(select<Project>().where(col<&Project::id> < 0).prefetch(tasks).join(owner).load(db).empty());
        CHECK(detect.unused_loads().empty());
    }
}

EAGERLOAD_TEST("an unused nested level under a used one, and joins beside prefetches") {
    seeded(db);
    {
        n_plus_one_detector detect(db, tracking());
        const auto projects = select<Project>().prefetch(tasks, select<Task>().prefetch(comments)).load(db);
        std::size_t n = 0;
        for (const auto& p : projects) n += p[tasks].size();
        REQUIRE(n > 0);
        const auto found = detect.unused_loads();
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "projects.tasks.comments");
        CHECK(found[0].advice == "drop .prefetch(comments) from the query that loads tasks, or read it");
    }
    {
        n_plus_one_detector detect(db, tracking());
        const auto projects =
            select<Project>().join(owner).prefetch(members, select<ProjectMember>().join(member_user)).load(db);
        std::size_t n = 0;
        for (const auto& p : projects) n += p[members].size();
        REQUIRE(n > 0);
        const auto found = detect.unused_loads();
        REQUIRE(found.size() == 2);  // in query order
        CHECK(found[0].path == "projects.owner");
        CHECK(found[0].joined);
        CHECK(found[0].advice == "drop .join(owner) from the query that loads projects, or read it");
        CHECK(found[1].path == "projects.members.member_user");
        CHECK(found[1].joined);
        CHECK(found[1].advice == "drop .join(member_user) from the query that loads project_members, or read it");
    }
    {  // the same call site twice (a loop): one finding, with its count of loads
        n_plus_one_detector detect(db, tracking());
        unsigned line = 0;
        for (int i = 0; i < 3; ++i) {
            line = __LINE__ + 1;
            (void)select<Task>().order_by(asc<&Task::id>).limit(5).join(project).load(db);
        }
        const auto found = detect.unused_loads();
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "tasks.task_project");  // the name it was declared with (dashboard/model.hpp)
        CHECK(found[0].line == line);
        CHECK(found[0].loads == 3);
    }
}

EAGERLOAD_TEST("raise mode throws when the scope ends, naming the relation and the call site") {
    seeded(db);
    unsigned line = 0;
    try {
        n_plus_one_detector strict(db, {.mode = detector_mode::raise, .unused_loads = true});
        line = __LINE__ + 1;
        const auto tasks_ = select<Task>().order_by(asc<&Task::id>).limit(5).join(assignee).load(db);
        REQUIRE(tasks_.size() == 5);
    } catch (const unused_load_error& e) {
        const std::string what = e.what();
        CHECK(what.starts_with("eagerload: unused eager load in the scope opened at " + std::string(here) + ":"));
        CHECK(what.find("1) tasks.assignee: joined by the load at " + std::string(here) + ":" + std::to_string(line)) !=
              std::string::npos);
        CHECK(what.find("drop .join(assignee) from the query that loads tasks") != std::string::npos);
        line = 0;
    }
    CHECK(line == 0);  // it threw
    // An exception already on its way is not replaced.
    CHECK_THROWS_AS(
        [&] {
            n_plus_one_detector strict(db, {.mode = detector_mode::raise, .unused_loads = true});
            (void)select<Task>().limit(5).join(assignee).load(db);
            throw std::runtime_error("the application's own error");
        }(),
        std::runtime_error);
    // Read: no throw.
    CHECK_NOTHROW([&] {
        n_plus_one_detector strict(db, {.mode = detector_mode::raise, .unused_loads = true});
        for (const auto& t : select<Task>().limit(5).join(assignee).load(db)) (void)t[assignee];
    }());
}

EAGERLOAD_TEST("the safelist silences an unused load by its path or a tail of it") {
    seeded(db);
    {
        n_plus_one_detector detect(db, tracking({"projects.tasks"}));
        (void)select<Project>().prefetch(tasks).load(db);
        CHECK(detect.unused_loads().empty());
        CHECK(detect.report().empty());
    }
    {
        n_plus_one_detector detect(db, tracking({"tasks.comments"}));
        const auto projects = select<Project>().join(owner).prefetch(tasks, select<Task>().prefetch(comments)).load(db);
        const auto found = detect.unused_loads();
        REQUIRE(found.size() == 2);  // owner and tasks are not silenced; "s.comments" is no tail
        CHECK(found[0].path == "projects.owner");
        CHECK(found[1].path == "projects.tasks");
    }
    {
        n_plus_one_detector detect(db, tracking({"s.comments"}));
        const auto projects = select<Project>().prefetch(tasks, select<Task>().prefetch(comments)).load(db);
        for (const auto& p : projects) (void)p[tasks];
        REQUIRE(detect.unused_loads().size() == 1);
    }
}

EAGERLOAD_TEST("off by default: nothing is registered, no read is recorded") {
    seeded(db);
    n_plus_one_detector detect(db, {.write = [](const std::string&) {}});
    CHECK(detail::tracking_reads == 0);
    const auto projects = select<Project>().prefetch(tasks).join(owner).load(db);
    REQUIRE_FALSE(projects.empty());
    CHECK(detail::reads_recorded() == 0);
    (void)projects.front()[tasks];
    CHECK(detail::reads_recorded() == 0);
    CHECK(detect.unused_loads().empty());
    CHECK(detect.report().empty());
    {
        n_plus_one_detector on(db, tracking());
        CHECK(detail::tracking_reads == 1);
        (void)projects.front()[tasks];
        (void)projects.front()[tasks];  // the same read again: one record
        (void)projects.front()[owner];
        CHECK(detail::reads_recorded() == 2);
    }
    CHECK(detail::tracking_reads == 0);
    CHECK(detail::reads_recorded() == 0);  // the last scope on the thread clears them
}

EAGERLOAD_TEST("no false positive on eager scenarios that read what they load") {
    const std::int64_t user = seeded(db);
    const auto strict = [] { return detector_options{.mode = detector_mode::raise, .unused_loads = true}; };
    CHECK_NOTHROW([&] {
        n_plus_one_detector d(db, strict());
        CHECK_FALSE(to_text(dashboard_query(user).load(db)).empty());
    }());
    CHECK_NOTHROW([&] {
        n_plus_one_detector d(db, strict());
        CHECK_FALSE(to_text(::dashboard::dashboard_query(false, user).load(db)).empty());
    }());
    CHECK_NOTHROW([&] {
        n_plus_one_detector d(db, strict());
        std::size_t n = 0;
        for (const auto& p : select<Project>().prefetch(tasks, select<Task>().prefetch(comments)).prefetch(members).load(db)) {
            n += p[members].size();
            for (const auto& t : p[tasks]) n += t[comments].size();
        }
        CHECK(n > 0);
    }());
    CHECK_NOTHROW([&] {
        n_plus_one_detector d(db, strict());
        std::size_t n = 0;
        for (const auto& p : select<Project>().prefetch(member_users).load(db)) n += p[member_users].size();
        CHECK(n > 0);
    }());
}

// The report docs/testing.md shows ("Unused eager loads"), exactly, on every backend.
EAGERLOAD_TEST("the unused-load report of docs/testing.md") {
    seeded(db);
    std::string report;
    unsigned scope_line = 0, load_line = 0;
    {
        scope_line = __LINE__ + 1;
        n_plus_one_detector detector(db, {.write = [&](const std::string& r) { report = r; }, .unused_loads = true});
        load_line = __LINE__ + 1;
        auto projects = select<Project>().join(owner).prefetch(tasks, select<Task>().join(assignee)).load(db);
        std::size_t n = 0;
        for (const auto& p : projects)
            for (const auto& t : p[tasks]) n += p.name.size() + t.title.size();  // never p[owner], t[assignee]
        REQUIRE(n > 0);
    }
    const std::string at = std::string(here) + ":" + std::to_string(load_line);
    CHECK(report.starts_with("eagerload: unused eager loads in the scope opened at " + std::string(here) + ":" +
                             std::to_string(scope_line) + " ("));
    CHECK(report.find("): 2 relations loaded and never read\n"
                      "1) projects.owner: joined by the load at " + at) != std::string::npos);
    CHECK(report.find(", never read\n   drop .join(owner) from the query that loads projects, or read it\n"
                      "2) projects.tasks.assignee: joined by the load at " + at) != std::string::npos);
    CHECK(report.ends_with(", never read\n   drop .join(assignee) from the query that loads tasks, or read it\n"));
}

EAGERLOAD_TEST("keyed pages register what they load, like load(), with their call site") {
    seeded(db);
    n_plus_one_detector detect(db, tracking());
    const auto q = select<Project>().order_by(asc<&Project::id>).join(owner);
    const unsigned line = __LINE__ + 1;
    const auto first = q.page(db, 5);
    REQUIRE(first.rows.size() == 5);
    REQUIRE(first.next_token);
    const unsigned after_line = __LINE__ + 1;
    (void)q.page_after(db, 5, first.rows.back());
    auto found = detect.unused_loads();
    REQUIRE(found.size() == 2);  // two call sites
    CHECK(found[0].path == "projects.owner");
    CHECK(found[0].line == line);
    CHECK(found[1].line == after_line);
    CHECK(first.rows.front()[owner].id > 0);  // the first page's node: clears that load only
    found = detect.unused_loads();
    REQUIRE(found.size() == 1);
    CHECK(found[0].line == after_line);
}

EAGERLOAD_TEST("an unnamed relation is reported by its kind, tables and columns") {
    seeded(db);
    n_plus_one_detector detect(db, tracking());
    REQUIRE_FALSE(select<Project>().prefetch(member_users).load(db).empty());  // not in EAGERLOAD_NAME_RELATIONS
    const auto found = detect.unused_loads();
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "projects.(many_to_many projects.id -> users.id)");
    CHECK(found[0].advice ==
          "drop .prefetch((many_to_many projects.id -> users.id)) from the query that loads projects, or read it");
}

EAGERLOAD_TEST("two loads of one query type: reading one's relation does not clear the other's") {
    seeded(db);
    n_plus_one_detector detect(db, tracking());
    const auto q = select<Project>().order_by(asc<&Project::id>).prefetch(tasks);
    const auto shown = q.load(db);
    const unsigned unread_line = __LINE__ + 1;
    const auto unread = q.load(db);  // same node type, never read
    REQUIRE(shown.size() == unread.size());
    std::size_t n = 0;
    for (const auto& p : shown) n += p[tasks].size();
    REQUIRE(n > 0);
    const auto found = detect.unused_loads();
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "projects.tasks");
    CHECK(found[0].line == unread_line);
    (void)unread.back()[tasks];
    CHECK(detect.unused_loads().empty());
}

EAGERLOAD_TEST("a relation read on a copy of a node counts as read: no false positive") {
    seeded(db);
    n_plus_one_detector detect(db, tracking());
    const auto projects = select<Project>().order_by(asc<&Project::id>).prefetch(tasks).load(db);
    REQUIRE_FALSE(projects.empty());
    const auto copy = projects.front();  // another address than any node the load returned
    CHECK(detect.unused_loads().size() == 1);
    (void)copy[tasks];
    CHECK(detect.unused_loads().empty());
}

EAGERLOAD_TEST("an unread aggregate is reported with its advice, a read one is not") {
    seeded(db);
    using agg::count;
    using agg::max;
    {
        n_plus_one_detector detect(db, tracking());
        const unsigned line = __LINE__ + 1;
        const auto projects = select<Project>().aggregate(count(tasks)).aggregate(max<&Task::priority>(tasks)).load(db);
        REQUIRE_FALSE(projects.empty());
        auto found = detect.unused_loads();
        REQUIRE(found.size() == 2);  // in query order
        CHECK(found[0].path == "projects.count(tasks)");
        CHECK(found[0].relation == "count(tasks)");
        CHECK(found[0].aggregated);
        CHECK_FALSE(found[0].joined);
        CHECK(found[0].line == line);
        CHECK(found[0].advice == "drop .aggregate(count(tasks)) from the query that loads projects, or read it");
        CHECK(found[1].path == "projects.max(tasks.priority)");
        CHECK(found[1].advice == "drop .aggregate(max(tasks.priority)) from the query that loads projects, or read it");
        CHECK(projects.front()[count(tasks)] >= 0);
        found = detect.unused_loads();
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "projects.max(tasks.priority)");
        const std::string report = detect.report();
        CHECK(report.find("1) projects.max(tasks.priority): aggregated by the load at ") != std::string::npos);
    }
    {  // an aggregate on a prefetched level, beside a prefetch of the same relation
        n_plus_one_detector detect(db, tracking());
        const auto projects =
            select<Project>().prefetch(tasks, select<Task>().aggregate(count(comments)).prefetch(comments)).load(db);
        std::size_t n = 0;
        for (const auto& p : projects)
            for (const auto& t : p[tasks]) n += t[comments].size() + static_cast<std::size_t>(t[count(comments)]);
        REQUIRE(n > 0);
        CHECK(detect.unused_loads().empty());
    }
}
