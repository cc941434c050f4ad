// One prefetch level as it grows: 1,000 parents with N/1,000 children each, for N = 1k,
// 10k, 100k and 1M child rows, loaded as
//
//   select<ScaleParent>().prefetch(children)
//
// on SQLite (a temporary file), PostgreSQL ($EAGERLOAD_BENCH_POSTGRES, a libpq key=value
// conninfo) and MariaDB ($EAGERLOAD_BENCH_MARIADB, SOCI's MySQL form "user=root
// host=127.0.0.1 port=3306"); a server whose variable is unset is skipped with a note. What must hold: 2 statements at
// every size, and a flat cost per row (ns_per_row).
//
// Benchmark names: prefetch_scaling/<backend>/<child rows>, to which Google Benchmark
// appends "/real_time". Counters: statements (per load), rows (parents + children),
// child_rows, rows_per_second, ns_per_row (wall time per load / rows), peak_rss_mb (VmHWM,
// reset at the start of each benchmark when the kernel allows it, see peak_rss_reset),
// rss_growth_mb (VmRSS with the last loaded graph still alive minus VmRSS before).
//
// Each size is its own dataset, generated once with insert_all: a temporary SQLite file, or
// a PostgreSQL schema or a MariaDB database (eagerload_bench_prefetch_<N>, dropped at
// exit unless EAGERLOAD_BENCH_KEEP=1). One table per size, not all sizes in one: with a skewed
// parent_id column PostgreSQL's row estimates (and plans) for the small sizes would be
// those of the big one. Before anything is timed, each size is loaded once and checked:
// 1,000 parents, each with exactly its own N/1,000 children, in 2 statements; the program
// aborts otherwise.
// EAGERLOAD_BENCH_QUICK=1: only 1k and 10k, --benchmark_min_time=0.05, for smoke runs.
//
//   export EAGERLOAD_BENCH_POSTGRES="host=127.0.0.1 port=5432 dbname=bench user=bench"
//   bench_prefetch_scaling --benchmark_out=prefetch.json --benchmark_out_format=json
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <eagerload/counter.hpp>
#include <eagerload/database.hpp>
#include <eagerload/detail/execute.hpp>
#include <eagerload/model.hpp>
#include <eagerload/relation.hpp>
#include <eagerload/insert.hpp>
#include <eagerload/schema.hpp>
#include <eagerload/select.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "latency_proxy.hpp"  // the libpq conninfo helpers

struct ScaleParent {
    std::int64_t id;
    std::string name;
};
struct ScaleChild {
    std::int64_t id;
    std::int64_t parent_id;
    std::int32_t position;
    std::string title;
};
BOOST_HANA_ADAPT_STRUCT(ScaleParent, id, name);
BOOST_HANA_ADAPT_STRUCT(ScaleChild, id, parent_id, position, title);

template <>
struct eagerload::model<ScaleParent> {
    static constexpr std::string_view table = "prefetch_parents";
    static constexpr auto key = &ScaleParent::id;
};
template <>
struct eagerload::model<ScaleChild> {
    static constexpr std::string_view table = "prefetch_children";
    static constexpr auto key = &ScaleChild::id;
};

namespace {

using bench_support::env_flag;
using bench_support::reset_peak_rss;
using bench_support::selected;
using bench_support::status_mb;

inline constexpr auto children = eagerload::has_many<&ScaleChild::parent_id, &ScaleParent::id>;
inline constexpr auto parent = eagerload::belongs_to<&ScaleChild::parent_id, &ScaleParent::id>;

constexpr std::int64_t parents_per_size = 1000;

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "bench_prefetch_scaling: %s\n", message.c_str());
    std::fflush(stderr);
    std::abort();
}

void note(const std::string& message) {
    std::fprintf(stderr, "bench_prefetch_scaling: %s\n", message.c_str());
    std::fflush(stderr);
}


std::string bench_name(const std::string& backend, std::int32_t children_each) {
    return fmt::format("prefetch_scaling/{}/{}", backend, static_cast<long long>(children_each) * parents_per_size);
}

auto query() {
    using namespace eagerload;
    return select<ScaleParent>().prefetch(children);
}

