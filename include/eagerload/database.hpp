#pragma once
// A database handle: SQLite (file or ":memory:"), PostgreSQL or MariaDB, backed by a pool of
// sessions so one handle can be shared by threads. Copies share the same pool.
//
//   auto db = eagerload::database::open("sqlite::memory:");
//   auto pg = eagerload::database::open("postgresql:host=127.0.0.1 dbname=app user=app", {.pool_size = 8});
//
// Every statement leases a session for its own duration (waiting at most
// open_options::lease_timeout), except inside a transaction: the transaction pins one
// session to its thread, and everything that thread runs on the database goes
// through it until commit or rollback.
//
// A session whose connection is lost (server restart, failover, killed backend) fails
// the call that meets it with connection_error; the pool then checks its sessions
// before handing them out and reopens dead ones, so later calls work again as soon
// as the database accepts connections. Nothing is retried. docs/reliability.md lists
// what is guaranteed and the test that proves each guarantee.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "eagerload/detail/value.hpp"

namespace soci {
class connection_pool;
class session;
}

namespace eagerload {

namespace detail {
class database_state;
}

inline constexpr std::chrono::milliseconds default_lease_timeout{std::chrono::seconds(30)};

struct open_options {
    // Sessions opened up front. SQLite ":memory:" gives each session its own empty
    // database: use a shared-cache URI ("file:NAME?mode=memory&cache=shared") to share one.
    std::size_t pool_size = 1;
    // How long a statement or a transaction waits for a free session before it throws
    // pool_timeout. Every session is busy when other threads hold them (statements,
    // transactions), or when this very thread holds one (leased by hand from
    // soci_pool()) and asks for another: without a timeout that would wait forever.
    // std::chrono::milliseconds::max() waits forever.
    std::chrono::milliseconds lease_timeout = default_lease_timeout;
    // The longest a statement may take, set on every session when it opens (unset: the
    // database's own default). What each backend does with it:
    //  - PostgreSQL: SET statement_timeout. The server cancels a statement that runs
    //    longer, and eagerload throws eagerload::statement_timeout. Inside a
    //    transaction that aborts the transaction, as any failed statement does.
    //  - MariaDB: SET SESSION max_statement_time. The server interrupts a longer
    //    statement (error 1969) and eagerload throws eagerload::statement_timeout.
    //    Inside a transaction only that statement fails: MariaDB does not abort the
    //    transaction, and commit() commits the other writes (as on SQLite).
    //  - SQLite: the busy timeout (PRAGMA busy_timeout): how long a statement waits for
    //    a lock another connection holds (default 30 s) before it fails with "database
    //    is locked" (a database_error). A statement that is slow by itself is not
    //    interrupted.
    std::optional<std::chrono::milliseconds> statement_timeout;
    // Prepared statements each session keeps, by SQL text, least recently used
    // dropped first (PostgreSQL and SQLite; MariaDB has none, see docs/design.md).
    // 0 switches the cache off: for poolers that cannot keep prepared statements
    // (PgBouncer in transaction mode).
    std::size_t statement_cache_size = 64;
    // A read (load, all, count, get, find, a page) that meets a broken connection
    // (connection_error) runs once more, on a session the pool has checked or reopened.
    // Only outside a caller's transaction, where the read owns its snapshot and nothing
    // was written; writes and commits are never retried (they may have been applied).
    // Off by default: a connection_error then reaches the caller, and the next call
    // gets a healthy session.
    bool retry_reads = false;
};

class database {
public:
    // "sqlite:PATH", "sqlite::memory:";
    // "postgresql://user:password@host:5432/app?sslmode=require" or "postgres://..." (libpq
    // URIs, percent-encoded), or "postgresql:CONNINFO" (libpq key=value, e.g.
    // "postgresql:host=127.0.0.1 port=5432 dbname=app user=app password='my secret'");
    // "mariadb://user:password@host:3306/app" or "mysql://...", or "mariadb:CONN" /
    // "mysql:CONN" (SOCI's MySQL key=value form, see mariadb()).
    // A password never appears in a message (docs/reliability.md, "Connection strings").
    static database open(std::string_view url, open_options options = {});
    static database sqlite(std::string path, open_options options = {});
    // A libpq URI or key=value conninfo, as open() takes them without "postgresql:".
    static database postgresql(std::string conninfo, open_options options = {});
    // SOCI's MySQL form, e.g. "db=app user=app password='my secret' host=127.0.0.1 port=3306"
    // (values quoted with '...', \' and \\ inside), or a mariadb:// / mysql:// URI; an
    // unknown or repeated key is an error. charset=utf8mb4 unless it names one.
    static database mariadb(std::string conn, open_options options = {});
    // Uses a soci::connection_pool the caller opened (every session already open) and owns.
    // Every session must belong to the backend `d` names (error otherwise).
    // A session found dead is reopened with SOCI's session::reconnect(): its last
    // connection parameters, without any set-up statements the caller ran on it.
    static database from_pool(soci::connection_pool& pool, std::size_t size, dialect d,
                              std::chrono::milliseconds lease_timeout = default_lease_timeout);

