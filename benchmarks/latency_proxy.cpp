// The delaying TCP proxy: see latency_proxy.hpp.
#include "latency_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace eagerload_bench {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::size_t read_size = 256 * 1024;
// A direction stops reading while this much is waiting for delivery: back-pressure
// instead of unbounded memory when the receiving side does not read.
constexpr std::size_t max_queued_bytes = 8 * 1024 * 1024;

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), "latency_proxy: " + what);
}

void set_nodelay(int fd) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

struct chunk {
    clock_type::time_point due;
    std::vector<char> bytes;  // empty: the end of the stream (EOF or reset), in order
    bool reset = false;
};

struct connection {
    int client = -1, server = -1;
    std::thread threads[2];  // client -> server, server -> client
    std::atomic<int> running{0};
    std::atomic<bool> stop{false};
    std::once_flag aborted;

    ~connection() {
        if (client >= 0) ::close(client);
        if (server >= 0) ::close(server);
    }

    // Tear the connection down: wakes both threads (polls return, reads and writes fail).
    void abort() {
        std::call_once(aborted, [this] {
            stop = true;
            ::shutdown(client, SHUT_RDWR);
            ::shutdown(server, SHUT_RDWR);
        });
    }

    void join() {
        for (auto& t : threads)
            if (t.joinable()) t.join();
    }
};

