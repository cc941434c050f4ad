// bench_huge_input: huge input on every backend (issue 8, item 3). A plain main(), not
// Google Benchmark: each load runs once in a fresh process, so that its peak memory is
// its own.
//
// (a) One prefetch level, select<HugeParent>().prefetch(children), with N child rows
//     under N/10 parents (10 each), N = 10,000, 100,000 and 1,000,000. Per N: the data
//     is generated with insert_all in fresh tables, then this program re-executes itself
//     (`--child BACKEND N`, the target in $EAGERLOAD_HUGE_TARGET) and the child, a fresh
//     process, loads the graph twice and prints:
//       ms          the faster of the two loads (wall time, parents + children);
//       peak bytes  getrusage(RUSAGE_SELF).ru_maxrss after the first load minus before
//                   it (the child's high-water RSS grown by the load: whatever the load
//                   touched at its peak, the graph, the backend's result buffers, the
//                   allocator's slack);
//       live bytes  mallinfo2() in-use bytes (uordblks + hblkhd) with the graph alive
//                   minus before the load: what the loaded graph keeps;
//       raw bytes   the graph's data: sizeof(HugeParent) per parent + sizeof(HugeChild)
//                   per child + each string's heap buffer (capacity() + 1 when the
//                   string is not in its small-string buffer).
//     The child checks the graph: N/10 parents, each with its own 10 children.
// (b) A string-keyed level: 100,000 HugeTeam rows keyed by a text code and one HugePlayer
//     per team, loaded as select<HugePlayer>().prefetch(team) (a belongs_to whose level
//     sends 100,000 text keys); checks every player got its own team, prints the time.
//
// Backends: SQLite (a temporary file), PostgreSQL ($EAGERLOAD_TEST_POSTGRES, libpq
// key=value; a schema of its own) and MariaDB ($EAGERLOAD_TEST_MARIADB, SOCI key=value; a
// database of its own), each dropped at exit; a backend whose variable is unset is skipped.
//
//   bench_huge_input                       # N = 10k, 100k, 1M; text keys 100k
//   bench_huge_input --max-rows 100000     # quick: N = 10k, 100k
//   bench_huge_input --backends sqlite,postgresql
//   EAGERLOAD_HUGE_CHILD_PREFIX="heaptrack -o /tmp/h" bench_huge_input --backends mariadb   # profile the loads
//   EAGERLOAD_HUGE_DIRECT_THRESHOLD=18446744073709551615 bench_huge_input   # levels never placed as rows arrive
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <eagerload/database.hpp>
#include <eagerload/detail/execute.hpp>
#include <eagerload/insert.hpp>
#include <eagerload/model.hpp>
#include <eagerload/relation.hpp>
#include <eagerload/schema.hpp>
#include <eagerload/select.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct HugeParent {
    std::int64_t id;
    std::string name;
};
struct HugeChild {
    std::int64_t id;
    std::int64_t parent_id;
    std::int32_t position;
    std::string title;
};
struct HugeTeam {
    std::string code;
    std::string name;
};
struct HugePlayer {
    std::int64_t id;
    std::string team_code;
};
BOOST_HANA_ADAPT_STRUCT(HugeParent, id, name);
BOOST_HANA_ADAPT_STRUCT(HugeChild, id, parent_id, position, title);
BOOST_HANA_ADAPT_STRUCT(HugeTeam, code, name);
BOOST_HANA_ADAPT_STRUCT(HugePlayer, id, team_code);

template <>
struct eagerload::model<HugeParent> {
    static constexpr std::string_view table = "huge_parents";
    static constexpr auto key = &HugeParent::id;
};
template <>
struct eagerload::model<HugeChild> {
    static constexpr std::string_view table = "huge_children";
    static constexpr auto key = &HugeChild::id;
};
template <>
struct eagerload::model<HugeTeam> {
    static constexpr std::string_view table = "huge_teams";
    static constexpr auto key = &HugeTeam::code;
};
template <>
struct eagerload::model<HugePlayer> {
    static constexpr std::string_view table = "huge_players";
    static constexpr auto key = &HugePlayer::id;
};

namespace {

inline constexpr auto children = eagerload::has_many<&HugeChild::parent_id, &HugeParent::id>;
inline constexpr auto parent = eagerload::belongs_to<&HugeChild::parent_id, &HugeParent::id>;
inline constexpr auto team = eagerload::belongs_to<&HugePlayer::team_code, &HugeTeam::code>;

constexpr std::int64_t children_each = 10;
constexpr std::int64_t text_keys = 100000;

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "bench_huge_input: %s\n", message.c_str());
    std::fflush(stderr);
    std::exit(1);
}

using clock_type = std::chrono::steady_clock;
double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

eagerload::database open_target(const std::string& backend, const std::string& target) {
    if (backend == "sqlite") return eagerload::database::sqlite(target);
    if (backend == "postgresql") return eagerload::database::postgresql(target);
    return eagerload::database::mariadb(target);
}

// libstdc++ keeps up to 15 characters in the string itself (no heap buffer).
std::size_t heap_bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

