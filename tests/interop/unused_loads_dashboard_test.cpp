// The dashboard example under the unused-eager-load detector: its eager strategy reads
// every relation it loads, in every variant (what `dashboard --detect` prints).
#include <string>

#include "../support/backend.hpp"
#include "../support/example_dashboard.hpp"
#include "dashboard.hpp"
#include "dashboard/query.hpp"
#include "eagerload/detector.hpp"

using namespace dashboard;

EAGERLOAD_TEST("the dashboard's eager strategy reads every relation it loads, in every variant") {
    const config cfg = eagerload_test::small_example_dashboard();
    create_schema(db);
    generate(db, cfg);
    for (const variant v : {variant::full, variant::limited, variant::summary}) {
        CAPTURE(to_string(v));
        std::string report = "(none)";
        {
            eagerload::n_plus_one_detector detector(
                db, {.write = [&](const std::string& r) { report = r; }, .unused_loads = true});
            CHECK_FALSE(load(strategy::eager, v, db, 1).dashboard.empty());
            CHECK(detector.unused_loads().empty());
        }
        CHECK(report == "(none)");  // log mode wrote nothing
    }
    // Loads that are not read are found (so the check above can fail).
    eagerload::n_plus_one_detector detector(db, {.write = [](const std::string&) {}, .unused_loads = true});
    (void)dashboard_query(true, 1).load(db);
    const auto found = detector.unused_loads();
    REQUIRE(found.size() == 7);  // every relation of the query, in query order
    CHECK(found[0].path == "projects.owner");
    CHECK(found[4].path == "projects.tasks.comments.author");
    CHECK(found[6].path == "projects.members.member_user");
}
