// Faults: sessions the server killed, a pool that must heal, and what each call says.
// The sessions are killed with pg_terminate_backend, as an administrator, a failover
// or an idle-session timeout would.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <soci/postgresql/soci-postgresql.h>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "scratch.hpp"

using namespace eagerload;
using eagerload_test::backend_pid;
using eagerload_test::scratch;
using eagerload_test::terminate_backend;
using models::User;

namespace {
struct Shelf {
    std::int64_t id;
    std::string name;
};
struct Book {
    std::int64_t id;
    std::int64_t shelf_id;
    std::string title;
};
}  // namespace
BOOST_HANA_ADAPT_STRUCT(Shelf, id, name);
BOOST_HANA_ADAPT_STRUCT(Book, id, shelf_id, title);
template <>
struct eagerload::model<Shelf> {
    static constexpr std::string_view table = "shelves";
    static constexpr auto key = &Shelf::id;
};
template <>
struct eagerload::model<Book> {
    static constexpr std::string_view table = "books";
    static constexpr auto key = &Book::id;
};
namespace {
inline constexpr auto books = has_many<&Book::shelf_id, &Shelf::id>;

void seed(const database& db) {
    create_table<Shelf>(db);
    create_table<Book>(db);
    insert_all(db, std::vector<Shelf>{{1, "a"}, {2, "b"}});
    insert_all(db, std::vector<Book>{{10, 1, "x"}, {11, 1, "y"}, {12, 2, "z"}});
}

std::size_t books_loaded(const database& db) {
    std::size_t n = 0;
    for (const auto& shelf : select<Shelf>().prefetch(books).load(db)) n += shelf[books].size();
    return n;
}

// The message of a connection_error names the target, the password redacted.
void check_names_target(const connection_error& e) {
    const std::string what = e.what();
    CHECK(what.find("postgresql database") != std::string::npos);
    CHECK(what.find("dbname=") != std::string::npos);
    CHECK(what.find("password=***") != std::string::npos);
    CHECK(what.find("s3cret") == std::string::npos);
}
}  // namespace

TEST_CASE("a pooled session the server killed fails one call with connection_error, then is replaced [postgresql]") {
    scratch s(dialect::postgresql);
    // trust authentication ignores the password; it is here to be redacted.
    auto db = database::postgresql(s.target() + " password=s3cret");
    seed(db);

    // A one-statement read.
    auto pid = backend_pid(db, 0);
    terminate_backend(pid);
    try {
        (void)select<Shelf>().count(db);
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        check_names_target(e);
        CHECK(std::string(e.what()).find("SELECT count(*)") != std::string::npos);  // the statement
    }
    for (int i = 0; i < 3; ++i) CHECK(select<Shelf>().count(db) == 2);  // every later call works
    CHECK(backend_pid(db, 0) != pid);                                   // on a new session

    // A multi-statement load: its snapshot's BEGIN meets the dead session.
    pid = backend_pid(db, 0);
    terminate_backend(pid);
    try {
        (void)books_loaded(db);
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        check_names_target(e);
    }
    CHECK(books_loaded(db) == 3);

    // A write.
    terminate_backend(backend_pid(db, 0));
    CHECK_THROWS_AS(insert(db, Shelf{3, "c"}), connection_error);
    insert(db, Shelf{3, "c"});
    CHECK(select<Shelf>().count(db) == 3);
}

TEST_CASE("a transaction whose session the server killed: the statement says connection_error, commit aborts [postgresql]") {
    scratch s(dialect::postgresql);
    auto db = database::postgresql(s.target() + " password=s3cret");
    seed(db);
    {
        transaction tx(db);
        insert(db, Shelf{3, "c"});
        terminate_backend(backend_pid(db, 0));  // the session the transaction pins
        try {
            insert(db, Shelf{4, "d"});
            FAIL("expected a connection_error");
        } catch (const connection_error& e) {
            check_names_target(e);
        }
        CHECK_THROWS_AS(tx.commit(), transaction_aborted);
        CHECK_FALSE(tx.active());
    }
    CHECK(select<Shelf>().count(db) == 2);  // neither write survived; the handle works
    {
        transaction tx(db);
        insert(db, Shelf{5, "e"});
        tx.commit();
    }
    CHECK(select<Shelf>().count(db) == 3);

    {  // rollback() after a lost connection: the transaction is gone, which is what it asks
        transaction tx(db);
        insert(db, Shelf{7, "g"});
        terminate_backend(backend_pid(db, 0));
        CHECK_NOTHROW(tx.rollback());
        CHECK_FALSE(tx.active());
    }
    CHECK(select<Shelf>().count(db) == 3);  // the next lease replaced the session

    // A transaction that dies before its first statement: BEGIN fails clearly.
    terminate_backend(backend_pid(db, 0));
    try {
        transaction tx(db);
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        check_names_target(e);
    }
    transaction tx(db);
    insert(db, Shelf{6, "f"});
    tx.commit();
    CHECK(select<Shelf>().count(db) == 4);
}

