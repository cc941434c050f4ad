#pragma once
// A TCP proxy on 127.0.0.1 that adds a fixed one-way delay to every chunk of bytes, in
// both directions, to run a loopback database as if it were across a network:
//
//   latency_proxy proxy("127.0.0.1", 5432, std::chrono::microseconds(250));  // +0.5 ms RTT
//   auto db = eagerload::database::open(
//       "postgresql:host=127.0.0.1 port=" + std::to_string(proxy.port()) + " dbname=app user=app");
//
// Each accepted connection opens its own connection to the target. Per direction, one
// forwarding thread reads what arrives, stamps it with its arrival time, and sleeps (in
// ppoll, timer slack 1 ns) until the oldest chunk's (arrival + delay) or more bytes come,
// then writes everything due: order is preserved, and bytes in flight pipeline (the delay
// adds latency, not a bandwidth limit). Half-closes and resets are passed on. Hundreds of
// concurrent connections (2 threads each; checked with 100).
//
// What it adds, measured on a 2-core VM (PostgreSQL `SELECT 1`, median): 19 us per round
// trip at 0 delay (the extra hop), 570-600 us at 250 us each way (the sleeps wake some
// 20-30 us late). `latency_proxy --check CONNINFO` measures it on the machine at hand.
//
// The destructor stops everything: it closes the listening socket and every connection
// and joins every thread. Construction throws std::runtime_error when the target host does
// not resolve, std::system_error when the listening socket cannot be set up.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace eagerload_bench {

class latency_proxy {
public:
    // listen_port 0: a free port picked by the kernel (see port()).
    latency_proxy(std::string target_host, int target_port, std::chrono::microseconds one_way_delay,
                  int listen_port = 0);
    ~latency_proxy();
    latency_proxy(const latency_proxy&) = delete;
    latency_proxy& operator=(const latency_proxy&) = delete;

    // The port it listens on, on 127.0.0.1.
    int port() const;
    std::chrono::microseconds one_way_delay() const;
    // Connections accepted so far, and still open.
    std::size_t connections_accepted() const;
    std::size_t connections_open() const;

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

// ---------------------------------------------------------------- PostgreSQL helpers
// A libpq conninfo (key=value form) as its keys, only those given; throws on a syntax error.
std::map<std::string, std::string> pg_parse_conninfo(const std::string& conninfo);
// Back to key=value form, values quoted where needed.
std::string pg_format_conninfo(const std::map<std::string, std::string>& keys);

// The TCP endpoint a conninfo points to: hostaddr, host, $PGHOST, else 127.0.0.1; port,
// $PGPORT, else 5432. A Unix-socket directory (a host starting with '/') is replaced by
// 127.0.0.1: the server must also listen there.
struct pg_endpoint {
    std::string host;
    int port;
};
pg_endpoint pg_target(const std::map<std::string, std::string>& keys);

// The same connection, but to 127.0.0.1:port (through a proxy listening there).
std::string pg_conninfo_through(const std::string& conninfo, int port);

// Runs `SELECT 1` round_trips times on a fresh libpq connection (after one warm-up) and
// returns each round trip's wall time in microseconds, in order. Throws on failure.
std::vector<double> pg_select1_round_trips_us(const std::string& conninfo, int round_trips);

}  // namespace eagerload_bench

using eagerload_bench::latency_proxy;