void generate(const eagerload::database& db, std::int32_t children_each) {
    using namespace eagerload;
    drop_table<ScaleChild>(db);
    drop_table<ScaleParent>(db);
    create_table<ScaleParent>(db);
    create_table<ScaleChild>(db, parent);
    create_index(db, "prefetch_children_parent", asc<&ScaleChild::parent_id>);
    std::vector<ScaleParent> parents;
    std::vector<ScaleChild> kids;
    kids.reserve(static_cast<std::size_t>(parents_per_size * children_each));
    std::int64_t child_id = 1;
    for (std::int64_t id = 1; id <= parents_per_size; ++id) {
        parents.push_back(ScaleParent{id, fmt::format("Parent {}", id)});
        for (std::int32_t k = 0; k < children_each; ++k, ++child_id)
            kids.push_back(ScaleChild{child_id, id, k, fmt::format("Child {} of parent {}", child_id, id)});
    }
    insert_all(db, parents);
    insert_all(db, kids);  // one statement per 50,000 rows
    soci::connection_pool& pool = db.soci_pool();
    const std::size_t slot = pool.lease();
    try {
        // Fresh statistics, so the plan is the one a settled table gets.
        pool.at(slot) << (db.sql_dialect() == eagerload::dialect::mariadb
                              ? "ANALYZE TABLE prefetch_parents, prefetch_children"
                              : "ANALYZE");
    } catch (...) {
        pool.give_back(slot);
        throw;
    }
    pool.give_back(slot);
}

// 1,000 parents, each with exactly its own children_each children, in 2 statements.
void check(const std::string& what, const eagerload::database& db, std::int32_t children_each) {
    eagerload::query_counter counter(db);
    const auto graph = query().load(db);
    if (counter.count() != 2) fail(fmt::format("{}: {} statements, expected 2:\n{}", what, counter.count(), counter.report()));
    if (static_cast<std::int64_t>(graph.size()) != parents_per_size)
        fail(fmt::format("{}: {} parents, expected {}", what, graph.size(), parents_per_size));
    for (const auto& p : graph) {
        if (p[children].size() != static_cast<std::size_t>(children_each))
            fail(fmt::format("{}: parent {} has {} children, expected {}", what, p.id, p[children].size(), children_each));
        for (const auto& c : p[children])
            if (c.parent_id != p.id) fail(fmt::format("{}: child {} attached to the wrong parent", what, c.id));
    }
}

void run(benchmark::State& state, const eagerload::database* db) {
    const auto q = query();
    ::malloc_trim(0);
    const bool peak_reset = reset_peak_rss();
    const double rss_before = status_mb("VmRSS");
    double rss_loaded = rss_before;
    std::size_t rows = 0, child_rows = 0;
    eagerload::query_counter counter(*db);
    benchmark::IterationCount i = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (auto _ : state) {
        const auto graph = q.load(*db);
        rows = graph.size();
        child_rows = 0;
        for (const auto& p : graph) child_rows += p[children].size();
        rows += child_rows;
        benchmark::DoNotOptimize(graph.data());
        if (++i == state.max_iterations) rss_loaded = status_mb("VmRSS");  // the last graph still alive
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["statements"] = static_cast<double>(counter.count()) / iterations;
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["child_rows"] = static_cast<double>(child_rows);
    state.counters["rows_per_second"] =
        benchmark::Counter(static_cast<double>(rows) * iterations, benchmark::Counter::kIsRate);
    state.counters["ns_per_row"] = seconds * 1e9 / (iterations * static_cast<double>(std::max<std::size_t>(rows, 1)));
    state.counters["peak_rss_mb"] = status_mb("VmHWM");
    state.counters["peak_rss_reset"] = peak_reset ? 1 : 0;
    state.counters["rss_growth_mb"] = rss_loaded - rss_before;
}

struct dataset {
    std::string name;  // prefetch_scaling/<backend>/<child rows>
    std::int32_t children_each;
    std::unique_ptr<eagerload::database> db;
    std::string sqlite_path, pg_schema, mariadb_database;
};

}  // namespace

