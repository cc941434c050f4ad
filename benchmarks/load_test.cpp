// The story's dashboard under concurrent load on PostgreSQL: for each strategy (naive N+1,
// eager, hand-written SOCI) and each thread count N, a database handle over a pool of N
// sessions and N client threads loading the `limited` dashboard in a loop for a fixed time.
// Reports dashboards per second and the PostgreSQL server's CPU time per dashboard.
//
//   bench_load_test [--postgres CONNINFO | CONNINFO] [--seconds S] [--threads 1,4,16,64]
//                   [--strategies naive,eager,handwritten] [--variant limited|full]
//                   [--rtt-us US] [--pool shared|per-thread] [--no-generate] [--json FILE]
//
// CONNINFO is libpq key=value form (host=127.0.0.1 port=5432 dbname=D user=U); without
// one, $EAGERLOAD_BENCH_POSTGRES. The default dataset (dashboard::config{}) is generated
// once (dropping the dashboard tables first) unless --no-generate.
//
// --rtt-us R (R > 0) puts a latency proxy (eagerload_latency_proxy) between the client and
// PostgreSQL that delays every byte R/2 microseconds each way; the data is generated
// directly, only the checks and timed loads go through the proxy. The server must listen
// on TCP (a socket-directory host is replaced by 127.0.0.1).
//
// Server CPU: the server must run on this machine. The load test asks one of its own
// backends for pg_backend_pid(); that backend's parent (field 4 of /proc/PID/stat) is the
// postmaster. The server's CPU time is then the sum of utime+stime (fields 14 and 15, in
// clock ticks of sysconf(_SC_CLK_TCK)) over the postmaster and every process whose parent
// is the postmaster (backends, checkpointer, walwriter, autovacuum, ...), plus the
// postmaster's cutime+cstime (fields 16 and 17: children that exited and were reaped, e.g.
// autovacuum workers). Only this server's processes are counted, not other PostgreSQL
// servers on the machine. It is sampled after the pool is open and its sessions connected,
// just before the client threads start, and again after they have all stopped but before
// the pool closes, so the backends serving the load are alive at both samples.
//
// --pool shared (the default): one eagerload::database over a pool of N sessions, shared by
// the N threads (every statement leases a session). --pool per-thread: N handles of one
// session each, the same N connections. (dashboard::load counts its statements with a
// counter_scope::this_thread query_counter, which sees only its own thread and takes no
// lock, so both set-ups measure the same work; an earlier database-wide counter made
// the shared set-up pay for N counters per statement.)
//
// Output: a table on stdout (also the client's peak RSS per run: VmHWM, reset before each
// run) and, with --json FILE, [{"strategy", "threads", "rtt_ms", "seconds", "dashboards",
// "dashboards_per_second", "server_cpu_seconds", "server_cpu_ms_per_dashboard",
// "statements_per_dashboard", "pool", "client_peak_rss_mb"}], rewritten after every run.
//
// Every strategy's first dashboard is compared with the naive one (canonical JSON): the
// program exits non-zero if they differ. The statement count per dashboard is the one of
// that single-threaded check.
#include <fmt/core.h>

#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

#include <dirent.h>

#include "dashboard.hpp"
#include "latency_proxy.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr,
                 "bench_load_test: %s\n"
                 "usage: bench_load_test [--postgres CONNINFO | CONNINFO] [--seconds S] [--threads 1,4,16,64]\n"
                 "                       [--strategies naive,eager,handwritten] [--variant limited|full]\n"
                 "                       [--rtt-us US] [--pool shared|per-thread] [--no-generate] [--json FILE]\n"
                 "CONNINFO defaults to $EAGERLOAD_BENCH_POSTGRES.\n",
                 problem.c_str());
    std::exit(2);
}

long long number(std::string_view flag, std::string_view text) {
    const std::string s(text);
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end || v < 0) usage(fmt::format("{} needs a non-negative number, got \"{}\"", flag, text));
    return v;
}

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == sep) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// ---- the server's CPU time, from /proc -----------------------------------------------------

struct proc_stat {
    long pid = 0, ppid = 0;
    unsigned long long utime = 0, stime = 0, cutime = 0, cstime = 0;
};

std::optional<proc_stat> read_proc_stat(long pid) {
    std::string path = "/proc/";
    path += std::to_string(pid);
    path += "/stat";
    std::ifstream f(path);
    std::string line;
    if (!f || !std::getline(f, line)) return std::nullopt;
    // "PID (comm) state ppid ...": comm may contain spaces and parentheses; fields resume
    // after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(line.substr(close + 1));
    std::vector<std::string> fields;  // fields[0] is field 3 (state)
    std::string w;
    while (rest >> w) fields.push_back(w);
    if (fields.size() < 15) return std::nullopt;
    proc_stat s;
    s.pid = pid;
    s.ppid = std::stol(fields[1]);                // field 4
    s.utime = std::stoull(fields[11]);            // field 14
    s.stime = std::stoull(fields[12]);            // field 15
    s.cutime = std::stoull(fields[13]);           // field 16
    s.cstime = std::stoull(fields[14]);           // field 17
    return s;
}

