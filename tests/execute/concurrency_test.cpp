// Many threads load dashboards through ONE database handle with a pool of sessions,
// for a fixed time: every graph equals the one a single thread loaded, and the query
// counters add up (the database-scope count is the sum of the threads' own counts,
// and the sum over loads of the statements each load ran alone: 4 for a full
// dashboard, fewer when a level has no parent rows).
//
// EAGERLOAD_CONCURRENCY_THREADS (default 64) and EAGERLOAD_CONCURRENCY_SECONDS
// (default 3, fractions allowed) size the run: CI keeps the default, a soak run sets
// e.g. 30 seconds:
//   EAGERLOAD_CONCURRENCY_SECONDS=30 build/tests/eagerload_tests -tc='many threads*'
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <latch>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/dashboard_query.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

namespace {

constexpr std::size_t pool_sessions = 8;

// A positive number from the environment, or `fallback` when the variable is unset or
// empty; anything else is an error (a typo must not turn a soak run into a short one).
double env_number(const char* name, double fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const double d = std::strtod(v, &end);
    if (*end != '\0' || !(d > 0))
        throw std::invalid_argument(std::string(name) + "=\"" + v + "\": expected a positive number");
    return d;
}

struct tally {
    std::size_t loads = 0;
    std::vector<std::size_t> loads_of;  // per user
    std::size_t expected_statements = 0;
    std::size_t counted = 0;  // this thread's counter_scope::this_thread counter
    std::size_t mismatches = 0;
    std::string first_mismatch;
    std::string error;
};

}  // namespace

EAGERLOAD_TEST("many threads loading dashboards through one pooled handle get the single-threaded graphs, and "
               "the counters add up") {
    const auto n_threads = static_cast<std::size_t>(env_number("EAGERLOAD_CONCURRENCY_THREADS", 64));
    const std::chrono::duration<double> run_for(env_number("EAGERLOAD_CONCURRENCY_SECONDS", 3));
    REQUIRE(n_threads >= 1);

    sizes s;
    s.users = 40;
    s.projects = 30;
    s.tasks_per_project = 12;
    s.comments_per_task = 6;
    s.members_per_project = 8;
    create_schema(db);
    insert(db, generate(2024, s));

    // The one handle every thread shares; fewer sessions than threads, so they queue.
    const database shared = ctx.open(pool_sessions);
    REQUIRE(shared.pool_size() == pool_sessions);

    // One query per user, built once and shared (const) by every thread; the graph each
    // loads when nothing else runs, and the statements that load ran.
    using query_type = decltype(dashboard_query(1));
    std::vector<query_type> queries;
    std::vector<std::string> expected;
    std::vector<std::vector<std::string>> expected_sql;
    std::size_t full = 0;
    for (std::int64_t u = 1; u <= s.users; ++u) {
        queries.push_back(dashboard_query(u));
        query_counter alone(shared);
        expected.push_back(to_text(queries.back().load(shared)));
        expected_sql.push_back(alone.statements());
        full += expected_sql.back().size() == 4;
    }
    // The graphs compared are not trivially empty: most users' dashboards have
    // projects, tasks and comments (all 4 statements ran).
    CHECK(full >= queries.size() / 2);

    // Every load runs statements of the same plan (the user is a bound value, not SQL
    // text), the root first, in the plan's order, fewer only when a level had no parent
    // rows.
    const std::vector<std::string> plan = queries.front().plan(shared.sql_dialect()).statements;
    REQUIRE(plan.size() == 4);
    for (std::size_t u = 0; u < queries.size(); ++u) {
        CAPTURE(u);
        REQUIRE(queries[u].plan(shared.sql_dialect()).statements == plan);
        REQUIRE(expected_sql[u].size() >= 1);
        REQUIRE(expected_sql[u][0] == plan[0]);
        auto next = plan.begin();
        for (const auto& sql : expected_sql[u]) {
            next = std::find(next, plan.end(), sql);
            REQUIRE(next != plan.end());
            ++next;
        }
    }

    std::vector<tally> tallies(n_threads);
    std::atomic<bool> stop{false};
    std::latch ready(static_cast<std::ptrdiff_t>(n_threads) + 1);
    query_counter everyone(shared);  // counter_scope::database: every thread's statements
    std::vector<std::thread> threads;
    threads.reserve(n_threads);
    for (std::size_t t = 0; t < n_threads; ++t)
        threads.emplace_back([&, t] {
            tally& mine = tallies[t];
            mine.loads_of.assign(queries.size(), 0);
            try {
                query_counter own(shared, counter_scope::this_thread);
                ready.arrive_and_wait();
                // At least one load each, then until told to stop; neighbours start on
                // different users and walk them in different orders.
                do {
                    const std::size_t u = (t * 7 + mine.loads * (1 + 2 * (t % 5))) % queries.size();
                    const std::string got = to_text(queries[u].load(shared));
                    if (got != expected[u] && mine.mismatches++ == 0)
                        mine.first_mismatch = "user " + std::to_string(u + 1) + ": expected\n" + expected[u] +
                                              "got\n" + got;
                    ++mine.loads;
                    ++mine.loads_of[u];
                    mine.expected_statements += expected_sql[u].size();
                } while (!stop.load(std::memory_order_relaxed));
                mine.counted = own.count();
            } catch (const std::exception& e) {
                mine.error = e.what();
            }
        });
    const auto started = std::chrono::steady_clock::now();
    ready.arrive_and_wait();
    std::this_thread::sleep_for(run_for);
    stop = true;
    for (auto& th : threads) th.join();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;

    std::size_t loads = 0, counted = 0, expected_statements = 0;
    std::map<std::string, std::size_t> expected_per_statement;
    for (std::size_t t = 0; t < n_threads; ++t) {
        CAPTURE(t);
        const tally& r = tallies[t];
        CHECK_MESSAGE(r.error.empty(), r.error);
        CHECK_MESSAGE(r.mismatches == 0, r.first_mismatch);
        CHECK(r.loads >= 1);
        // this_thread: exactly its own statements, as many as its loads ran alone
        CHECK(r.counted == r.expected_statements);
        loads += r.loads;
        counted += r.counted;
        expected_statements += r.expected_statements;
        for (std::size_t u = 0; u < r.loads_of.size(); ++u)
            for (const auto& sql : expected_sql[u]) expected_per_statement[sql] += r.loads_of[u];
    }
    MESSAGE(n_threads << " threads, " << pool_sessions << " sessions: " << loads << " loads in " << took.count()
                      << " s");

    // The database-scope counter saw every thread's statements, no more, no fewer...
    const std::vector<std::string> seen = everyone.statements();
    CHECK(seen.size() == counted);
    CHECK(seen.size() == expected_statements);
    CHECK(expected_statements > 3 * loads);  // mostly full dashboards: close to loads x 4
    // ...and each plan statement as many times as the loads that ran it alone.
    std::map<std::string, std::size_t> per_statement;
    for (const auto& sql : seen) ++per_statement[sql];
    CHECK(per_statement == expected_per_statement);
    CHECK(per_statement[plan[0]] == loads);  // the root statement: once per load
}
