// The story's dashboard (examples/dashboard) loaded naively (N+1), eagerly, by
// hand-written SOCI and, on PostgreSQL, by hand-written raw libpq (the C floor), across
//
//   backend   sqlite (a temporary file) | postgresql ($EAGERLOAD_BENCH_POSTGRES, a libpq
//             key=value conninfo; skipped with a note on stderr when unset) | mariadb
//             ($EAGERLOAD_BENCH_MARIADB, SOCI's MySQL form "user=root host=127.0.0.1
//             port=3306", no db=: one database per scale; skipped with a note when unset)
//   scale     default (tasks_per_project 50) | 10x (tasks_per_project 500)
//   variant   full | limited (top 10 tasks per project, top 5 comments per task) |
//             summary (limited, plus each project's task count and each task's comment count)
//   strategy  naive | eager | handwritten | libpq (PostgreSQL only: prepared statements on
//             a PQconnectdb connection of its own, from the same conninfo)
//   rtt       PostgreSQL: rtt0 (loopback) and rtt0.5 (through latency_proxy, 250 us each
//             way); SQLite is in-process and MariaDB runs on loopback only: always rtt0
//
// Benchmark names: dashboard/<backend>/<scale>/<variant>/<strategy>/rtt<ms>, to which Google
// Benchmark appends "/real_time". Counters: statements (per load), rows (projects + members
// + tasks + comments in the dashboard), rows_per_second, peak_rss_mb (VmHWM; reset at the
// start of each benchmark when the kernel allows it, see peak_rss_reset), peak_growth_mb
// (VmHWM minus VmRSS before the benchmark: what the loads added at their peak), rss_growth_mb
// (VmRSS with the last loaded dashboard still alive minus VmRSS before the benchmark),
// rtt_ms (what the proxy adds per round trip: 0 or 0.5). The label repeats the dimensions.
//
// Each dataset is generated once per (backend, scale); PostgreSQL keeps each scale in its
// own schema, MariaDB in its own database (eagerload_bench_dashboard_<scale>), dropped at
// exit. Before anything is
// timed, every strategy's dashboard is compared (dashboard::to_json) with the eager one:
// the program aborts on a difference.
//
// Iterations: Google Benchmark's own, so any load slower than --benchmark_min_time (0.5 s)
// runs exactly once per repetition. The cap: a naive benchmark whose estimated time (one
// load's, times --benchmark_repetitions) exceeds $EAGERLOAD_BENCH_MAX_SECONDS (default 120)
// is reported as an error ("too slow: ...") that gives the estimate, without running. The
// estimate: the load's time during the check above, plus, through the proxy, its
// statements x what the proxy adds to one statement (measured at start-up). With one
// repetition the slowest (naive/10x/full/rtt0.5, ~120k statements) runs once; with 5 it is
// skipped.
// EAGERLOAD_BENCH_QUICK=1: scales / 10, --benchmark_min_time=0.05 and a 5 s cap, for smoke
// runs.
// EAGERLOAD_BENCH_KEEP=1: keep the PostgreSQL schemas and MariaDB databases at exit.
//
//   export EAGERLOAD_BENCH_POSTGRES="host=127.0.0.1 port=5432 dbname=bench user=bench"
//   bench_dashboard --benchmark_out=dashboard.json --benchmark_out_format=json
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <eagerload/database.hpp>
#include <eagerload/select.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "dashboard.hpp"
#include "latency_proxy.hpp"
#include "model.hpp"

namespace {

using bench_support::env_flag;
using bench_support::reset_peak_rss;
using bench_support::selected;
using bench_support::status_mb;

using dashboard::strategy;
using dashboard::variant;
using seconds_d = std::chrono::duration<double>;

constexpr std::chrono::microseconds one_way_delay{250};  // 0.5 ms round trip
constexpr const char* delayed_rtt_name = "rtt0.5";

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "bench_dashboard: %s\n", message.c_str());
    std::fflush(stderr);
    std::abort();
}

void note(const std::string& message) {
    std::fprintf(stderr, "bench_dashboard: %s\n", message.c_str());
    std::fflush(stderr);
}

// ------------------------------------------------------------------ datasets
struct scale_def {
    std::string name;
    int tasks_per_project;
};