long maxrss_bytes() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss * 1024L;
}

long in_use_bytes() {
    const struct mallinfo2 m = ::mallinfo2();
    return static_cast<long>(m.uordblks + m.hblkhd);
}

// The child: load N children under N/10 parents twice, check, print one line.
int child_main(const std::string& backend, std::int64_t n) {
    const char* target = std::getenv("EAGERLOAD_HUGE_TARGET");
    if (!target) fail("--child needs EAGERLOAD_HUGE_TARGET");
    auto db = open_target(backend, target);
    if (const char* t = std::getenv("EAGERLOAD_HUGE_DIRECT_THRESHOLD"))  // 0: every level placed as rows arrive
        eagerload::detail::set_prefetch_direct_threshold(std::stoull(t));
    const auto q = eagerload::select<HugeParent>().prefetch(children);
    { auto warm = eagerload::select<HugeParent>().limit(1).load(db); }  // the session is open and used
    ::malloc_trim(0);
    const long rss_before = maxrss_bytes();
    const long heap_before = in_use_bytes();
    auto t = clock_type::now();
    auto graph = q.load(db);
    double best = ms_since(t);
    const long peak = maxrss_bytes() - rss_before;
    const long live = in_use_bytes() - heap_before;

    std::size_t raw = 0;
    std::int64_t kids = 0;
    if (static_cast<std::int64_t>(graph.size()) != n / children_each)
        fail(fmt::format("{} N={}: {} parents, expected {}", backend, n, graph.size(), n / children_each));
    for (const auto& p : graph) {
        raw += sizeof(HugeParent) + heap_bytes(p.name);
        if (static_cast<std::int64_t>(p[children].size()) != children_each)
            fail(fmt::format("{} N={}: parent {} has {} children", backend, n, p.id, p[children].size()));
        for (const auto& c : p[children]) {
            if (c.parent_id != p.id) fail(fmt::format("{} N={}: child {} under parent {}", backend, n, c.id, p.id));
            raw += sizeof(HugeChild) + heap_bytes(c.title);
            ++kids;
        }
    }
    if (kids != n) fail(fmt::format("{} N={}: {} children, expected {}", backend, n, kids, n));
    { auto drop = std::move(graph); }
    t = clock_type::now();
    auto again = q.load(db);
    best = std::min(best, ms_since(t));
    if (static_cast<std::int64_t>(again.size()) != n / children_each) fail("second load differs");
    std::printf("huge_result %.3f %ld %ld %zu\n", best, peak, live, raw);  // a profiler may print too
    return 0;
}

std::string self_path() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

struct measured {
    double ms;
    long peak, live;
    std::size_t raw;
};

measured run_child(const std::string& backend, const std::string& target, std::int64_t n) {
    ::setenv("EAGERLOAD_HUGE_TARGET", target.c_str(), 1);
    // $EAGERLOAD_HUGE_CHILD_PREFIX runs the child under a profiler, e.g. "heaptrack -o /tmp/h"
    // (the figures it prints then include the profiler's own overhead).
    const char* prefix = std::getenv("EAGERLOAD_HUGE_CHILD_PREFIX");
    const std::string cmd = fmt::format("{} '{}' --child {} {}", prefix ? prefix : "", self_path(), backend, n);
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) fail("popen failed");
    measured m{};
    int got = 0;
    char line[512];
    while (std::fgets(line, sizeof line, p))
        if (got != 4) got = std::sscanf(line, "huge_result %lf %ld %ld %zu", &m.ms, &m.peak, &m.live, &m.raw);
    const int status = ::pclose(p);
    ::unsetenv("EAGERLOAD_HUGE_TARGET");
    if (got != 4 || status != 0) fail(fmt::format("{} N={}: the child failed (status {})", backend, n, status));
    return m;
}

void generate(const eagerload::database& db, std::int64_t n) {
    using namespace eagerload;
    drop_table<HugeChild>(db);
    drop_table<HugeParent>(db);
    create_table<HugeParent>(db);
    create_table<HugeChild>(db, parent);
    create_index(db, "huge_children_parent", asc<&HugeChild::parent_id>);
    std::vector<HugeParent> parents;
    std::vector<HugeChild> kids;
    parents.reserve(static_cast<std::size_t>(n / children_each));
    kids.reserve(static_cast<std::size_t>(n));
    std::int64_t child_id = 1;
    for (std::int64_t id = 1; id <= n / children_each; ++id) {
        parents.push_back(HugeParent{id, fmt::format("Parent {}", id)});
        for (std::int32_t k = 0; k < children_each; ++k, ++child_id)
            kids.push_back(HugeChild{child_id, id, k, fmt::format("Child {} of parent {}", child_id, id)});
    }
    insert_all(db, parents);
    insert_all(db, kids);
}

