// The dashboard's keyed pages (dashboard --page-size N --after TOKEN --next-token FILE,
// examples/dashboard/eager.cpp load_eager_page): paging through all of a user's
// projects visits each exactly once, in order, ties included, each page with its
// tasks, comments and members, on every backend.
#include <set>
#include <string>

#include "../support/backend.hpp"
#include "dashboard.hpp"
#include "eagerload/detail/execute.hpp"

using namespace dashboard;

namespace {
// The view's JSON without its brackets: pages concatenate to the whole list's.
std::string items(const view& v) {
    const std::string j = to_json(v);
    return j.substr(1, j.size() - 2);
}
}  // namespace

EAGERLOAD_TEST("dashboard keyed pages visit each of the user's projects once in order, ties included") {
    create_schema(db);
    config c;
    c.users = 40;
    c.projects = 30;
    c.member_projects = 23;
    c.tasks_per_project = 6;
    c.comments_per_task = 3;
    generate(db, c);
    // Ties in the first order key (updated_at desc): projects share a few instants.
    eagerload::detail::execute(db, "UPDATE projects SET updated_at = '2026-01-01 10:00:00' WHERE id % 3 = 0");
    eagerload::detail::execute(db, "UPDATE projects SET updated_at = '2026-01-02 10:00:00' WHERE id % 3 = 1");

    for (const variant v : {variant::limited, variant::full}) {
        const page_result whole = load_eager_page(v, db, c.user_id, 1000, "");
        CHECK_FALSE(whole.next_token);
        REQUIRE(whole.page.dashboard.size() == static_cast<std::size_t>(c.member_projects));
        // The first page is today's dashboard.
        CHECK(to_json(load_eager_page(v, db, c.user_id, 20, "").page.dashboard) == to_json(load(strategy::eager, v, db, c.user_id).dashboard));

        for (std::size_t size : {std::size_t{1}, std::size_t{4}, std::size_t{23}}) {
            std::string token, joined;
            std::set<std::int64_t> seen;
            std::size_t pages = 0;
            for (;;) {
                const page_result p = load_eager_page(v, db, c.user_id, size, token);
                ++pages;
                CHECK(p.page.statements == (p.page.dashboard.empty() ? 1u : 4u));
                for (const auto& pv : p.page.dashboard) CHECK(seen.insert(pv.id).second);  // once
                if (!p.page.dashboard.empty()) {
                    if (!joined.empty()) joined += ',';
                    joined += items(p.page.dashboard);
                }
                if (!p.next_token) break;
                token = *p.next_token;
                REQUIRE(pages < 100);
            }
            CHECK(pages == (static_cast<std::size_t>(c.member_projects) + size - 1) / size);
            joined.insert(joined.begin(), '[');
            joined += ']';
            CHECK(joined == to_json(whole.page.dashboard));  // in order, with everything below
        }
    }
}