std::vector<long> all_pids() {
    std::vector<long> out;
    DIR* d = ::opendir("/proc");
    if (!d) return out;
    while (const dirent* e = ::readdir(d)) {
        const std::string_view name = e->d_name;
        if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
            out.push_back(std::stol(std::string(name)));
    }
    ::closedir(d);
    return out;
}

// CPU seconds of the postmaster, its live children, and its reaped children; nullopt when
// the postmaster is not visible in /proc.
std::optional<double> server_cpu_seconds(long postmaster) {
    const auto pm = read_proc_stat(postmaster);
    if (!pm) return std::nullopt;
    unsigned long long ticks = pm->utime + pm->stime + pm->cutime + pm->cstime;
    for (long pid : all_pids()) {
        if (pid == postmaster) continue;
        const auto s = read_proc_stat(pid);
        if (s && s->ppid == postmaster) ticks += s->utime + s->stime;
    }
    return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string proc_comm(long pid) {
    std::string path = "/proc/";
    path += std::to_string(pid);
    path += "/comm";
    std::ifstream f(path);
    std::string comm;
    std::getline(f, comm);
    return comm;
}

// The postmaster of the server behind `db`, or 0 when it does not run on this machine.
long find_postmaster(const eagerload::database& db) {
    soci::session& s = db.soci_pool().at(0);
    int backend = 0;
    s << "SELECT pg_backend_pid()", soci::into(backend);
    const auto st = read_proc_stat(backend);
    if (!st || proc_comm(backend) != "postgres") return 0;
    // Guard against a PID that happens to exist locally while the server is remote: the
    // parent must be a postgres process too.
    if (proc_comm(st->ppid) != "postgres") return 0;
    return st->ppid;
}

// ---- the client's peak resident set size, per run -----------------------------------------

// Resets VmHWM (Linux 4.0+: writing 5 to /proc/self/clear_refs); harmless where unsupported.
void reset_peak_rss() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
}

double peak_rss_mb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // "VmHWM:  1234 kB"
    return 0;
}

// ---- the load --------------------------------------------------------------------------

struct measurement {
    std::string strategy;
    int threads = 0;
    double rtt_ms = 0;
    double seconds = 0;
    long long dashboards = 0;
    double dashboards_per_second = 0;
    std::optional<double> server_cpu_seconds;
    std::optional<double> server_cpu_ms_per_dashboard;
    std::size_t statements_per_dashboard = 0;
    bool shared_pool = true;
    double peak_rss_mb = 0;
};

measurement run(dashboard::strategy s, dashboard::variant v, const std::string& url, int threads, double seconds,
                std::int64_t user, long postmaster, bool shared_pool) {
    reset_peak_rss();
    // Shared: one handle over a pool of `threads` sessions, every statement leases one.
    // Per thread: `threads` handles of one session each (the same number of connections).
    std::vector<eagerload::database> dbs;
    if (shared_pool) {
        eagerload::open_options o;
        o.pool_size = static_cast<std::size_t>(threads);
        dbs.push_back(eagerload::database::open(url, o));
    } else {
        for (int t = 0; t < threads; ++t) dbs.push_back(eagerload::database::open(url));
    }
    dashboard::load(s, v, dbs.front(), user);  // warm-up: caches, catalog lookups

    std::atomic<bool> stop{false};
    std::latch ready(threads + 1);
    std::vector<long long> counts(static_cast<std::size_t>(threads), 0);
    std::mutex error_mutex;
    std::string error;
    std::vector<std::thread> workers;
    clock_type::time_point deadline;
    std::atomic<bool> go{false};
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            const eagerload::database& db = dbs[shared_pool ? 0 : static_cast<std::size_t>(t)];
            ready.count_down();
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            long long n = 0;
            try {
                while (!stop.load(std::memory_order_relaxed) && clock_type::now() < deadline) {
                    dashboard::load(s, v, db, user);
                    ++n;
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(error_mutex);
                if (error.empty()) error = e.what();
                stop = true;
            }
            counts[static_cast<std::size_t>(t)] = n;
        });
    }
    ready.arrive_and_wait();
    const std::optional<double> cpu0 = postmaster ? server_cpu_seconds(postmaster) : std::nullopt;
    const auto t0 = clock_type::now();
    deadline = t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
    go.store(true, std::memory_order_release);
    for (auto& w : workers) w.join();
    const auto t1 = clock_type::now();
    const std::optional<double> cpu1 = postmaster ? server_cpu_seconds(postmaster) : std::nullopt;
    if (!error.empty()) throw std::runtime_error(error);
    const double rss = peak_rss_mb();

    measurement m;
    m.strategy = dashboard::to_string(s);
    m.threads = threads;
    m.shared_pool = shared_pool;
    m.peak_rss_mb = rss;
    m.seconds = std::chrono::duration<double>(t1 - t0).count();
    for (long long c : counts) m.dashboards += c;
    m.dashboards_per_second = static_cast<double>(m.dashboards) / m.seconds;
    if (cpu0 && cpu1) {
        m.server_cpu_seconds = *cpu1 - *cpu0;
        if (m.dashboards > 0) m.server_cpu_ms_per_dashboard = *m.server_cpu_seconds * 1000.0 / static_cast<double>(m.dashboards);
    }
    return m;  // the pool closes here, after the second sample
}