double text_key_level(const eagerload::database& db) {
    using namespace eagerload;
    create_table<HugeTeam>(db);
    create_table<HugePlayer>(db);
    std::vector<HugeTeam> teams;
    std::vector<HugePlayer> players;
    for (std::int64_t i = 1; i <= text_keys; ++i) {
        teams.push_back(HugeTeam{fmt::format("team-{:06}", i), fmt::format("Team {}", i)});
        players.push_back(HugePlayer{i, fmt::format("team-{:06}", i)});
    }
    insert_all(db, teams);
    insert_all(db, players);
    const auto t = clock_type::now();
    const auto graph = select<HugePlayer>().prefetch(team).load(db);
    const double ms = ms_since(t);
    if (static_cast<std::int64_t>(graph.size()) != text_keys)
        fail(fmt::format("text keys: {} players, expected {}", graph.size(), text_keys));
    std::int64_t with_team = 0;
    for (const auto& p : graph) {
        const auto& t2 = p[team];
        if (t2.code == p.team_code && t2.name == fmt::format("Team {}", p.id)) ++with_team;
    }
    if (with_team != text_keys) fail(fmt::format("text keys: {} players with their team, expected {}", with_team, text_keys));
    return ms;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 3 && args[0] == "--child") return child_main(args[1], std::stoll(args[2]));
    std::int64_t max_rows = 1000000;
    std::string backends = "sqlite,postgresql,mariadb";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--max-rows" && i + 1 < args.size()) max_rows = std::stoll(args[++i]);
        else if (args[i] == "--backends" && i + 1 < args.size()) backends = args[++i];
        else fail("usage: bench_huge_input [--max-rows N] [--backends sqlite,postgresql,mariadb]");
    }
    const std::string scratch = fmt::format("eagerload_huge_{}", ::getpid());
    std::printf("| backend | N child rows | parents | load ms | ms per 1k rows | peak bytes | live bytes | raw bytes | peak/raw | live/raw |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    std::vector<std::string> text_lines;
    bool failed = false;
    for (const std::string backend : {"sqlite", "postgresql", "mariadb"}) {
        if (backends.find(backend) == std::string::npos) continue;
        std::string target, admin;
        if (backend == "sqlite") {
            target = (std::filesystem::temp_directory_path() / (scratch + ".db")).string();
        } else {
            const char* env = std::getenv(backend == "postgresql" ? "EAGERLOAD_TEST_POSTGRES" : "EAGERLOAD_TEST_MARIADB");
            if (!env || !*env) {
                std::fprintf(stderr, "bench_huge_input: %s skipped (its EAGERLOAD_TEST_* variable is unset)\n", backend.c_str());
                continue;
            }
            admin = env;
            if (backend == "postgresql") {
                eagerload::detail::execute(eagerload::database::postgresql(admin), "CREATE SCHEMA " + scratch);
                target = admin + " options='-c search_path=" + scratch + "'";
            } else {
                eagerload::detail::execute(eagerload::database::mariadb(admin), "CREATE DATABASE " + scratch +
                                                                                 " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
                target = admin + " db=" + scratch;
            }
        }
        try {
            auto db = open_target(backend, target);
    if (const char* t = std::getenv("EAGERLOAD_HUGE_DIRECT_THRESHOLD"))  // 0: every level placed as rows arrive
        eagerload::detail::set_prefetch_direct_threshold(std::stoull(t));
            for (std::int64_t n = 10000; n <= max_rows; n *= 10) {
                const auto t = clock_type::now();
                generate(db, n);
                const double gen = ms_since(t);
                const measured m = run_child(backend, target, n);
                std::printf("| %s | %lld | %lld | %.1f | %.3f | %ld | %ld | %zu | %.2f | %.2f |\n", backend.c_str(),
                            static_cast<long long>(n), static_cast<long long>(n / children_each), m.ms,
                            m.ms * 1000.0 / static_cast<double>(n), m.peak, m.live, m.raw,
                            static_cast<double>(m.peak) / static_cast<double>(m.raw),
                            static_cast<double>(m.live) / static_cast<double>(m.raw));
                std::fflush(stdout);
                std::fprintf(stderr, "bench_huge_input: %s N=%lld generated in %.1f s\n", backend.c_str(),
                             static_cast<long long>(n), gen / 1000.0);
            }
            const double ms = text_key_level(db);
            text_lines.push_back(fmt::format("| {} | {} | {:.1f} |", backend, text_keys, ms));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_huge_input: %s: %s\n", backend.c_str(), e.what());
            text_lines.push_back(fmt::format("| {} | {} | failed: {} |", backend, text_keys, e.what()));
            failed = true;
        }
        if (backend == "sqlite") {
            std::filesystem::remove(target);
        } else if (backend == "postgresql") {
            eagerload::detail::execute(eagerload::database::postgresql(admin), "DROP SCHEMA " + scratch + " CASCADE");
        } else {
            eagerload::detail::execute(eagerload::database::mariadb(admin), "DROP DATABASE " + scratch);
        }
    }
    std::printf("\n| backend | text keys (belongs_to level) | load ms (players + teams) |\n|---|---|---|\n");
    for (const auto& l : text_lines) std::printf("%s\n", l.c_str());
    return failed ? 1 : 0;
}