TEST_CASE("after a lost connection the pool checks its other sessions before handing them out [postgresql]") {
    scratch s(dialect::postgresql);
    open_options o;
    o.pool_size = 2;
    auto db = database::postgresql(s.target(), o);
    seed(db);
    const auto pid0 = backend_pid(db, 0), pid1 = backend_pid(db, 1);
    terminate_backend(pid0);  // as a server restart would: every session is gone
    terminate_backend(pid1);

    CHECK_THROWS_AS(select<Shelf>().count(db), connection_error);  // one call fails (on session 0)...
    soci::connection_pool& pool = db.soci_pool();
    const std::size_t held = pool.lease();  // hold session 0 so the next call gets session 1
    REQUIRE(held == 0);
    CHECK(select<Shelf>().count(db) == 2);  // ...session 1 was found dead and replaced before use
    pool.give_back(held);
    CHECK(select<Shelf>().count(db) == 2);
    CHECK(books_loaded(db) == 3);
    CHECK(backend_pid(db, 0) != pid0);
    CHECK(backend_pid(db, 1) != pid1);
}

TEST_CASE("threads sharing a pool whose sessions all die: each dead session fails at most one call [postgresql]") {
    scratch s(dialect::postgresql);
    constexpr std::size_t sessions = 4;
    open_options o;
    o.pool_size = sessions;
    auto db = database::postgresql(s.target(), o);
    seed(db);
    std::vector<long long> pids;
    for (std::size_t i = 0; i < sessions; ++i) pids.push_back(backend_pid(db, i));

    std::atomic<bool> stop{false};
    std::atomic<int> lost{0}, other{0}, ok_after{0};
    std::atomic<bool> killed{false};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < sessions; ++t)
        threads.emplace_back([&] {
            while (!stop) {
                const bool after = killed;
                try {
                    if (books_loaded(db) == 3 && after) ++ok_after;
                } catch (const connection_error&) {
                    ++lost;
                } catch (const std::exception&) {
                    ++other;
                }
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (long long pid : pids) terminate_backend(pid);
    killed = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    for (auto& th : threads) th.join();

    CHECK(lost >= 1);
    CHECK(lost <= static_cast<int>(sessions));  // a replaced session is never handed out dead
    CHECK(other == 0);
    CHECK(ok_after > 0);
    CHECK(books_loaded(db) == 3);
}

TEST_CASE("a session of the caller's pool (from_pool) that the server killed is reconnected too [postgresql]") {
    scratch s(dialect::postgresql);
    soci::connection_pool pool(1);
    pool.at(0).open(soci::postgresql, s.target());
    auto db = database::from_pool(pool, 1, dialect::postgresql);
    seed(db);
    const auto pid = backend_pid(db, 0);
    terminate_backend(pid);
    try {
        (void)select<Shelf>().count(db);
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        CHECK(std::string(e.what()).find("a SOCI pool opened by the caller") != std::string::npos);
    }
    CHECK(select<Shelf>().count(db) == 2);  // SOCI reconnected it with the caller's parameters
    CHECK(backend_pid(db, 0) != pid);
}

TEST_CASE("retry_reads: a read that meets a killed session runs once more on a fresh one, writes never retry [postgresql]") {
    scratch s(dialect::postgresql);
    open_options o;
    o.retry_reads = true;
    auto db = database::postgresql(s.target(), o);
    seed(db);
    query_counter c(db);
    CHECK(books_loaded(db) == 3);
    const std::size_t healthy = c.count();

    // Each kind of read: a multi-statement load, all(), count(), get().
    terminate_backend(backend_pid(db, 0));
    CHECK(books_loaded(db) == 3);  // the test below: without retry_reads this throws
    terminate_backend(backend_pid(db, 0));
    CHECK(select<Shelf>().all(db).size() == 2);
    terminate_backend(backend_pid(db, 0));
    CHECK(select<Shelf>().count(db) == 2);
    terminate_backend(backend_pid(db, 0));
    CHECK(get<Shelf>(db, 2).name == "b");

    // A write is not retried: it may have been applied before the connection broke.
    terminate_backend(backend_pid(db, 0));
    CHECK_THROWS_AS(insert(db, Shelf{3, "c"}), connection_error);
    CHECK(select<Shelf>().count(db) == 2);

    // Inside the caller's transaction nothing is retried: the transaction decides.
    {
        transaction tx(db);
        terminate_backend(backend_pid(db, 0));
        CHECK_THROWS_AS(select<Shelf>().count(db), connection_error);
    }
    CHECK(select<Shelf>().count(db) == 2);
    c.reset();
    CHECK(books_loaded(db) == 3);
    CHECK(c.count() == healthy);  // a healthy load runs once
}

TEST_CASE("retry_reads is off by default: the read that meets a killed session throws [postgresql]") {
    scratch s(dialect::postgresql);
    auto db = database::postgresql(s.target());
    seed(db);
    terminate_backend(backend_pid(db, 0));
    CHECK_THROWS_AS(books_loaded(db), connection_error);
    CHECK(books_loaded(db) == 3);  // the pool replaced the session
    terminate_backend(backend_pid(db, 0));
    CHECK_THROWS_AS(select<Shelf>().all(db), connection_error);
    CHECK(select<Shelf>().all(db).size() == 2);
}

TEST_CASE("while the database refuses connections each call says so, and the pool heals once it accepts [postgresql]") {
    scratch s(dialect::postgresql);
    auto admin = database::postgresql(s.target());
    seed(admin);
    const std::string role = "el_fault_" + std::to_string(::getpid());
    detail::execute(admin, "DROP ROLE IF EXISTS " + role);
    detail::execute(admin, "CREATE ROLE " + role + " LOGIN");
    detail::execute(admin, "GRANT USAGE ON SCHEMA " + s.schema() + " TO " + role);
    detail::execute(admin, "GRANT SELECT ON ALL TABLES IN SCHEMA " + s.schema() + " TO " + role);
    {
        auto db = database::postgresql(s.target() + " user=" + role + " password=s3cret");  // the last user= wins
        CHECK(select<Shelf>().count(db) == 2);

        detail::execute(admin, "ALTER ROLE " + role + " NOLOGIN");  // like a server that is down
        terminate_backend(backend_pid(db, 0));
        CHECK_THROWS_AS(select<Shelf>().count(db), connection_error);  // the call that met the dead session
        for (int i = 0; i < 2; ++i) {  // each later call tries to reconnect, and says why it cannot
            try {
                (void)select<Shelf>().count(db);
                FAIL("expected a connection_error");
            } catch (const connection_error& e) {
                check_names_target(e);
                const std::string what = e.what();
                CHECK(what.find("cannot reconnect") != std::string::npos);
                CHECK(what.find("not permitted to log in") != std::string::npos);  // the server's reason
            }
        }
        detail::execute(admin, "ALTER ROLE " + role + " LOGIN");  // back up
        CHECK(select<Shelf>().count(db) == 2);
        CHECK(books_loaded(db) == 3);
    }
    detail::execute(admin, "DROP OWNED BY " + role);
    detail::execute(admin, "DROP ROLE " + role);
}

TEST_CASE("statement_timeout: PostgreSQL cancels a longer statement and eagerload says statement_timeout [postgresql]") {
    scratch s(dialect::postgresql);
    open_options o;
    o.statement_timeout = std::chrono::milliseconds(200);
    auto db = database::postgresql(s.target() + " password=s3cret", o);
    seed(db);
    const auto start = std::chrono::steady_clock::now();
    const std::string sleep3 = "DO $$BEGIN PERFORM pg_sleep(3); END$$";
    try {
        detail::execute(db, sleep3);
        FAIL("expected a statement_timeout");
    } catch (const statement_timeout& e) {
        const std::string what = e.what();
        CHECK(what.find("statement_timeout (200 ms)") != std::string::npos);
        CHECK(what.find("postgresql database") != std::string::npos);
        CHECK(what.find("password=***") != std::string::npos);
        CHECK(what.find("s3cret") == std::string::npos);
        CHECK(e.sql() == sleep3);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
    // A reading statement too (the fetch path).
    CHECK_THROWS_AS(detail::fetch_scalar(db, "SELECT CAST(count(*) AS bigint) FROM pg_sleep(3)", {}), statement_timeout);
    CHECK(select<Shelf>().count(db) == 2);  // the session is fine afterwards

    {  // inside a transaction the cancelled statement aborts it, as any failure does
        transaction tx(db);
        insert(db, Shelf{3, "c"});
        CHECK_THROWS_AS(detail::execute(db, sleep3), statement_timeout);
        CHECK_THROWS_AS(tx.commit(), transaction_aborted);
    }
    CHECK(select<Shelf>().count(db) == 2);

    // A session reopened after a lost connection keeps the timeout.
    terminate_backend(backend_pid(db, 0));
    CHECK_THROWS_AS(select<Shelf>().count(db), connection_error);
    CHECK_THROWS_AS(detail::execute(db, sleep3), statement_timeout);

    auto unlimited = database::postgresql(s.target());  // other handles are not limited
    detail::execute(unlimited, "DO $$BEGIN PERFORM pg_sleep(0.4); END$$");
}

TEST_CASE("statement_timeout: MariaDB interrupts a longer statement (max_statement_time) and eagerload says statement_timeout [mariadb]") {
    eagerload_test::context ctx(dialect::mariadb);
    seed(ctx.db);
    open_options o;
    o.statement_timeout = std::chrono::milliseconds(250);
    auto db = ctx.open(o);
    const std::string sleep3 = "SELECT SLEEP(3)";
    const auto start = std::chrono::steady_clock::now();
    try {
        (void)detail::fetch_scalar(db, sleep3, {});
        FAIL("expected a statement_timeout");
    } catch (const statement_timeout& e) {
        const std::string what = e.what();
        CHECK(what.find("statement_timeout (250 ms)") != std::string::npos);
        CHECK(what.find("mariadb database") != std::string::npos);
        CHECK(e.sql() == sleep3);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
    CHECK(select<Shelf>().count(db) == 2);  // the session is fine afterwards
    CHECK(books_loaded(db) == 3);

    {  // inside a transaction only the statement fails; the transaction goes on
        transaction tx(db);
        insert(db, Shelf{3, "c"});
        CHECK_THROWS_AS(detail::fetch_scalar(db, sleep3, {}), statement_timeout);
        tx.commit();
    }
    CHECK(select<Shelf>().count(db) == 3);

    auto unlimited = ctx.open(open_options{});  // other handles are not limited
    CHECK(detail::fetch_scalar(unlimited, "SELECT SLEEP(0.4)", {}) == 0);
}

TEST_CASE("statement_timeout on SQLite bounds the wait for another connection's lock [sqlite]") {
    scratch s(dialect::sqlite);
    auto writer = s.open();
    create_table<User>(writer);
    open_options o;
    o.statement_timeout = std::chrono::milliseconds(200);
    auto db = s.open(o);
    {
        transaction tx(writer);
        insert(writer, User{1, "a", "a@x", {}});  // holds the write lock until commit
        const auto start = std::chrono::steady_clock::now();
        CHECK_THROWS_WITH_AS(insert(db, User{2, "b", "b@x", {}}), doctest::Contains("locked"), database_error);
        const auto waited = std::chrono::steady_clock::now() - start;
        CHECK(waited >= std::chrono::milliseconds(150));
        CHECK(waited < std::chrono::seconds(5));  // not SQLite's default 30 s
        tx.commit();
    }
    insert(db, User{2, "b", "b@x", {}});
    CHECK(select<User>().count(db) == 2);
}

TEST_CASE("a statement_timeout that is not positive is refused at open") {
    open_options o;
    o.statement_timeout = std::chrono::milliseconds(0);
    CHECK_THROWS_WITH_AS(database::open("sqlite::memory:", o), doctest::Contains("statement_timeout"), error);
}
