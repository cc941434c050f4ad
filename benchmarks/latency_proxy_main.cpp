// latency_proxy: the delaying TCP proxy of benchmarks/latency_proxy.hpp as a program.
//
//   latency_proxy TARGET_PORT DELAY_US [LISTEN_PORT]
//       Listens on 127.0.0.1:LISTEN_PORT (default: a free port, printed) and forwards to
//       127.0.0.1:TARGET_PORT, delaying every chunk by DELAY_US microseconds each way
//       (250 = +0.5 ms round trip). Runs until SIGINT or SIGTERM.
//
//   latency_proxy --check CONNINFO [DELAY_US [ROUND_TRIPS]]
//       Times ROUND_TRIPS (default 200) `SELECT 1` round trips on PostgreSQL directly and
//       through an in-process proxy at DELAY_US (default 250) each way, and prints both.
//       Exits 1 when the added round-trip time is off by more than 0.3 ms.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <pthread.h>
#include <signal.h>
#include <string>
#include <string_view>
#include <vector>

#include "latency_proxy.hpp"

namespace {

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: latency_proxy TARGET_PORT DELAY_US [LISTEN_PORT]\n"
                 "       latency_proxy --check CONNINFO [DELAY_US [ROUND_TRIPS]]\n");
    std::exit(2);
}

int number(const char* text, int min, int max) {
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (!*text || *end || v < min || v > max) usage();
    return static_cast<int>(v);
}

struct summary {
    double median, mean, min, p90;
};

summary summarize(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, std::accumulate(v.begin(), v.end(), 0.0) / double(n),
            v.front(), v[std::min(n - 1, n * 9 / 10)]};
}

int check(const std::string& conninfo, int delay_us, int round_trips) {
    using namespace eagerload_bench;
    const pg_endpoint target = pg_target(pg_parse_conninfo(conninfo));
    latency_proxy proxy(target.host, target.port, std::chrono::microseconds(delay_us));
    const std::string through = pg_conninfo_through(conninfo, proxy.port());
    std::printf("%d x SELECT 1, PostgreSQL at %s:%d, proxy on 127.0.0.1:%d, %d us each way\n", round_trips,
                target.host.c_str(), target.port, proxy.port(), delay_us);
    std::printf("%-14s %10s %10s %10s %10s\n", "path", "median us", "mean us", "min us", "p90 us");
    // Alternate the two paths, twice, so that a burst of load elsewhere hits both.
    std::vector<double> direct, proxied;
    for (int pass = 0; pass < 2; ++pass) {
        const auto a = pg_select1_round_trips_us(conninfo, round_trips / 2);
        const auto b = pg_select1_round_trips_us(through, round_trips / 2);
        direct.insert(direct.end(), a.begin(), a.end());
        proxied.insert(proxied.end(), b.begin(), b.end());
    }
    const summary d = summarize(direct), p = summarize(proxied);
    std::printf("%-14s %10.1f %10.1f %10.1f %10.1f\n", "direct", d.median, d.mean, d.min, d.p90);
    std::printf("%-14s %10.1f %10.1f %10.1f %10.1f\n", "through proxy", p.median, p.mean, p.min, p.p90);
    const double added = p.median - d.median;
    std::printf("added per round trip (median): %.1f us (expected %d us)\n", added, 2 * delay_us);
    if (added < 2 * delay_us - 50 || added > 2 * delay_us + 300) {
        std::fprintf(stderr, "latency_proxy: the added round-trip time is off\n");
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc >= 2 && std::string_view(argv[1]) == "--check") {
        if (argc < 3 || argc > 5) usage();
        return check(argv[2], argc > 3 ? number(argv[3], 0, 10'000'000) : 250,
                     argc > 4 ? number(argv[4], 2, 1'000'000) : 200);
    }
    if (argc < 3 || argc > 4) usage();
    const int target_port = number(argv[1], 1, 65535);
    const int delay_us = number(argv[2], 0, 10'000'000);
    const int listen_port = argc > 3 ? number(argv[3], 0, 65535) : 0;

    // Block the stop signals before any thread starts, so every thread inherits the mask
    // and sigwait() below receives them.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    latency_proxy proxy("127.0.0.1", target_port, std::chrono::microseconds(delay_us), listen_port);
    std::printf("latency_proxy: listening on 127.0.0.1:%d -> 127.0.0.1:%d, %d us each way (+%.3f ms RTT)\n",
                proxy.port(), target_port, delay_us, 2 * delay_us / 1000.0);
    std::fflush(stdout);
    int received = 0;
    sigwait(&stop, &received);
    std::printf("latency_proxy: stopping after %zu connection(s)\n", proxy.connections_accepted());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "latency_proxy: %s\n", e.what());
    return 1;
}
