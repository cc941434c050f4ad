// The dashboard example under the N+1 detector: the naive strategy trips it, each of
// its per-row lookups with the right relation to load eagerly; the eager one does not.
#include <string>

#include "../support/backend.hpp"
#include "../support/example_dashboard.hpp"
#include "dashboard.hpp"
#include "eagerload/detector.hpp"

using namespace dashboard;

EAGERLOAD_TEST("the naive dashboard trips the N+1 detector with the right advice: the eager one does not") {
    const config cfg = eagerload_test::small_example_dashboard();
    create_schema(db);
    generate(db, cfg);
    {
        eagerload::n_plus_one_detector detector(db, {.write = [](const std::string&) {}});
        load(strategy::eager, variant::limited, db, 1);
        CHECK(detector.findings().empty());
        CHECK(detector.report().empty());
    }
    eagerload::n_plus_one_detector detector(db, {.write = [](const std::string&) {}});
    load(strategy::naive, variant::limited, db, 1);
    const auto found = detector.findings();
    REQUIRE(found.size() == 4);  // users by id (4 call sites), tasks, comments, members by parent
    const std::string users = ctx.quoted("users") + "." + ctx.quoted("id") + " = ";
    for (const auto& f : found) {
        CHECK(f.count > 5);
        for (const auto& s : f.sites) {
            CHECK(s.file == "dashboard/naive.cpp");
            CHECK(s.function == "dashboard::load_naive");
        }
    }
    const auto advice_for = [&](const char* table) {
        for (const auto& f : found)
            if (f.shape.find("FROM " + ctx.quoted(table)) != std::string::npos && f.sites.size() == 1)
                return f.sites[0].advice;
        return std::string("(not found)");
    };
    CHECK(advice_for("tasks").find("add .prefetch(tasks) to the query that loads projects") != std::string::npos);
    CHECK(advice_for("comments").find("add .prefetch(comments) to the query that loads tasks") != std::string::npos);
    CHECK(advice_for("project_members").find("add .prefetch(members) to the query that loads projects") !=
          std::string::npos);
    // The one users-by-key shape comes from four lines: each gets its own relation.
    for (const auto& f : found) {
        if (f.shape.find(users) == std::string::npos) continue;
        REQUIRE(f.sites.size() == 4);
        std::string all;
        for (const auto& s : f.sites) {
            CHECK(s.advice.find(" one of ") == std::string::npos);  // never ambiguous here
            all += s.advice + "\n";
        }
        for (const char* r : {".join(owner)", ".join(assignee)", ".join(author)", ".join(member_user)"})
            CHECK(all.find(r) != std::string::npos);
    }
}