std::string json_number(const std::optional<double>& v, int decimals) {
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("null");
}

std::string to_json(const std::vector<measurement>& ms) {
    std::string out = "[\n";
    for (std::size_t i = 0; i < ms.size(); ++i) {
        const measurement& m = ms[i];
        out += fmt::format(
            "  {{\"strategy\": \"{}\", \"threads\": {}, \"rtt_ms\": {:.3f}, \"seconds\": {:.3f}, \"dashboards\": {}, "
            "\"dashboards_per_second\": {:.3f}, \"server_cpu_seconds\": {}, \"server_cpu_ms_per_dashboard\": {}, "
            "\"statements_per_dashboard\": {}, \"pool\": \"{}\", \"client_peak_rss_mb\": {:.1f}}}{}\n",
            m.strategy, m.threads, m.rtt_ms, m.seconds, m.dashboards, m.dashboards_per_second,
            json_number(m.server_cpu_seconds, 3), json_number(m.server_cpu_ms_per_dashboard, 4),
            m.statements_per_dashboard, m.shared_pool ? "shared" : "per-thread", m.peak_rss_mb,
            i + 1 < ms.size() ? "," : "");
    }
    out += "]\n";
    return out;
}

}  // namespace

int main(int argc, char** argv) try {
    std::string conninfo, json_path;
    double seconds = 10;
    long long rtt_us = 0;
    bool generate_data = true, shared_pool = true;
    std::vector<int> thread_counts{1, 4, 16, 64};
    std::vector<dashboard::strategy> strategies{dashboard::strategy::naive, dashboard::strategy::eager,
                                                dashboard::strategy::handwritten};
    dashboard::variant v = dashboard::variant::limited;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc) usage(fmt::format("{} needs a value", a));
            return argv[++i];
        };
        if (a == "--postgres") conninfo = value();
        else if (a == "--seconds") {
            const std::string text(value());
            char* end = nullptr;
            seconds = std::strtod(text.c_str(), &end);
            if (text.empty() || *end || !(seconds > 0)) usage("--seconds needs a positive number");
        } else if (a == "--rtt-us") rtt_us = number(a, value());
        else if (a == "--json") json_path = value();
        else if (a == "--no-generate") generate_data = false;
        else if (a == "--pool") {
            const std::string_view p = value();
            if (p == "shared") shared_pool = true;
            else if (p == "per-thread") shared_pool = false;
            else usage(fmt::format("unknown pool mode \"{}\"", p));
        }
        else if (a == "--threads") {
            thread_counts.clear();
            for (const auto& t : split(value(), ',')) thread_counts.push_back(static_cast<int>(std::max(1LL, number(a, t))));
            if (thread_counts.empty()) usage("--threads needs a list such as 1,4,16,64");
        } else if (a == "--strategies") {
            strategies.clear();
            for (const auto& s : split(value(), ',')) {
                if (s == "naive") strategies.push_back(dashboard::strategy::naive);
                else if (s == "eager") strategies.push_back(dashboard::strategy::eager);
                else if (s == "handwritten") strategies.push_back(dashboard::strategy::handwritten);
                else usage(fmt::format("unknown strategy \"{}\"", s));
            }
            if (strategies.empty()) usage("--strategies needs a list such as naive,eager,handwritten");
        } else if (a == "--variant") {
            const std::string_view s = value();
            if (s == "full") v = dashboard::variant::full;
            else if (s == "limited") v = dashboard::variant::limited;
            else usage(fmt::format("unknown variant \"{}\"", s));
        } else if (a == "--help" || a == "-h") usage("the dashboard under concurrent load on PostgreSQL");
        else if (!a.empty() && a[0] != '-' && conninfo.empty()) conninfo = a;
        else usage(fmt::format("unknown option \"{}\"", a));
    }
    if (conninfo.empty())
        if (const char* env = std::getenv("EAGERLOAD_BENCH_POSTGRES")) conninfo = env;
    if (conninfo.empty()) usage("no PostgreSQL: pass CONNINFO or set EAGERLOAD_BENCH_POSTGRES");

    const dashboard::config cfg;
    const std::string direct_url = "postgresql:" + conninfo;
    // Kept open for the whole run: finds the postmaster, and is idle while loads run.
    auto admin = eagerload::database::open(direct_url);
    if (generate_data) {
        dashboard::drop_schema(admin);
        dashboard::create_schema(admin);
        const auto t0 = clock_type::now();
        const auto n = dashboard::generate(admin, cfg);
        soci::session& s = admin.soci_pool().at(0);
        s << "VACUUM ANALYZE";  // no autovacuum/analyze kicking in during a timed run
        fmt::print("generated {} users, {} projects, {} memberships, {} tasks, {} comments in {:.0f} ms\n", n.users,
                   n.projects, n.members, n.tasks, n.comments,
                   std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
    }
    const long postmaster = find_postmaster(admin);
    if (postmaster)
        fmt::print("server CPU: postmaster PID {} and its children, from /proc/PID/stat ({} ticks/s)\n", postmaster,
                   ::sysconf(_SC_CLK_TCK));
    else
        fmt::print("server CPU: not measured (the server's processes are not visible in /proc here)\n");

    std::unique_ptr<latency_proxy> proxy;
    std::string url = direct_url;
    if (rtt_us > 0) {
        const auto target = eagerload_bench::pg_target(eagerload_bench::pg_parse_conninfo(conninfo));
        proxy = std::make_unique<latency_proxy>(target.host, target.port, std::chrono::microseconds(rtt_us / 2));
        url = "postgresql:" + eagerload_bench::pg_conninfo_through(conninfo, proxy->port());
        fmt::print("through a latency proxy on 127.0.0.1:{}: {} us each way, {} us round trip\n", proxy->port(),
                   rtt_us / 2, rtt_us / 2 * 2);
    }

    // Correctness first, single-threaded: every strategy builds the naive dashboard.
    std::map<dashboard::strategy, std::size_t> statements;
    {
        auto db = eagerload::database::open(url);
        std::string reference;
        for (const auto s : strategies) {
            const auto r = dashboard::load(s, v, db, cfg.user_id);
            statements[s] = r.statements;
            const std::string json = dashboard::to_json(r.dashboard);
            if (reference.empty()) reference = json;
            else if (json != reference) {
                fmt::print(stderr, "MISMATCH: {} built a different dashboard than {}\n", dashboard::to_string(s),
                           dashboard::to_string(strategies.front()));
                return 1;
            }
        }
    }

    fmt::print("{} dashboard of user {}, {:.1f} s per run, RTT {:.3f} ms\n\n", dashboard::to_string(v), cfg.user_id,
               seconds, static_cast<double>(rtt_us / 2 * 2) / 1000.0);
    fmt::print("{:<12} {:>7} {:>6} {:>10} {:>8} {:>12} {:>12} {:>14} {:>10} {:>11}\n", "strategy", "threads",
               "rtt ms", "dashboards", "seconds", "dashboards/s", "server cpu s", "server ms/dash", "stmts/dash",
               "client MiB");
    std::vector<measurement> results;
    for (const auto s : strategies) {
        for (const int n : thread_counts) {
            measurement m = run(s, v, url, n, seconds, cfg.user_id, postmaster, shared_pool);
            m.rtt_ms = static_cast<double>(rtt_us / 2 * 2) / 1000.0;
            m.statements_per_dashboard = statements[s];
            fmt::print("{:<12} {:>7} {:>6.3f} {:>10} {:>8.2f} {:>12.2f} {:>12} {:>14} {:>10} {:>11.0f}\n", m.strategy,
                       m.threads, m.rtt_ms, m.dashboards, m.seconds, m.dashboards_per_second,
                       m.server_cpu_seconds ? fmt::format("{:.2f}", *m.server_cpu_seconds) : std::string("-"),
                       m.server_cpu_ms_per_dashboard ? fmt::format("{:.3f}", *m.server_cpu_ms_per_dashboard)
                                                     : std::string("-"),
                       m.statements_per_dashboard, m.peak_rss_mb);
            std::fflush(stdout);
            results.push_back(std::move(m));
            if (!json_path.empty()) {  // rewritten after every run: a partial result survives an abort
                std::ofstream f(json_path, std::ios::binary);
                f << to_json(results);
                if (!f) throw std::runtime_error("cannot write " + json_path);
            }
        }
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_load_test: %s\n", e.what());
    return 1;
}