    dialect sql_dialect() const noexcept;
    std::size_t pool_size() const noexcept;
    // The underlying SOCI pool. For hand-written SOCI prefer leased_session (below) or,
    // inside a transaction, transaction::session(): a session leased from this pool
    // directly is another session than the thread's transaction's (its writes are not
    // part of the transaction), SOCI's lease() waits forever when the pool is empty,
    // and eagerload neither checks nor reopens it.
    soci::connection_pool& soci_pool() const noexcept;

    detail::database_state& state() const noexcept { return *state_; }

private:
    explicit database(std::shared_ptr<detail::database_state> s) : state_(std::move(s)) {}
    std::shared_ptr<detail::database_state> state_;
};

enum class isolation { default_level, read_committed, repeatable_read, serializable };

// RAII transaction: rolls back in the destructor unless commit() was called.
// On SQLite every isolation level is SQLite's own (serializable, one writer).
// Statements run inside it when they run on the thread that opened it. It may be
// committed, rolled back or destroyed on any thread: that unpins the opening thread.
//
// commit() returns only if the transaction committed. It throws transaction_aborted
// when a statement failed inside the transaction and the database aborted it
// (PostgreSQL does on any failure; SQLite undoes the failed statement only and
// commits the rest), and connection_error when the connection died during COMMIT
// (the outcome is then unknown). rollback() after a lost connection does not throw:
// an uncommitted transaction is gone with its connection.
class transaction {
public:
    // `read_only`: the transaction only reads (a load's snapshot); where the database
    // supports it, writes inside it fail.
    explicit transaction(const database& db, isolation level = isolation::default_level, bool read_only = false);
    ~transaction();
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;

    void commit();
    void rollback();
    bool active() const noexcept { return active_; }
    // The transaction's session, for hand-written SOCI: what runs on it is part of the
    // transaction (committed and rolled back with it). Use it on one thread at a time,
    // as every SOCI session. A hand-written statement that fails is not recorded by
    // eagerload; commit() still throws transaction_aborted if the database ended the
    // transaction. Throws error once the transaction is committed or rolled back.
    soci::session& session() const;

private:
    void finish(const char* sql);
    database db_;
    std::size_t slot_;
    std::thread::id thread_;  // the thread that opened it: the one pinned to slot_
    bool active_ = true;
};

// A session for hand-written SOCI, held until destruction:
//
//   eagerload::leased_session s(db);
//   *s << "UPDATE stock SET n = n - 1 WHERE id = :id", soci::use(id);
//
// Inside a transaction of this thread (and database) it is that transaction's session,
// so the hand-written statements are part of it. Otherwise a session of the pool, leased
// as eagerload's own statements lease one: waiting at most open_options::lease_timeout
// (pool_timeout), checked and reopened if its connection died. A lease that can never
// succeed, because this very thread holds every session of the pool (leased_sessions,
// a transaction), fails at once with an error instead of waiting.
class leased_session {
public:
    explicit leased_session(const database& db);
    ~leased_session();
    leased_session(const leased_session&) = delete;
    leased_session& operator=(const leased_session&) = delete;
    soci::session& operator*() const noexcept { return *session_; }
    soci::session* operator->() const noexcept { return session_; }

private:
    database db_;
    std::size_t slot_;
    bool owned_;  // leased here (false: the thread's transaction's session)
    soci::session* session_;
};

}  // namespace eagerload
