// bench_bulk_insert: insert_all of 100,000 rows (4 columns, one nullable) on SQLite
// (a temporary file), PostgreSQL ($EAGERLOAD_BENCH_POSTGRES, a libpq key=value string)
// and MariaDB ($EAGERLOAD_BENCH_MARIADB, SOCI's MySQL form "user=root host=127.0.0.1
// port=3306": a database eagerload_bench_insert_<pid> is created and dropped); a server
// whose variable is unset is skipped. The foundation issue asks for "100,000 rows in well under a
// second" on PostgreSQL, without one round trip per row; this measures it.
//
//   build-bench/benchmarks/bench_bulk_insert --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <eagerload/counter.hpp>
#include <eagerload/detail/execute.hpp>
#include <eagerload/insert.hpp>
#include <eagerload/schema.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

struct InsertRow {
    std::int64_t id;
    std::string name;
    std::string email;
    std::optional<std::string> avatar_url;
};
BOOST_HANA_ADAPT_STRUCT(InsertRow, id, name, email, avatar_url);
template <>
struct eagerload::model<InsertRow> {
    static constexpr std::string_view table = "bench_insert_rows";
    static constexpr auto key = &InsertRow::id;
};

namespace {

constexpr std::int64_t rows_per_load = 100000;

std::vector<InsertRow> make_rows() {
    std::vector<InsertRow> rows;
    rows.reserve(rows_per_load);
    for (std::int64_t i = 1; i <= rows_per_load; ++i)
        rows.push_back(InsertRow{i, fmt::format("user {}", i), fmt::format("u{}@example.com", i),
                                 i % 10 ? std::optional<std::string>(fmt::format("https://a/{}.png", i)) : std::nullopt});
    return rows;
}

void insert_all_rows(benchmark::State& state, const eagerload::database& db) {
    static const std::vector<InsertRow> rows = make_rows();
    std::size_t statements = 0;
    for (auto _ : state) {
        state.PauseTiming();
        eagerload::drop_table<InsertRow>(db);
        eagerload::create_table<InsertRow>(db);
        state.ResumeTiming();
        eagerload::query_counter counter(db);
        eagerload::insert_all(db, rows);
        statements = counter.count();
    }
    state.counters["statements"] = static_cast<double>(statements);
    state.counters["rows_per_second"] =
        benchmark::Counter(static_cast<double>(rows_per_load), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    const std::string sqlite_path =
        (std::filesystem::temp_directory_path() / fmt::format("eagerload-bench-insert-{}.db", ::getpid())).string();
    auto lite = eagerload::database::sqlite(sqlite_path);
    benchmark::RegisterBenchmark("bulk_insert/sqlite/100000", insert_all_rows, lite)->Unit(benchmark::kMillisecond)->UseRealTime();

    std::optional<eagerload::database> pg;
    const std::string schema = fmt::format("eagerload_bench_insert_{}", ::getpid());
    if (const char* conninfo = std::getenv("EAGERLOAD_BENCH_POSTGRES"); conninfo && *conninfo) {
        pg = eagerload::database::postgresql(conninfo);  // one session: SET search_path sticks
        eagerload::detail::execute(*pg, "CREATE SCHEMA " + schema);
        eagerload::detail::execute(*pg, "SET search_path TO " + schema);
        benchmark::RegisterBenchmark("bulk_insert/postgresql/100000", insert_all_rows, *pg)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    } else {
        std::fprintf(stderr, "bench_bulk_insert: EAGERLOAD_BENCH_POSTGRES is not set: PostgreSQL skipped\n");
    }
    std::optional<eagerload::database> mdb_admin, mdb;
    if (const char* base = std::getenv("EAGERLOAD_BENCH_MARIADB"); base && *base) {
        mdb_admin = eagerload::database::open(std::string("mariadb:") + base);
        eagerload::detail::execute(*mdb_admin, "CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
        mdb = eagerload::database::open(std::string("mariadb:") + base + " db=" + schema);
        benchmark::RegisterBenchmark("bulk_insert/mariadb/100000", insert_all_rows, *mdb)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    } else {
        std::fprintf(stderr, "bench_bulk_insert: EAGERLOAD_BENCH_MARIADB is not set: MariaDB skipped\n");
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (pg) eagerload::detail::execute(*pg, "DROP SCHEMA " + schema + " CASCADE");
    if (mdb_admin) {
        mdb.reset();
        eagerload::detail::execute(*mdb_admin, "DROP DATABASE " + schema);
    }
    std::filesystem::remove(sqlite_path);
    return 0;
}