int main(int argc, char** argv) {
    const bool quick = env_flag("EAGERLOAD_BENCH_QUICK");
    std::vector<char*> args(argv, argv + argc);
    std::string quick_min_time = "--benchmark_min_time=0.05";
    if (quick) args.insert(args.begin() + 1, quick_min_time.data());  // a later flag of the user's wins
    int args_count = static_cast<int>(args.size());
    args.push_back(nullptr);
    benchmark::Initialize(&args_count, args.data());
    if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;

    const std::vector<std::int32_t> sizes = quick ? std::vector<std::int32_t>{1, 10} : std::vector<std::int32_t>{1, 10, 100, 1000};
    benchmark::AddCustomContext("eagerload_bench_quick", quick ? "1" : "0");

    std::string pg_admin;  // the conninfo, with client_min_messages=warning
    std::map<std::string, std::string> pg_keys;
    if (const char* pg = std::getenv("EAGERLOAD_BENCH_POSTGRES"); pg && *pg) {
        pg_keys = eagerload_bench::pg_parse_conninfo(pg);
        std::string options = pg_keys.count("options") ? pg_keys["options"] + " " : std::string();
        options += "-c client_min_messages=warning";
        pg_keys["options"] = options;
        pg_admin = eagerload_bench::pg_format_conninfo(pg_keys);
    } else {
        note("EAGERLOAD_BENCH_POSTGRES is not set: PostgreSQL skipped (set it to a libpq conninfo, e.g. "
             "\"host=127.0.0.1 port=5432 dbname=bench user=bench\")");
    }

    std::string mariadb_base;
    if (const char* mdb = std::getenv("EAGERLOAD_BENCH_MARIADB"); mdb && *mdb) {
        mariadb_base = mdb;
    } else {
        note("EAGERLOAD_BENCH_MARIADB is not set: MariaDB skipped (set it to SOCI's MySQL form, e.g. "
             "\"user=root host=127.0.0.1 port=3306\")");
    }

    std::vector<std::unique_ptr<dataset>> datasets;
    int status = 0;
    try {
        std::vector<std::string> backends{"sqlite"};
        if (!pg_admin.empty()) backends.push_back("postgresql");
        if (!mariadb_base.empty()) backends.push_back("mariadb");
        for (const std::string& backend : backends) {
            for (const std::int32_t k : sizes) {
                auto d = std::make_unique<dataset>();
                d->name = bench_name(backend, k);
                d->children_each = k;
                if (!selected(d->name + "/real_time")) continue;
                const long long n = static_cast<long long>(k) * parents_per_size;
                if (backend == "sqlite") {
                    d->sqlite_path = (std::filesystem::temp_directory_path() /
                                      fmt::format("eagerload-bench-prefetch-{}-{}.db", ::getpid(), n))
                                         .string();
                    std::filesystem::remove(d->sqlite_path);
                    d->db = std::make_unique<eagerload::database>(eagerload::database::open("sqlite:" + d->sqlite_path));
                } else if (backend == "mariadb") {
                    d->mariadb_database = fmt::format("eagerload_bench_prefetch_{}", n);
                    {
                        const auto admin = eagerload::database::open("mariadb:" + mariadb_base);
                        eagerload::detail::execute(admin, fmt::format("DROP DATABASE IF EXISTS {}", d->mariadb_database));
                        eagerload::detail::execute(
                            admin, fmt::format("CREATE DATABASE {} CHARACTER SET utf8mb4", d->mariadb_database));
                    }
                    d->db = std::make_unique<eagerload::database>(
                        eagerload::database::open("mariadb:" + mariadb_base + " db=" + d->mariadb_database));
                } else {
                    d->pg_schema = fmt::format("eagerload_bench_prefetch_{}", n);
                    {
                        soci::session admin(soci::postgresql, pg_admin);
                        admin << fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", d->pg_schema);
                        admin << fmt::format("CREATE SCHEMA {}", d->pg_schema);
                    }
                    auto keys = pg_keys;
                    keys["options"] += fmt::format(" -c search_path={}", d->pg_schema);
                    d->db = std::make_unique<eagerload::database>(
                        eagerload::database::open("postgresql:" + eagerload_bench::pg_format_conninfo(keys)));
                }
                datasets.push_back(std::move(d));
                dataset& ds = *datasets.back();
                const auto t0 = std::chrono::steady_clock::now();
                generate(*ds.db, k);
                const double generated = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                check(ds.name, *ds.db, k);
                note(fmt::format("{}: generated {} parents and {} children in {:.1f} s; the load checks out "
                                 "(2 statements)",
                                 ds.name, parents_per_size, n, generated));
                const eagerload::database* db = ds.db.get();
                benchmark::RegisterBenchmark(ds.name.c_str(), [db](benchmark::State& st) { run(st, db); })
                    ->UseRealTime()
                    ->Unit(benchmark::kMillisecond);
                ::malloc_trim(0);
            }
        }
        benchmark::RunSpecifiedBenchmarks();
    } catch (const std::exception& e) {
        note(e.what());
        status = 1;
    }
    benchmark::Shutdown();

    for (auto& d : datasets) {
        d->db.reset();
        try {
            if (!d->sqlite_path.empty()) std::filesystem::remove(d->sqlite_path);
            if (!d->pg_schema.empty() && !env_flag("EAGERLOAD_BENCH_KEEP")) {
                soci::session admin(soci::postgresql, pg_admin);
                admin << fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", d->pg_schema);
            }
            if (!d->mariadb_database.empty() && !env_flag("EAGERLOAD_BENCH_KEEP")) {
                const auto admin = eagerload::database::open("mariadb:" + mariadb_base);
                eagerload::detail::execute(admin, fmt::format("DROP DATABASE IF EXISTS {}", d->mariadb_database));
            }
        } catch (const std::exception& e) {
            note(std::string("cleanup: ") + e.what());
        }
    }
    return status;
}