struct reference {
    bool measured = false;
    std::size_t statements = 0, rows = 0;
    double seconds = 0;  // one direct load, during the check
};

struct dataset {
    std::string backend, scale;
    dashboard::config cfg;
    dashboard::row_counts counts{};
    std::unique_ptr<eagerload::database> direct, delayed;  // delayed: PostgreSQL through the proxy
    // PostgreSQL: the libpq strategy's own connections (direct, through the proxy).
    std::unique_ptr<dashboard::libpq_connection> pq_direct, pq_delayed;
    reference refs[3][4];                                  // [variant][strategy]
    std::string sqlite_path, pg_schema, mariadb_database;
};

const std::vector<variant> variants{variant::full, variant::limited, variant::summary};
const std::vector<strategy> strategies{strategy::naive, strategy::eager, strategy::handwritten, strategy::libpq};

std::string bench_name(const std::string& backend, const std::string& scale, variant v, strategy s,
                       const std::string& rtt) {
    std::string name = "dashboard/";
    name += backend;
    name += '/';
    name += scale;
    name += '/';
    name += dashboard::to_string(v);
    name += '/';
    name += dashboard::to_string(s);
    name += '/';
    name += rtt;
    return name;
}

std::size_t count_rows(const dashboard::view& view) {
    std::size_t n = 0;
    for (const auto& p : view) {
        n += 1 + p.members.size() + p.tasks.size();
        for (const auto& t : p.tasks) n += t.comments.size();
    }
    return n;
}

// One statement on a session of db's pool (administration: no eagerload statement for it).
void run_sql(const eagerload::database& db, const std::string& sql) {
    soci::connection_pool& pool = db.soci_pool();
    const std::size_t slot = pool.lease();
    try {
        pool.at(slot) << sql;
    } catch (...) {
        pool.give_back(slot);
        throw;
    }
    pool.give_back(slot);
}

// Fresh statistics, as a maintained database has them.
void analyze(const dataset& d) {
    if (d.backend == "mariadb") run_sql(*d.direct, "ANALYZE TABLE users, projects, project_members, tasks, comments");
    else run_sql(*d.direct, "ANALYZE");
}

void fill(dataset& d) {
    dashboard::drop_schema(*d.direct);
    dashboard::create_schema(*d.direct);
    const auto t0 = std::chrono::steady_clock::now();
    d.counts = dashboard::generate(*d.direct, d.cfg);
    analyze(d);
    const double s = seconds_d(std::chrono::steady_clock::now() - t0).count();
    note(fmt::format("{}/{}: generated {} users, {} projects, {} memberships, {} tasks, {} comments in {:.1f} s",
                     d.backend, d.scale, d.counts.users, d.counts.projects, d.counts.members, d.counts.tasks,
                     d.counts.comments, s));
}

// Every wanted strategy (and always eager, hand-written and libpq, which are cheap) builds the
// same dashboard as eager, in every variant. Records each one's statements and time.
void check(dataset& d, const std::vector<std::string>& rtts) {
    for (variant v : variants) {
        std::string reference_json;
        for (strategy s : {strategy::eager, strategy::handwritten, strategy::libpq, strategy::naive}) {
            if (s == strategy::libpq && !d.pq_direct) continue;  // PostgreSQL only
            bool wanted = s != strategy::naive;
            for (const auto& rtt : rtts) wanted = wanted || selected(bench_name(d.backend, d.scale, v, s, rtt) + "/real_time");
            if (!wanted) continue;
            const auto t0 = std::chrono::steady_clock::now();
            const dashboard::result r = dashboard::load(s, v, *d.direct, d.cfg.user_id, d.pq_direct.get());
            reference& ref = d.refs[static_cast<int>(v)][static_cast<int>(s)];
            ref.seconds = seconds_d(std::chrono::steady_clock::now() - t0).count();
            ref.statements = r.statements;
            ref.rows = count_rows(r.dashboard);
            ref.measured = true;
            const std::string json = dashboard::to_json(r.dashboard);
            if (r.dashboard.empty()) fail(fmt::format("{}/{}: the dashboard is empty", d.backend, d.scale));
            if (s == strategy::eager) reference_json = json;
            else if (json != reference_json)
                fail(fmt::format("{}/{}/{}: {} built a different dashboard than eager", d.backend, d.scale,
                                 dashboard::to_string(v), dashboard::to_string(s)));
        }
        // The proxy must be transparent: eager through it builds the same dashboard.
        if (d.delayed) {
            const dashboard::result r = dashboard::load(strategy::eager, v, *d.delayed, d.cfg.user_id);
            if (dashboard::to_json(r.dashboard) != reference_json)
                fail(fmt::format("{}/{}: eager through the latency proxy built a different dashboard", d.backend,
                                 d.scale));
        }
        std::string msg = fmt::format("{}/{}/{}: the strategies agree (", d.backend, d.scale, dashboard::to_string(v));
        for (strategy s : strategies) {
            const reference& ref = d.refs[static_cast<int>(v)][static_cast<int>(s)];
            if (ref.measured)
                msg += fmt::format("{} {} statements {:.1f} ms; ", dashboard::to_string(s), ref.statements,
                                   ref.seconds * 1000);
        }
        msg += fmt::format("{} rows)", d.refs[static_cast<int>(v)][static_cast<int>(strategy::eager)].rows);
        note(msg);
    }
}

