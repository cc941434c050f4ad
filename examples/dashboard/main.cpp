// dashboard: the story's page, loaded naively (N+1), eagerly, by hand-written SOCI and,
// on PostgreSQL, by hand-written raw libpq (prepared statements on a connection of its
// own, the C floor), timed side by side on the same database, with a check that all of
// them build the same dashboard.
//
//   dashboard [--sqlite PATH | --postgres CONNINFO | --mariadb CONN] [--no-generate] [--user ID]
//             [--variant full|limited|summary] [--strategy naive|eager|handwritten|libpq|all]
//             [--repeat N] [--json FILE] [--summary-json FILE]
//             [--tasks-per-project N] [--comments-per-task N]
//             [--page-size N] [--after TOKEN] [--next-token FILE] [--statement-cache N]
//
// Keyed pages (eager strategy): --page-size N projects (default 20: the dashboard's
// first page) after the page token --after names; --next-token FILE writes the token
// of the next page, or nothing after the last page. --statement-cache N: prepared
// statements kept per session (0: off), to measure the statement cache.
//             [--detect]   (tooling: run the strategies once under the N+1 and unused-load detector, print its report)
//             [--explain]  (tooling: the eager query's statements under EXPLAIN, per level)
//             [--advise-indexes]  (tooling: the CREATE INDEX statements the eager query's levels
//                                  want, one per line, ready to pipe into psql)
#include <eagerload/detector.hpp>
#include <eagerload/explain.hpp>
#include <eagerload/index_advice.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "dashboard.hpp"
#include "query.hpp"

namespace {

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr,
                 "dashboard: %s\nusage: dashboard [--sqlite PATH | --postgres CONNINFO | --mariadb CONN] [--no-generate]\n"
                 "                 [--user ID] [--variant full|limited|summary]\n"
                 "                 [--strategy naive|eager|handwritten|libpq|all]  (libpq: --postgres only; all\n"
                 "                 includes it there)\n"
                 "                 [--repeat N]"
                 " [--json FILE] [--summary-json FILE] [--tasks-per-project N] [--comments-per-task N]\n"
                 "                 [--page-size N] [--after TOKEN] [--next-token FILE] [--statement-cache N]\n"
                 "                 [--detect] [--explain] [--advise-indexes]\n",
                 problem.c_str());
    std::exit(2);
}

