// Materializing N rows of a 4-column table into std::vector<Row>, side by side:
//
//   eagerload                   select<Row>().where(col<&Row::id> <= n).order_by(asc<&Row::id>).all(db)
//   soci_bulk_vectors           one soci::statement, prepared once, into(std::vector<...>) per column,
//                               batch 512, re-executed each iteration
//   soci_bulk_vectors_one_shot  the same, but a new one-time statement on every call, as the library
//                               does (PostgreSQL: one PQexecParams round trip, no PREPARE/DEALLOCATE)
//   soci_rowset_row             soci::rowset<soci::row> + get<long long>/get<std::string>
//   libpq_raw / sqlite3_raw     the floor: the C client library directly
//
// on SQLite (a temporary file) and on PostgreSQL ($EAGERLOAD_BENCH_POSTGRES, libpq key=value
// form; when unset only SQLite runs; the data goes to a schema of the process's own, dropped at
// exit). Every path returns `id <= n ORDER BY id`, timestamps
// travel as text and are parsed by eagerload::parse_timestamp everywhere, so the paths differ
// only in how rows get from the client library into the structs. Each iteration checks the row
// count and a checksum (sum of ids + total title length) and aborts on a mismatch; before
// timing, every path's result is compared field by field with the generated rows.
//
//   bench_fetch_paths --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <eagerload/database.hpp>
#include <eagerload/model.hpp>
#include <eagerload/insert.hpp>
#include <eagerload/schema.hpp>
#include <eagerload/select.hpp>
#include <eagerload/timestamp.hpp>

#include <soci/postgresql/soci-postgresql.h>  // includes <libpq-fe.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
// soci-sqlite3.h includes <sqlite3.h> inside `namespace sqlite_api`, so this include is a
// no-op (include guard) and the raw API is spelled sqlite_api::sqlite3_*. Including
// <sqlite3.h> BEFORE soci-sqlite3.h does not compile: SOCI then finds no sqlite_api::sqlite3.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

struct Row {
    std::int64_t id;
    std::int64_t project_id;
    std::string title;
    eagerload::timestamp created_at;
    bool operator==(const Row&) const = default;
};
BOOST_HANA_ADAPT_STRUCT(Row, id, project_id, title, created_at);

template <>
struct eagerload::model<Row> {
    static constexpr std::string_view table = "fetch_rows";
    static constexpr auto key = &Row::id;
};

namespace {

namespace sq = sqlite_api;

constexpr long long max_rows = 100'000;
constexpr std::size_t batch = 512;
constexpr double min_time_seconds = 0.25;

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "bench_fetch_paths: %s\n", message.c_str());
    std::fflush(stderr);
    std::abort();
}

// ------------------------------------------------------------------ data
std::vector<Row> make_rows(long long n) {
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    const eagerload::timestamp t0 = eagerload::make_timestamp(2024, 1, 1, 8, 0, 0);
    for (long long i = 1; i <= n; ++i) {
        std::string title = "Task " + std::to_string(i) + ": ";
        title.append(static_cast<std::size_t>(i % 41), static_cast<char>('a' + i % 26));  // 10 to 54 chars
        // Two rows in three carry microseconds: both text forms get parsed.
        const auto micro = i % 3 == 0 ? 0 : (i * 7919) % 1'000'000;
        rows.push_back(Row{i, (i - 1) / 25 + 1, std::move(title),
                           t0 + std::chrono::seconds(i * 37) + std::chrono::microseconds(micro)});
    }
    return rows;
}

// Sum of ids + total title length of the first n generated rows.
std::vector<long long> expected_checksums;  // index n: checksum of rows 1..n
std::vector<Row> all_rows;

long long checksum(const std::vector<Row>& rows) {
    long long s = 0;
    for (const Row& r : rows) s += r.id + static_cast<long long>(r.title.size());
    return s;
}