// ------------------------------------------------------------------ the benchmark
struct bench_case {
    const dataset* data;
    const eagerload::database* db;
    dashboard::libpq_connection* pq;  // the libpq strategy's connection on the same path
    variant v;
    strategy s;
    double estimate_seconds;  // one load; < 0: unknown
    int repetitions;
    double max_seconds;
    double rtt_ms;
};

void run(benchmark::State& state, const bench_case& c) {
    if (c.estimate_seconds * c.repetitions > c.max_seconds) {
        const reference& ref = c.data->refs[static_cast<int>(c.v)][static_cast<int>(c.s)];
        const std::string msg = fmt::format(
            "too slow: ~{} statements x ~{:.3f} ms = ~{:.0f} s per load, x {} repetition(s) = ~{:.0f} s, over "
            "EAGERLOAD_BENCH_MAX_SECONDS={:g}; {}",
            ref.statements, 1000 * c.estimate_seconds / std::max<double>(1, double(ref.statements)),
            c.estimate_seconds, c.repetitions, c.estimate_seconds * c.repetitions, c.max_seconds,
            c.repetitions > 1 ? "run it alone with --benchmark_repetitions=1" : "raise the cap to run it");
        state.SkipWithError(msg.c_str());
        return;
    }
    ::malloc_trim(0);
    const bool peak_reset = reset_peak_rss();
    const double rss_before = status_mb("VmRSS");
    double rss_loaded = rss_before;
    std::size_t statements = 0, rows = 0;
    benchmark::IterationCount i = 0;
    for (auto _ : state) {
        dashboard::result r = dashboard::load(c.s, c.v, *c.db, c.data->cfg.user_id, c.pq);
        statements = r.statements;
        rows = count_rows(r.dashboard);
        benchmark::DoNotOptimize(r.dashboard.data());
        if (++i == state.max_iterations) rss_loaded = status_mb("VmRSS");  // the last dashboard still alive
    }
    state.counters["statements"] = static_cast<double>(statements);
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["rows_per_second"] =
        benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["peak_rss_mb"] = status_mb("VmHWM");
    // What the loads added at their peak: meaningful when the high-water mark was reset.
    state.counters["peak_growth_mb"] = status_mb("VmHWM") - rss_before;
    state.counters["peak_rss_reset"] = peak_reset ? 1 : 0;
    state.counters["rss_growth_mb"] = rss_loaded - rss_before;
    state.counters["rtt_ms"] = c.rtt_ms;
    state.SetLabel(fmt::format("backend={} scale={} variant={} strategy={}", c.data->backend, c.data->scale,
                               dashboard::to_string(c.v), dashboard::to_string(c.s)));
}

// --benchmark_repetitions as Google Benchmark reads it (the last flag wins; its environment
// variable BENCHMARK_REPETITIONS is the default), which it does not expose.
int repetitions_flag(int argc, char** argv) {
    int n = 1;
    if (const char* e = std::getenv("BENCHMARK_REPETITIONS"); e && *e) n = std::atoi(e);
    const std::string flag = "--benchmark_repetitions=";
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]).rfind(flag, 0) == 0) n = std::atoi(argv[i] + flag.size());
    return std::max(1, n);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Median wall time of one eagerload key lookup (one statement, as naive runs them).
