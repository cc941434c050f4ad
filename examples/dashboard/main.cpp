// dashboard: the story's page, loaded naively (N+1), eagerly, and by hand-written
// SOCI, timed side by side on the same database, with a check that all three build
// the same dashboard.
//
//   dashboard [--sqlite PATH | --postgres CONNINFO | --mariadb CONN] [--no-generate] [--user ID]
//             [--variant full|limited|summary] [--strategy naive|eager|handwritten|all]
//             [--repeat N] [--json FILE] [--summary-json FILE]
//             [--tasks-per-project N] [--comments-per-task N]
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "dashboard.hpp"

namespace {

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr,
                 "dashboard: %s\nusage: dashboard [--sqlite PATH | --postgres CONNINFO | --mariadb CONN] [--no-generate]\n"
                 "                 [--user ID] [--variant full|limited|summary] [--strategy naive|eager|handwritten|all]\n"
                 "                 [--repeat N]"
                 " [--json FILE] [--summary-json FILE] [--tasks-per-project N] [--comments-per-task N]\n",
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
    std::string url, sqlite_path, json_path, summary_path;
    bool generate_data = true;
    std::int64_t user = 1;
    variant v = variant::limited;
    std::vector<strategy> strategies{strategy::naive, strategy::eager, strategy::handwritten};
    int repeat = 5;
    config cfg;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(fmt::format("{} needs a value", a));
            return argv[++i];
        };
        if (a == "--sqlite") sqlite_path = value(), url = "sqlite:" + sqlite_path;
        else if (a == "--postgres") url = std::string("postgresql:") + value();
        else if (a == "--mariadb") url = std::string("mariadb:") + value();  // "db=D user=U host=H port=P"
        else if (a == "--no-generate") generate_data = false;
        else if (a == "--user") user = number(a, value());
        else if (a == "--repeat") repeat = static_cast<int>(std::max(1LL, number(a, value())));
        else if (a == "--json") json_path = value();
        else if (a == "--summary-json") summary_path = value();
        else if (a == "--tasks-per-project") cfg.tasks_per_project = static_cast<int>(number(a, value()));
        else if (a == "--comments-per-task") cfg.comments_per_task = static_cast<int>(number(a, value()));
        else if (a == "--variant") {
            const std::string_view s = value();
            if (s == "full") v = variant::full;
            else if (s == "limited") v = variant::limited;
            else if (s == "summary") v = variant::summary;
            else usage(fmt::format("unknown variant \"{}\"", s));
        } else if (a == "--strategy") {
            const std::string_view s = value();
            if (s == "all") strategies = {strategy::naive, strategy::eager, strategy::handwritten};
            else if (s == "naive") strategies = {strategy::naive};
            else if (s == "eager") strategies = {strategy::eager};
            else if (s == "handwritten") strategies = {strategy::handwritten};
            else usage(fmt::format("unknown strategy \"{}\"", s));
        } else if (a == "--help" || a == "-h") {
            usage("the story's dashboard, three ways");
        } else {
            usage(fmt::format("unknown option \"{}\"", a));
        }
    }
    cfg.user_id = user;

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

    auto db = eagerload::database::open(url);
    if (generate_data) {
        drop_schema(db);
        create_schema(db);
        const auto t0 = std::chrono::steady_clock::now();
        const row_counts n = generate(db, cfg);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        fmt::print("generated {} users, {} projects, {} memberships, {} tasks, {} comments in {:.0f} ms\n", n.users,
                   n.projects, n.members, n.tasks, n.comments, ms);
    }
    fmt::print("{} dashboard of user {} on {}, {} run(s) per strategy\n\n", to_string(v), user,
               eagerload::to_string(db.sql_dialect()), repeat);
    fmt::print("{:<12} {:>10} {:>11} {:>11} {:>9}\n", "strategy", "statements", "median ms", "min ms", "projects");

    std::string reference_json, summary = "[";
    bool all_equal = true;
    for (std::size_t si = 0; si < strategies.size(); ++si) {
        const strategy s = strategies[si];
        std::vector<double> times;
        result last;
        for (int r = 0; r < repeat; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            last = load(s, v, db, user);
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(times.begin(), times.end());
        const double median = times.size() % 2 ? times[times.size() / 2]
                                                : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
        fmt::print("{:<12} {:>10} {:>11.2f} {:>11.2f} {:>9}\n", to_string(s), last.statements, median, times.front(),
                   last.dashboard.size());
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