void check(const std::vector<Row>& rows, long long n, const char* path) {
    if (static_cast<long long>(rows.size()) != n)
        fail(std::string(path) + ": expected " + std::to_string(n) + " rows, got " + std::to_string(rows.size()));
    const long long s = checksum(rows);
    if (s != expected_checksums[static_cast<std::size_t>(n)])
        fail(std::string(path) + ": checksum " + std::to_string(s) + " for n = " + std::to_string(n) +
             ", expected " + std::to_string(expected_checksums[static_cast<std::size_t>(n)]));
}

eagerload::timestamp parse_or_fail(std::string_view text) {
    eagerload::timestamp t;
    if (!eagerload::parse_timestamp(text, t)) fail("cannot parse timestamp '" + std::string(text) + "'");
    return t;
}

// ------------------------------------------------------------------ one backend
enum class kind { sqlite, postgresql };

struct backend {
    kind k;
    std::string name;    // "sqlite" / "postgresql"
    std::string target;  // file path / conninfo
    std::string schema;  // PostgreSQL: this process's own schema, dropped at exit
    eagerload::database db;
    std::unique_ptr<soci::session> sql;  // for the SOCI paths
    PGconn* pg = nullptr;                // libpq_raw
    sq::sqlite3* lite = nullptr;         // sqlite3_raw

    backend(kind k_, std::string name_, std::string target_, eagerload::database db_)
        : k(k_), name(std::move(name_)), target(std::move(target_)), db(std::move(db_)) {}
    backend(const backend&) = delete;
    backend& operator=(const backend&) = delete;
    ~backend() {
        if (pg) PQfinish(pg);
        if (lite) sq::sqlite3_close(lite);
    }
};

constexpr const char* select_sql = "SELECT id, project_id, title, created_at FROM fetch_rows WHERE id <= :n ORDER BY id";
// soci::row decides the C++ type from the column type: a PostgreSQL `timestamp` is dt_date
// (get<std::string> throws std::bad_cast), so that path asks for text. On SQLite a column
// declared TIMESTAMP already comes back as a string.
constexpr const char* select_sql_pg_text =
    "SELECT id, project_id, title, CAST(created_at AS text) AS created_at FROM fetch_rows WHERE id <= :n ORDER BY id";

// ------------------------------------------------------------------ the paths
std::vector<Row> via_eagerload(backend& b, long long n) {
    return eagerload::select<Row>()
        .where(eagerload::col<&Row::id> <= n)
        .order_by(eagerload::asc<&Row::id>)
        .all(b.db);
}

// SOCI bulk fetch: one statement with a vector per column.
class soci_bulk {
public:
    // one_time: SOCI's one-time query (on PostgreSQL one PQexecParams round trip, as the
    // library does); otherwise a named prepared statement, meant to be executed many times.
    soci_bulk(soci::session& s, bool one_time)
        : ids_(batch), projects_(batch), titles_(batch), stamps_(batch), i_id_(batch), i_project_(batch),
          i_title_(batch), i_stamp_(batch), st_(s) {
        st_.exchange(soci::into(ids_, i_id_));
        st_.exchange(soci::into(projects_, i_project_));
        st_.exchange(soci::into(titles_, i_title_));
        st_.exchange(soci::into(stamps_, i_stamp_));
        st_.exchange(soci::use(n_));
        st_.alloc();
        st_.prepare(select_sql, one_time ? soci::details::st_one_time_query : soci::details::st_repeatable_query);
        st_.define_and_bind();
    }

    std::vector<Row> run(long long n) {
        n_ = n;
        std::vector<Row> out;
        for (bool got = st_.execute(true); got; got = st_.fetch()) {
            const std::size_t rows = ids_.size();  // SOCI shrinks the vectors to the rows fetched
            for (std::size_t r = 0; r < rows; ++r) {
                if (i_id_[r] != soci::i_ok || i_project_[r] != soci::i_ok || i_title_[r] != soci::i_ok ||
                    i_stamp_[r] != soci::i_ok)
                    fail("soci_bulk_vectors: unexpected NULL");
                out.push_back(Row{ids_[r], projects_[r], std::move(titles_[r]), parse_or_fail(stamps_[r])});
            }
            resize(batch);
        }
        resize(batch);  // the last fetch() may have shrunk them: restore before the next execute
        return out;
    }

private:
    void resize(std::size_t n) {
        ids_.resize(n);
        projects_.resize(n);
        titles_.resize(n);
        stamps_.resize(n);
        i_id_.resize(n);
        i_project_.resize(n);
        i_title_.resize(n);
        i_stamp_.resize(n);
    }