bool send_all(int fd, const char* data, std::size_t size) {
    std::size_t sent = 0;
    while (sent < size) {
        const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// One direction of one connection, in one thread: reads `from` as bytes arrive, stamps
// each chunk with its arrival time, and writes it to `to` once (arrival + delay) has come,
// in order; between the two it sleeps in ppoll() until the next chunk is due or more
// bytes arrive. Ends after delivering the end of the stream (a half-close is passed on as
// one; a reset or an error tears the whole connection down).
void forward(connection& c, int from, int to, std::chrono::microseconds delay) {
    // Sleep precisely: the default timer slack (50 us) would be a fifth of a 250 us delay.
    ::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    std::deque<chunk> queue;
    std::size_t queued_bytes = 0;
    bool reading = true;
    std::vector<char> buffer(read_size), batch;
    while (!c.stop.load()) {
        // Wait for bytes (unless the stream ended or too much waits already) or the next due time.
        const bool poll_read = reading && queued_bytes < max_queued_bytes;
        pollfd p{from, static_cast<short>(poll_read ? POLLIN : 0), 0};
        timespec timeout{};
        const timespec* wait = nullptr;  // forever
        if (!queue.empty()) {
            const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(queue.front().due - clock_type::now());
            if (left.count() > 0) {
                timeout.tv_sec = static_cast<time_t>(left.count() / 1'000'000'000);
                timeout.tv_nsec = static_cast<long>(left.count() % 1'000'000'000);
            }
            wait = &timeout;
        }
        if (poll_read || wait) {
            const int r = ::ppoll(&p, poll_read ? 1 : 0, wait, nullptr);
            if (r < 0 && errno != EINTR) break;
        }
        if (c.stop.load()) break;
        if (poll_read && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
            // Take everything there is (a server writes a big result 8 KB at a time): one
            // chunk, stamped after its last byte arrived, so no byte is delivered early.
            std::size_t got = 0;
            ssize_t n = 0;
            int error = 0;
            while (got < buffer.size()) {
                n = ::recv(from, buffer.data() + got, buffer.size() - got, MSG_DONTWAIT);
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) error = errno;
                if (n <= 0) break;
                got += static_cast<std::size_t>(n);
            }
            const auto due = clock_type::now() + delay;
            if (got > 0) {
                queue.push_back(chunk{due, std::vector<char>(buffer.data(), buffer.data() + got)});
                queued_bytes += got;
            }
            if (n == 0 || (n < 0 && error != EAGAIN && error != EWOULDBLOCK)) {
                queue.push_back(chunk{due, {}, n < 0});  // the end of the stream, delivered in order
                reading = false;
            }
        }
        // Deliver everything due by now in one write, up to the end of the stream.
        const auto now = clock_type::now();
        batch.clear();
        bool end = false, reset = false;
        while (!queue.empty() && queue.front().due <= now) {
            chunk& front = queue.front();
            if (front.bytes.empty()) {
                end = true;
                reset = front.reset;
                queue.pop_front();
                break;
            }
            batch.insert(batch.end(), front.bytes.begin(), front.bytes.end());
            queued_bytes -= front.bytes.size();
            queue.pop_front();
        }
        if (!batch.empty() && !send_all(to, batch.data(), batch.size())) {
            c.abort();
            break;
        }
        if (end) {
            if (reset) c.abort();
            else ::shutdown(to, SHUT_WR);
            break;
        }
    }
    c.running.fetch_sub(1);
}

}  // namespace

struct latency_proxy::impl {
    std::chrono::microseconds delay;
    sockaddr_storage target{};
    socklen_t target_len = 0;
    int listener = -1;
    int wake[2] = {-1, -1};
    int port = 0;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> accepted{0}, open{0};
    std::mutex connections_mutex;
    std::list<std::unique_ptr<connection>> connections;
    std::thread acceptor;

    void reap(bool all) {
        std::list<std::unique_ptr<connection>> done;
        {
            std::lock_guard lock(connections_mutex);
            for (auto it = connections.begin(); it != connections.end();) {
                if (all || (*it)->running.load() == 0) {
                    done.push_back(std::move(*it));
                    it = connections.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (auto& c : done) {
            c->abort();
            c->join();
            open.fetch_sub(1);
        }
    }

    void start(int client) {
        set_nodelay(client);
        const int server = ::socket(target.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (server < 0) {
            ::close(client);
            return;
        }
        int r;
        do r = ::connect(server, reinterpret_cast<const sockaddr*>(&target), target_len);
        while (r < 0 && errno == EINTR);
        if (r < 0) {
            ::close(server);
            ::close(client);
            return;
        }
        set_nodelay(server);
        auto c = std::make_unique<connection>();
        c->client = client;
        c->server = server;
        c->running = 2;
        connection& ref = *c;
        try {
            ref.threads[0] = std::thread(forward, std::ref(ref), client, server, delay);
            ref.threads[1] = std::thread(forward, std::ref(ref), server, client, delay);
        } catch (const std::system_error&) {
            // Out of threads: drop this connection, keep serving the others.
            ref.abort();
            ref.join();
            return;
        }
        accepted.fetch_add(1);
        open.fetch_add(1);
        std::lock_guard lock(connections_mutex);
        connections.push_back(std::move(c));
    }

    void accept_loop() {
        pollfd fds[2] = {{listener, POLLIN, 0}, {wake[0], POLLIN, 0}};
        while (!stopping.load()) {
            const int n = ::poll(fds, 2, 200);
            reap(false);
            if (n < 0) {
                if (errno == EINTR) continue;
                break;
            }
            if (fds[1].revents) break;
            if (fds[0].revents & POLLIN) {
                const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
                if (client >= 0) start(client);
            }
        }
    }
};

latency_proxy::latency_proxy(std::string target_host, int target_port, std::chrono::microseconds one_way_delay,
                             int listen_port)
    : impl_(std::make_unique<impl>()) {
    impl& p = *impl_;
    p.delay = one_way_delay;

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(target_port);
    if (const int rc = ::getaddrinfo(target_host.c_str(), service.c_str(), &hints, &found); rc != 0 || !found) {
        std::string message = "latency_proxy: cannot resolve ";
        message += target_host;
        message += ": ";
        message += ::gai_strerror(rc);
        throw std::runtime_error(message);
    }
    std::memcpy(&p.target, found->ai_addr, found->ai_addrlen);
    p.target_len = found->ai_addrlen;
    ::freeaddrinfo(found);

    p.listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (p.listener < 0) throw_errno("socket");
    int one = 1;
    ::setsockopt(p.listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(listen_port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    auto fail = [&](const char* what) {
        const int saved = errno;
        ::close(p.listener);
        errno = saved;
        throw_errno(what);
    };
    if (::bind(p.listener, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) fail("bind");
    if (::listen(p.listener, 256) < 0) fail("listen");
    socklen_t length = sizeof address;
    if (::getsockname(p.listener, reinterpret_cast<sockaddr*>(&address), &length) < 0) fail("getsockname");
    p.port = ntohs(address.sin_port);
    if (::pipe2(p.wake, O_CLOEXEC) < 0) fail("pipe2");
    p.acceptor = std::thread([&p] { p.accept_loop(); });
}

latency_proxy::~latency_proxy() {
    impl& p = *impl_;
    p.stopping = true;
    const char byte = 1;
    [[maybe_unused]] const ssize_t ignored = ::write(p.wake[1], &byte, 1);
    p.acceptor.join();
    p.reap(true);
    ::close(p.listener);
    ::close(p.wake[0]);
    ::close(p.wake[1]);
}

int latency_proxy::port() const { return impl_->port; }
std::chrono::microseconds latency_proxy::one_way_delay() const { return impl_->delay; }
std::size_t latency_proxy::connections_accepted() const { return impl_->accepted.load(); }
std::size_t latency_proxy::connections_open() const { return impl_->open.load(); }

// ---------------------------------------------------------------- PostgreSQL helpers

std::map<std::string, std::string> pg_parse_conninfo(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = ::PQconninfoParse(conninfo.c_str(), &error);
    if (!options) {
        std::string message = "invalid PostgreSQL conninfo: ";
        message += error ? error : "out of memory";
        if (error) ::PQfreemem(error);
        throw std::runtime_error(message);
    }
    std::map<std::string, std::string> keys;
    for (const PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val) keys[o->keyword] = o->val;
    ::PQconninfoFree(options);
    return keys;
}

std::string pg_format_conninfo(const std::map<std::string, std::string>& keys) {
    std::string out;
    for (const auto& [key, value] : keys) {
        if (!out.empty()) out += ' ';
        out += key;
        out += "='";
        for (char ch : value) {
            if (ch == '\\' || ch == '\'') out += '\\';
            out += ch;
        }
        out += '\'';
    }
    return out;
}

pg_endpoint pg_target(const std::map<std::string, std::string>& keys) {
    auto get = [&](const char* key, const char* env) -> std::string {
        if (auto it = keys.find(key); it != keys.end() && !it->second.empty()) return it->second;
        if (env) {
            if (const char* v = std::getenv(env); v && *v) return v;
        }
        return {};
    };
    pg_endpoint e;
    e.host = get("hostaddr", "PGHOSTADDR");
    if (e.host.empty()) e.host = get("host", "PGHOST");
    if (e.host.empty() || e.host.front() == '/') e.host = "127.0.0.1";
    const std::string port = get("port", "PGPORT");
    e.port = port.empty() ? 5432 : std::atoi(port.c_str());
    return e;
}

std::string pg_conninfo_through(const std::string& conninfo, int port) {
    auto keys = pg_parse_conninfo(conninfo);
    keys.erase("hostaddr");
    keys["host"] = "127.0.0.1";
    keys["port"] = std::to_string(port);
    return pg_format_conninfo(keys);
}

std::vector<double> pg_select1_round_trips_us(const std::string& conninfo, int round_trips) {
    PGconn* conn = ::PQconnectdb(conninfo.c_str());
    struct closer {
        PGconn* c;
        ~closer() { ::PQfinish(c); }
    } close_at_exit{conn};
    if (!conn || ::PQstatus(conn) != CONNECTION_OK) {
        std::string message = "cannot connect to PostgreSQL: ";
        message += conn ? ::PQerrorMessage(conn) : "out of memory";
        throw std::runtime_error(message);
    }
    std::vector<double> times;
    times.reserve(static_cast<std::size_t>(round_trips));
    for (int i = -1; i < round_trips; ++i) {  // i == -1: warm-up
        const auto t0 = clock_type::now();
        PGresult* r = ::PQexec(conn, "SELECT 1");
        const auto t1 = clock_type::now();
        const bool ok = ::PQresultStatus(r) == PGRES_TUPLES_OK;
        ::PQclear(r);
        if (!ok) {
            std::string message = "SELECT 1 failed: ";
            message += ::PQerrorMessage(conn);
            throw std::runtime_error(message);
        }
        if (i >= 0) times.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    return times;
}

}  // namespace eagerload_bench