double statement_seconds(const eagerload::database& db, int n) {
    std::vector<double> t;
    for (int i = -1; i < n; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(eagerload::find<dashboard::User>(db, 1 + (i + 1) % 100));
        if (i >= 0) t.push_back(seconds_d(std::chrono::steady_clock::now() - t0).count());
    }
    return median(std::move(t));
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = env_flag("EAGERLOAD_BENCH_QUICK");
    // Quick mode: a short minimum time, unless the command line sets its own (later wins).
    std::vector<char*> args(argv, argv + argc);
    std::string quick_min_time = "--benchmark_min_time=0.05";
    if (quick) args.insert(args.begin() + 1, quick_min_time.data());
    int args_count = static_cast<int>(args.size());
    args.push_back(nullptr);
    benchmark::Initialize(&args_count, args.data());
    if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;

    double max_seconds = quick ? 5 : 120;
    if (const char* m = std::getenv("EAGERLOAD_BENCH_MAX_SECONDS"); m && *m) max_seconds = std::atof(m);
    const int repetitions = repetitions_flag(argc, argv);

    const std::vector<scale_def> scales =
        quick ? std::vector<scale_def>{{"default", 5}, {"10x", 50}} : std::vector<scale_def>{{"default", 50}, {"10x", 500}};
    benchmark::AddCustomContext("eagerload_bench_quick", quick ? "1" : "0");

    std::vector<std::unique_ptr<dataset>> datasets;
    std::unique_ptr<latency_proxy> proxy;
    std::string pg_base;       // the conninfo, with client_min_messages=warning
    std::string mariadb_base;  // $EAGERLOAD_BENCH_MARIADB
    double pg_direct_rtt_us = 0, pg_delayed_rtt_us = 0;
    double pg_statement_extra_seconds = 0;  // what the proxy adds to one eagerload statement
    int status = 0;
    try {
        auto any_selected = [&](const std::string& backend, const std::string& scale, const std::string& rtt) {
            for (variant v : variants)
                for (strategy s : strategies)
                    if (selected(bench_name(backend, scale, v, s, rtt) + "/real_time")) return true;
            return false;
        };

        // ---- SQLite: one temporary file per scale.
        for (const scale_def& sc : scales) {
            if (!any_selected("sqlite", sc.name, "rtt0")) continue;
            auto d = std::make_unique<dataset>();
            d->backend = "sqlite";
            d->scale = sc.name;
            d->cfg.tasks_per_project = sc.tasks_per_project;
            d->sqlite_path = (std::filesystem::temp_directory_path() /
                              fmt::format("eagerload-bench-dashboard-{}-{}.db", ::getpid(), sc.name))
                                 .string();
            std::filesystem::remove(d->sqlite_path);
            d->direct = std::make_unique<eagerload::database>(eagerload::database::open("sqlite:" + d->sqlite_path));
            datasets.push_back(std::move(d));
            fill(*datasets.back());
            check(*datasets.back(), {"rtt0"});
        }

        // ---- PostgreSQL: one schema per scale; a proxy for the delayed round trips.
        const char* pg_env = std::getenv("EAGERLOAD_BENCH_POSTGRES");
        if (!pg_env || !*pg_env) {
            note("EAGERLOAD_BENCH_POSTGRES is not set: PostgreSQL skipped (set it to a libpq conninfo, e.g. "
                 "\"host=127.0.0.1 port=5432 dbname=bench user=bench\")");
        } else {
            using namespace eagerload_bench;
            auto keys = pg_parse_conninfo(pg_env);
            std::string options = keys.count("options") ? keys["options"] + " " : std::string();
            options += "-c client_min_messages=warning";
            keys["options"] = options;
            pg_base = pg_format_conninfo(keys);
            bool want_delayed = false;
            for (const scale_def& sc : scales) want_delayed = want_delayed || any_selected("postgresql", sc.name, delayed_rtt_name);
            if (want_delayed) {
                const pg_endpoint target = pg_target(keys);
                proxy = std::make_unique<latency_proxy>(target.host, target.port, one_way_delay);
                // The round trip as the benchmarks see it, for the report and the estimates.
                std::vector<double> direct, delayed;
                for (int pass = 0; pass < 2; ++pass) {
                    auto a = pg_select1_round_trips_us(pg_base, 100);
                    auto b = pg_select1_round_trips_us(pg_conninfo_through(pg_base, proxy->port()), 100);
                    direct.insert(direct.end(), a.begin(), a.end());
                    delayed.insert(delayed.end(), b.begin(), b.end());
                }
                pg_direct_rtt_us = median(direct);
                pg_delayed_rtt_us = median(delayed);
                benchmark::AddCustomContext("postgresql_select1_rtt0_median_us", fmt::format("{:.1f}", pg_direct_rtt_us));
                benchmark::AddCustomContext(fmt::format("postgresql_select1_{}_median_us", delayed_rtt_name),
                                            fmt::format("{:.1f}", pg_delayed_rtt_us));
                note(fmt::format("PostgreSQL SELECT 1 round trip (libpq, median of 200): direct {:.1f} us, through "
                                 "the proxy ({} us each way) {:.1f} us",
                                 pg_direct_rtt_us, one_way_delay.count(), pg_delayed_rtt_us));
            }
            for (const scale_def& sc : scales) {
                const bool want0 = any_selected("postgresql", sc.name, "rtt0");
                const bool want_d = proxy && any_selected("postgresql", sc.name, delayed_rtt_name);
                if (!want0 && !want_d) continue;
                auto d = std::make_unique<dataset>();
                d->backend = "postgresql";
                d->scale = sc.name;
                d->cfg.tasks_per_project = sc.tasks_per_project;
                d->pg_schema = "eagerload_bench_dashboard_" + sc.name;
                {
                    soci::session admin(soci::postgresql, pg_base);
                    admin << fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", d->pg_schema);
                    admin << fmt::format("CREATE SCHEMA {}", d->pg_schema);
                }
                auto scale_keys = keys;
                scale_keys["options"] = options + " -c search_path=" + d->pg_schema;
                const std::string conninfo = pg_format_conninfo(scale_keys);
                d->direct = std::make_unique<eagerload::database>(eagerload::database::open("postgresql:" + conninfo));
                d->pq_direct = std::make_unique<dashboard::libpq_connection>(conninfo);
                if (want_d) {
                    d->delayed = std::make_unique<eagerload::database>(
                        eagerload::database::open("postgresql:" + pg_conninfo_through(conninfo, proxy->port())));
                    d->pq_delayed =
                        std::make_unique<dashboard::libpq_connection>(pg_conninfo_through(conninfo, proxy->port()));
                }
                datasets.push_back(std::move(d));
                fill(*datasets.back());
                if (want_d && pg_statement_extra_seconds == 0) {
                    const dataset& ds = *datasets.back();
                    const double direct = statement_seconds(*ds.direct, 30);
                    const double delayed = statement_seconds(*ds.delayed, 30);
                    pg_statement_extra_seconds = std::max(0.0, delayed - direct);
                    benchmark::AddCustomContext("postgresql_statement_rtt0_median_us", fmt::format("{:.1f}", direct * 1e6));
                    benchmark::AddCustomContext(fmt::format("postgresql_statement_{}_median_us", delayed_rtt_name),
                                                fmt::format("{:.1f}", delayed * 1e6));
                    note(fmt::format("one eagerload statement (find<User>, median of 30): direct {:.1f} us, through "
                                     "the proxy {:.1f} us",
                                     direct * 1e6, delayed * 1e6));
                }
                std::vector<std::string> rtts;
                if (want0) rtts.push_back("rtt0");
                if (want_d) rtts.push_back(delayed_rtt_name);
                check(*datasets.back(), rtts);
            }
        }

        // ---- MariaDB: one database per scale, on loopback (no proxy).
        const char* mdb_env = std::getenv("EAGERLOAD_BENCH_MARIADB");
        if (!mdb_env || !*mdb_env) {
            note("EAGERLOAD_BENCH_MARIADB is not set: MariaDB skipped (set it to SOCI's MySQL form, e.g. "
                 "\"user=root host=127.0.0.1 port=3306\", without db=)");
        } else {
            mariadb_base = mdb_env;
            for (const scale_def& sc : scales) {
                if (!any_selected("mariadb", sc.name, "rtt0")) continue;
                auto d = std::make_unique<dataset>();
                d->backend = "mariadb";
                d->scale = sc.name;
                d->cfg.tasks_per_project = sc.tasks_per_project;
                d->mariadb_database = "eagerload_bench_dashboard_" + sc.name;
                {
                    const auto admin = eagerload::database::open("mariadb:" + mariadb_base);
                    run_sql(admin, fmt::format("DROP DATABASE IF EXISTS {}", d->mariadb_database));
                    run_sql(admin, fmt::format("CREATE DATABASE {} CHARACTER SET utf8mb4", d->mariadb_database));
                }
                d->direct = std::make_unique<eagerload::database>(
                    eagerload::database::open("mariadb:" + mariadb_base + " db=" + d->mariadb_database));
                datasets.push_back(std::move(d));
                fill(*datasets.back());
                check(*datasets.back(), {"rtt0"});
            }
        }

        for (const auto& d : datasets) {
            benchmark::AddCustomContext(fmt::format("dataset_{}_{}", d->backend, d->scale),
                                        fmt::format("users={} projects={} members={} tasks={} comments={}",
                                                    d->counts.users, d->counts.projects, d->counts.members,
                                                    d->counts.tasks, d->counts.comments));
        }

        // ---- register: per dataset, per round trip, per variant, per strategy.
        for (const auto& d : datasets) {
            struct path {
                std::string rtt;
                const eagerload::database* db;
                dashboard::libpq_connection* pq;
                double rtt_ms;
            };
            std::vector<path> paths{{"rtt0", d->direct.get(), d->pq_direct.get(), 0}};
            if (d->delayed)
                paths.push_back({delayed_rtt_name, d->delayed.get(), d->pq_delayed.get(), 2 * one_way_delay.count() / 1000.0});
            for (const path& p : paths) {
                for (variant v : variants) {
                    for (strategy s : strategies) {
                        if (s == strategy::libpq && !p.pq) continue;  // PostgreSQL only
                        const reference& ref = d->refs[static_cast<int>(v)][static_cast<int>(s)];
                        double estimate = -1;
                        if (ref.measured) {
                            estimate = ref.seconds;
                            if (p.db == d->delayed.get())
                                estimate += double(ref.statements) * pg_statement_extra_seconds;
                        }
                        const bench_case c{d.get(), p.db, p.pq, v, s, s == strategy::naive ? estimate : -1, repetitions,
                                           max_seconds, p.rtt_ms};
                        benchmark::RegisterBenchmark(bench_name(d->backend, d->scale, v, s, p.rtt).c_str(),
                                                     [c](benchmark::State& st) { run(st, c); })
                            ->UseRealTime()
                            ->Unit(benchmark::kMillisecond);
                    }
                }
            }
        }

        benchmark::RunSpecifiedBenchmarks();
    } catch (const std::exception& e) {
        note(e.what());
        status = 1;
    }
    benchmark::Shutdown();

    // Close every session before the proxy goes, then remove the data.
    for (auto& d : datasets) {
        d->pq_delayed.reset();
        d->pq_direct.reset();
        d->delayed.reset();
        d->direct.reset();
    }
    proxy.reset();
    for (auto& d : datasets) {
        try {
            if (!d->sqlite_path.empty()) std::filesystem::remove(d->sqlite_path);
            if (!d->pg_schema.empty() && !env_flag("EAGERLOAD_BENCH_KEEP")) {
                soci::session admin(soci::postgresql, pg_base);
                admin << fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", d->pg_schema);
            }
            if (!d->mariadb_database.empty() && !env_flag("EAGERLOAD_BENCH_KEEP")) {
                const auto admin = eagerload::database::open("mariadb:" + mariadb_base);
                run_sql(admin, fmt::format("DROP DATABASE IF EXISTS {}", d->mariadb_database));
            }
        } catch (const std::exception& e) {
            note(std::string("cleanup: ") + e.what());
        }
    }
    return status;
}