    long long n_ = 0;
    std::vector<long long> ids_, projects_;
    std::vector<std::string> titles_, stamps_;
    std::vector<soci::indicator> i_id_, i_project_, i_title_, i_stamp_;
    soci::statement st_;
};

std::vector<Row> via_soci_rowset(backend& b, long long n) {
    std::vector<Row> out;
    soci::rowset<soci::row> rs =
        (b.sql->prepare << (b.k == kind::postgresql ? select_sql_pg_text : select_sql), soci::use(n));
    for (const soci::row& r : rs) {
        out.push_back(Row{r.get<long long>(0), r.get<long long>(1), r.get<std::string>(2),
                          parse_or_fail(r.get<std::string>(3))});
    }
    return out;
}

std::vector<Row> via_libpq(backend& b, long long n) {
    const std::string n_text = std::to_string(n);
    const char* values[1] = {n_text.c_str()};
    PGresult* res = PQexecParams(b.pg,
                                 "SELECT id, project_id, title, created_at FROM fetch_rows WHERE id <= $1 ORDER BY id",
                                 1, nullptr, values, nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const std::string message = PQresultErrorMessage(res);
        PQclear(res);
        fail("libpq_raw: " + message);
    }
    const int rows = PQntuples(res);
    std::vector<Row> out;
    out.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
        out.push_back(Row{std::strtoll(PQgetvalue(res, r, 0), nullptr, 10),
                          std::strtoll(PQgetvalue(res, r, 1), nullptr, 10),
                          std::string(PQgetvalue(res, r, 2), static_cast<std::size_t>(PQgetlength(res, r, 2))),
                          parse_or_fail(std::string_view(PQgetvalue(res, r, 3),
                                                         static_cast<std::size_t>(PQgetlength(res, r, 3))))});
    }
    PQclear(res);
    return out;
}

// The raw SQLite statement is prepared once per benchmark run (like soci_bulk_vectors).
std::vector<Row> via_sqlite3(sq::sqlite3_stmt* st, long long n) {
    std::vector<Row> out;
    sq::sqlite3_reset(st);
    if (sq::sqlite3_bind_int64(st, 1, n) != SQLITE_OK) fail("sqlite3_raw: bind failed");
    int rc;
    while ((rc = sq::sqlite3_step(st)) == SQLITE_ROW) {
        const auto* title = reinterpret_cast<const char*>(sq::sqlite3_column_text(st, 2));
        const auto title_len = static_cast<std::size_t>(sq::sqlite3_column_bytes(st, 2));
        const auto* stamp = reinterpret_cast<const char*>(sq::sqlite3_column_text(st, 3));
        const auto stamp_len = static_cast<std::size_t>(sq::sqlite3_column_bytes(st, 3));
        out.push_back(Row{sq::sqlite3_column_int64(st, 0), sq::sqlite3_column_int64(st, 1),
                          std::string(title, title_len), parse_or_fail(std::string_view(stamp, stamp_len))});
    }
    if (rc != SQLITE_DONE) fail(std::string("sqlite3_raw: ") + sq::sqlite3_errmsg(sq::sqlite3_db_handle(st)));
    return out;
}

struct sqlite_stmt {
    sq::sqlite3_stmt* st = nullptr;
    explicit sqlite_stmt(sq::sqlite3* db) {
        if (sq::sqlite3_prepare_v2(db, "SELECT id, project_id, title, created_at FROM fetch_rows WHERE id <= ?1 "
                                       "ORDER BY id",
                                   -1, &st, nullptr) != SQLITE_OK)
            fail(std::string("sqlite3_raw: prepare: ") + sq::sqlite3_errmsg(db));
    }
    ~sqlite_stmt() { sq::sqlite3_finalize(st); }
    sqlite_stmt(const sqlite_stmt&) = delete;
    sqlite_stmt& operator=(const sqlite_stmt&) = delete;
};