long long number(std::string_view flag, const char* text) {
    char* end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (!*text || *end || v < 0) usage(fmt::format("{} needs a non-negative number, got \"{}\"", flag, text));
    return v;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
    if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) try {
    using namespace dashboard;
    std::string url, sqlite_path, json_path, summary_path, pg_conninfo;
    bool generate_data = true;
    std::int64_t user = 1;
    variant v = variant::limited;
    std::vector<strategy> strategies{strategy::naive, strategy::eager, strategy::handwritten};
    int repeat = 5;
    config cfg;
    // Keyed pages and the statement cache.
    bool paged = false, strategy_given = false, all = true;
    std::size_t page_size = 20;
    std::string after, next_token_path;
    eagerload::open_options options;
    bool detect = false, explain = false, advise = false;  // tooling flags
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(fmt::format("{} needs a value", a));
            return argv[++i];
        };
        if (a == "--sqlite") sqlite_path = value(), url = "sqlite:" + sqlite_path;
        else if (a == "--postgres") pg_conninfo = value(), url = "postgresql:" + pg_conninfo;
        else if (a == "--mariadb") url = std::string("mariadb:") + value();  // "db=D user=U host=H port=P"
        else if (a == "--no-generate") generate_data = false;
        else if (a == "--detect") detect = true;
        else if (a == "--explain") explain = true;
        else if (a == "--advise-indexes") advise = true;
        else if (a == "--user") user = number(a, value());
        else if (a == "--repeat") repeat = static_cast<int>(std::max(1LL, number(a, value())));
        else if (a == "--json") json_path = value();
        else if (a == "--summary-json") summary_path = value();
        else if (a == "--tasks-per-project") cfg.tasks_per_project = static_cast<int>(number(a, value()));
        else if (a == "--comments-per-task") cfg.comments_per_task = static_cast<int>(number(a, value()));
        // Keyed pages and the statement cache.
        else if (a == "--page-size") paged = true, page_size = static_cast<std::size_t>(std::max(1LL, number(a, value())));
        else if (a == "--after") paged = true, after = value();
        else if (a == "--next-token") paged = true, next_token_path = value();
        else if (a == "--statement-cache") options.statement_cache_size = static_cast<std::size_t>(number(a, value()));
        else if (a == "--variant") {
            const std::string_view s = value();
            if (s == "full") v = variant::full;
            else if (s == "limited") v = variant::limited;
            else if (s == "summary") v = variant::summary;
            else usage(fmt::format("unknown variant \"{}\"", s));
        } else if (a == "--strategy") {
            const std::string_view s = value();
            strategy_given = true;
            all = s == "all";
            if (all) strategies = {strategy::naive, strategy::eager, strategy::handwritten};
            else if (s == "naive") strategies = {strategy::naive};
            else if (s == "eager") strategies = {strategy::eager};
            else if (s == "handwritten") strategies = {strategy::handwritten};
            else if (s == "libpq") strategies = {strategy::libpq};
            else usage(fmt::format("unknown strategy \"{}\"", s));
        } else if (a == "--help" || a == "-h") {
            usage("the story's dashboard, three ways (four on PostgreSQL)");
        } else {
            usage(fmt::format("unknown option \"{}\"", a));
        }
    }
    cfg.user_id = user;
    const bool libpq_wanted = std::find(strategies.begin(), strategies.end(), strategy::libpq) != strategies.end();
    if (libpq_wanted && pg_conninfo.empty())
        usage("the libpq strategy runs on PostgreSQL only: give --postgres CONNINFO");
    if (paged) {
        if (strategy_given && (strategies.size() != 1 || strategies[0] != strategy::eager))
            usage("--page-size, --after and --next-token page the eager strategy only");
        strategies = {strategy::eager};
        all = false;
    }

    // Default: a fresh embedded SQLite database in a temporary file, removed at exit.
    std::string temp_path;
    if (url.empty()) {
        if (!generate_data) usage("--no-generate needs --sqlite PATH, --postgres CONNINFO or --mariadb CONN");
        temp_path = (std::filesystem::temp_directory_path() / fmt::format("eagerload-dashboard-{}.db", ::getpid())).string();
        std::filesystem::remove(temp_path);
        url = "sqlite:" + temp_path;
    }
    struct remove_temp {
        std::string path;
        ~remove_temp() {
            if (!path.empty()) std::filesystem::remove(path);
        }
    } cleanup{temp_path};

    auto db = eagerload::database::open(url, options);
    if (generate_data) {
        drop_schema(db);
        create_schema(db);
        const auto t0 = std::chrono::steady_clock::now();
        const row_counts n = generate(db, cfg);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (!advise)  // --advise-indexes prints SQL only
            fmt::print("generated {} users, {} projects, {} memberships, {} tasks, {} comments in {:.0f} ms\n", n.users,
                       n.projects, n.members, n.tasks, n.comments, ms);
    }
    // Tooling: each strategy once under the N+1 detector (docs/testing.md shows its report).
    if (advise) {  // only the statements: the output is SQL
        for (const auto& a : eagerload::advise_indexes(dashboard_query(v == variant::limited, user), db))
            fmt::print("{};\n", a.sql);
        return 0;
    }
    if (explain) {
        fmt::print("{}", eagerload::to_string(eagerload::explain(dashboard_query(v == variant::limited, user), db)));
        return 0;
    }
    if (detect) {
        for (const strategy s : strategies) {
            std::string found;
            {
                eagerload::n_plus_one_detector detector(
                    db, {.write = [&](const std::string& r) { found = r; }, .unused_loads = true});
                load(s, v, db, user);
            }
            fmt::print("{}:{}", to_string(s), found.empty() ? std::string(" no N+1, no unused eager load\n") : "\n" + found);
        }
        return 0;
    }
    // "all" on PostgreSQL: the C floor too, on its own connection (PQconnectdb from the
    // same connection string).
    if (all && !pg_conninfo.empty()) strategies.push_back(strategy::libpq);
    std::unique_ptr<libpq_connection> pq;
    if (std::find(strategies.begin(), strategies.end(), strategy::libpq) != strategies.end())
        pq = std::make_unique<libpq_connection>(pg_conninfo);
    fmt::print("{} dashboard of user {} on {}, {} run(s) per strategy\n\n", to_string(v), user,
               eagerload::to_string(db.sql_dialect()), repeat);
    fmt::print("{:<12} {:>10} {:>11} {:>11} {:>9}\n", "strategy", "statements", "median ms", "min ms", "projects");

    std::string reference_json, summary = "[";
    bool all_equal = true;
    for (std::size_t si = 0; si < strategies.size(); ++si) {
        const strategy s = strategies[si];
        std::vector<double> times;
        result last;
        std::optional<std::string> next_token;
        for (int r = 0; r < repeat; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            if (paged) {
                page_result p = load_eager_page(v, db, user, page_size, after);
                last = std::move(p.page);
                next_token = std::move(p.next_token);
            } else {
                last = load(s, v, db, user, pq.get());
            }
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(times.begin(), times.end());
        const double median = times.size() % 2 ? times[times.size() / 2]
                                                : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
        fmt::print("{:<12} {:>10} {:>11.2f} {:>11.2f} {:>9}\n", to_string(s), last.statements, median, times.front(),
                   last.dashboard.size());
        if (!next_token_path.empty()) write_file(next_token_path, next_token.value_or(""));
        const std::string json = to_json(last.dashboard);
        if (si == 0) {
            reference_json = json;
            if (!json_path.empty()) write_file(json_path, json);
        } else if (json != reference_json) {
            all_equal = false;
            fmt::print(stderr, "MISMATCH: {} built a different dashboard than {}\n", to_string(s),
                       to_string(strategies[0]));
        }
        summary += fmt::format("{}{{\"median_ms\":{:.3f},\"min_ms\":{:.3f},\"statements\":{},\"strategy\":\"{}\",\"variant\":\"{}\"}}",
                               si ? "," : "", median, times.front(), last.statements, to_string(s), to_string(v));
    }
    summary += "]";
    if (!summary_path.empty()) write_file(summary_path, summary);
    if (!all_equal) return 1;
    if (strategies.size() > 1) fmt::print("\nall {} strategies built the same dashboard\n", strategies.size());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "dashboard: %s\n", e.what());
    return 1;
}