// A path: per-run setup (prepared statements) returning the per-iteration fetch.
using fetcher = std::function<std::vector<Row>(long long)>;
struct path {
    std::string name;
    std::function<std::shared_ptr<void>(backend&, fetcher&)> setup;
};

std::vector<path> paths_for(const backend& b) {
    std::vector<path> p;
    p.push_back({"eagerload", [](backend& be, fetcher& f) -> std::shared_ptr<void> {
                     f = [&be](long long n) { return via_eagerload(be, n); };
                     return nullptr;
                 }});
    p.push_back({"soci_bulk_vectors", [](backend& be, fetcher& f) -> std::shared_ptr<void> {
                     auto s = std::make_shared<soci_bulk>(*be.sql, false);
                     f = [s](long long n) { return s->run(n); };
                     return s;
                 }});
    p.push_back({"soci_bulk_vectors_one_shot", [](backend& be, fetcher& f) -> std::shared_ptr<void> {
                     f = [&be](long long n) { return soci_bulk(*be.sql, true).run(n); };
                     return nullptr;
                 }});
    p.push_back({"soci_rowset_row", [](backend& be, fetcher& f) -> std::shared_ptr<void> {
                     f = [&be](long long n) { return via_soci_rowset(be, n); };
                     return nullptr;
                 }});
    if (b.k == kind::postgresql) {
        p.push_back({"libpq_raw", [](backend& be, fetcher& f) -> std::shared_ptr<void> {
                         f = [&be](long long n) { return via_libpq(be, n); };
                         return nullptr;
                     }});
    } else {
        p.push_back({"sqlite3_raw", [](backend& be, fetcher& f) -> std::shared_ptr<void> {
                         auto s = std::make_shared<sqlite_stmt>(be.lite);
                         f = [s](long long n) { return via_sqlite3(s->st, n); };
                         return s;
                     }});
    }
    return p;
}

// ------------------------------------------------------------------ setup
// PostgreSQL: everything lives in a schema of this process's own, so two runs (or other
// programs) on the same database do not trip over each other's fetch_rows.
void use_own_schema(backend& b) {
    b.schema = "eagerload_bench_fetch_paths_" + std::to_string(::getpid());
    *b.sql << "SET client_min_messages = warning";
    *b.sql << ("DROP SCHEMA IF EXISTS " + b.schema + " CASCADE");
    *b.sql << ("CREATE SCHEMA " + b.schema);
    const std::string set_path = "SET search_path TO " + b.schema;
    *b.sql << set_path;
    soci::connection_pool& pool = b.db.soci_pool();  // the library's sessions
    for (std::size_t i = 0; i < b.db.pool_size(); ++i) pool.at(i) << set_path;
    PGresult* res = PQexec(b.pg, set_path.c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) fail("libpq: " + set_path + ": " + PQerrorMessage(b.pg));
}

void seed(backend& b) {
    eagerload::drop_table<Row>(b.db);
    eagerload::create_table<Row>(b.db);
    eagerload::insert_all(b.db, all_rows);
    if (b.k == kind::postgresql) {
        *b.sql << "ANALYZE fetch_rows";  // so the planner knows id <= n may be every row
    } else {
        *b.sql << "ANALYZE";
    }
}

void open_clients(backend& b) {
    if (b.k == kind::postgresql) {
        b.sql = std::make_unique<soci::session>(soci::postgresql, b.target);
        b.pg = PQconnectdb(b.target.c_str());
        if (PQstatus(b.pg) != CONNECTION_OK) fail(std::string("libpq: ") + PQerrorMessage(b.pg));
        use_own_schema(b);
    } else {
        b.sql = std::make_unique<soci::session>(soci::sqlite3, "db=\"" + b.target + "\"");
        if (sq::sqlite3_open_v2(b.target.c_str(), &b.lite, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            fail("sqlite3_open_v2 failed on " + b.target);
    }
}

// Every path must return exactly the generated rows, field by field.
void validate(backend& b) {
    for (const path& p : paths_for(b)) {
        fetcher f;
        auto keep = p.setup(b, f);
        for (long long n : {1'000LL, 10'000LL, max_rows}) {
            const std::vector<Row> got = f(n);
            check(got, n, p.name.c_str());
            for (std::size_t i = 0; i < got.size(); ++i)
                if (!(got[i] == all_rows[i]))
                    fail(b.name + "/" + p.name + ": row " + std::to_string(i) + " (id " + std::to_string(got[i].id) +
                         ") differs from the generated row: title '" + got[i].title + "' vs '" +
                         all_rows[i].title + "', created_at " + eagerload::format_timestamp(got[i].created_at) +
                         " vs " + eagerload::format_timestamp(all_rows[i].created_at));
        }
    }
}

void register_benchmarks(backend& b) {
    for (const path& p : paths_for(b)) {
        const std::string full = b.name + "/" + p.name;
        benchmark::RegisterBenchmark(full.c_str(),
                                     [&b, p, full](benchmark::State& state) {
                                         const long long n = state.range(0);
                                         fetcher f;
                                         auto keep = p.setup(b, f);
                                         for (auto _ : state) {
                                             std::vector<Row> rows = f(n);
                                             check(rows, n, full.c_str());
                                             benchmark::DoNotOptimize(rows.data());
                                         }
                                         state.SetItemsProcessed(state.iterations() * n);
                                     })
            ->Arg(1'000)
            ->Arg(10'000)
            ->Arg(max_rows)
            ->UseRealTime()
            ->MinTime(min_time_seconds)
            ->Unit(benchmark::kMillisecond);
    }
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    all_rows = make_rows(max_rows);
    expected_checksums.assign(static_cast<std::size_t>(max_rows) + 1, 0);
    for (std::size_t i = 0; i < all_rows.size(); ++i)
        expected_checksums[i + 1] =
            expected_checksums[i] + all_rows[i].id + static_cast<long long>(all_rows[i].title.size());

    std::vector<std::unique_ptr<backend>> backends;
    const std::filesystem::path sqlite_file =
        std::filesystem::temp_directory_path() / ("eagerload_bench_fetch_" + std::to_string(::getpid()) + ".db");
    try {
        backends.push_back(std::make_unique<backend>(kind::sqlite, "sqlite", sqlite_file.string(),
                                                     eagerload::database::sqlite(sqlite_file.string())));
        if (const char* pg = std::getenv("EAGERLOAD_BENCH_POSTGRES"); pg && *pg) {
            backends.push_back(
                std::make_unique<backend>(kind::postgresql, "postgresql", pg, eagerload::database::postgresql(pg)));
        } else {
            std::fprintf(stderr,
                         "bench_fetch_paths: EAGERLOAD_BENCH_POSTGRES is not set: running the SQLite benchmarks "
                         "only (set it to a libpq conninfo, e.g. \"host=127.0.0.1 port=5432 dbname=app "
                         "user=app\", to add PostgreSQL)\n");
        }
        for (auto& b : backends) {
            open_clients(*b);
            seed(*b);
            validate(*b);
            register_benchmarks(*b);
        }
    } catch (const std::exception& e) {
        fail(std::string("setup: ") + e.what());
    }

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    try {
        for (auto& b : backends)
            if (b->k == kind::postgresql) *b->sql << ("DROP SCHEMA IF EXISTS " + b->schema + " CASCADE");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_fetch_paths: cleanup: %s\n", e.what());
    }
    backends.clear();
    std::error_code ec;
    std::filesystem::remove(sqlite_file, ec);
    std::filesystem::remove(sqlite_file.string() + "-journal", ec);
    return 0;
}
