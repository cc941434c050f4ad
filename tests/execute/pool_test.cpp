// A database can wrap a soci::connection_pool the caller owns; waiting for a session
// is bounded by lease_timeout.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <future>
#include <thread>
#include <vector>

#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "scratch.hpp"

using namespace eagerload;
using models::User;

TEST_CASE("database::from_pool runs statements on the caller's pool from several threads [sqlite]") {
    // Per process: test runs of other checkouts on this machine must not share the file.
    std::string name = "eagerload_from_pool_test_";
    name += std::to_string(::getpid());
    name += ".db";
    const auto path = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove(path);
    {
        soci::connection_pool pool(3);
        for (std::size_t i = 0; i < 3; ++i) pool.at(i).open(soci::sqlite3, "db=" + path.string() + " timeout=30");
        auto db = database::from_pool(pool, 3, dialect::sqlite);
        CHECK(db.pool_size() == 3);
        CHECK(db.sql_dialect() == dialect::sqlite);
        create_table<User>(db);
        insert(db, User{1, "a", "a@x", {}});
        query_counter counter(db);
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 10; ++i) CHECK(get<User>(db, 1).name == "a");
            });
        for (auto& th : threads) th.join();
        CHECK(counter.count() == 30);
    }
    std::filesystem::remove(path);
}

SCRATCH_TEST("a statement waits at most lease_timeout for a session, then throws pool_timeout") {
    open_options o;
    o.pool_size = 1;
    o.lease_timeout = std::chrono::milliseconds(200);
    auto db = s.open(o);
    create_table<User>(db);
    std::promise<void> holding, release;
    std::thread holder([&] {  // holds the only session in a transaction
        transaction tx(db);
        holding.set_value();
        release.get_future().wait();
        tx.commit();
    });
    holding.get_future().wait();
    const auto start = std::chrono::steady_clock::now();
    try {
        (void)select<User>().count(db);
        FAIL("expected a pool_timeout");
    } catch (const pool_timeout& e) {
        const std::string what = e.what();
        CHECK(what.find(s.dialect() == dialect::sqlite ? "sqlite database \"" : "postgresql database \"") !=
              std::string::npos);
        CHECK(what.find("pool_size = 1") != std::string::npos);
        CHECK(what.find("200 ms") != std::string::npos);
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= std::chrono::milliseconds(150));
    CHECK(waited < std::chrono::seconds(5));
    CHECK_THROWS_AS(transaction{db}, pool_timeout);  // a transaction waits the same way
    release.set_value();
    holder.join();
    CHECK(select<User>().count(db) == 0);  // and the pool works once the session is back
}

SCRATCH_TEST("a thread that holds the only session and asks for another gets pool_timeout, not a hang") {
    open_options o;
    o.pool_size = 1;
    o.lease_timeout = std::chrono::milliseconds(100);
    auto db = s.open(o);
    create_table<User>(db);
    soci::connection_pool& pool = db.soci_pool();
    const std::size_t held = pool.lease();  // hand-written SOCI code holding a session
    CHECK_THROWS_AS(select<User>().count(db), pool_timeout);
    CHECK_THROWS_AS(insert(db, User{1, "a", "a@x", {}}), pool_timeout);
    pool.give_back(held);
    insert(db, User{1, "a", "a@x", {}});
    CHECK(select<User>().count(db) == 1);
}

TEST_CASE("lease_timeout defaults to 30 s: from_pool takes its own [sqlite]") {
    CHECK(open_options{}.lease_timeout == std::chrono::seconds(30));
    soci::connection_pool pool(1);
    pool.at(0).open(soci::sqlite3, "db=:memory:");
    auto db = database::from_pool(pool, 1, dialect::sqlite, std::chrono::milliseconds(50));
    create_table<User>(db);
    const std::size_t held = pool.lease();
    try {
        (void)select<User>().count(db);
        FAIL("expected a pool_timeout");
    } catch (const pool_timeout& e) {
        CHECK(std::string(e.what()).find("a SOCI pool opened by the caller") != std::string::npos);
    }
    pool.give_back(held);
    CHECK(select<User>().count(db) == 0);
}

TEST_CASE("a negative lease_timeout is refused at open") {
    open_options o;
    o.lease_timeout = std::chrono::milliseconds(-1);
    CHECK_THROWS_WITH_AS(database::open("sqlite::memory:", o), doctest::Contains("lease_timeout"), error);
}

TEST_CASE("from_pool refuses sessions of another backend than the one named, and sessions not open [sqlite]") {
    soci::connection_pool pool(2);
    pool.at(0).open(soci::sqlite3, "db=:memory:");
    pool.at(1).open(soci::sqlite3, "db=:memory:");
    for (dialect d : {dialect::postgresql, dialect::mariadb}) {
        try {
            (void)database::from_pool(pool, 2, d);
            FAIL("from_pool took sqlite3 sessions as " << to_string(d) << " ones");
        } catch (const error& e) {
            const std::string what = e.what();
            CHECK(what.find("session 0") != std::string::npos);
            CHECK(what.find("\"sqlite3\"") != std::string::npos);
            CHECK(what.find(to_string(d)) != std::string::npos);
        }
    }
    CHECK(database::from_pool(pool, 2, dialect::sqlite).pool_size() == 2);  // the right one is fine
    soci::connection_pool half(2);
    half.at(0).open(soci::sqlite3, "db=:memory:");  // session 1 never opened
    CHECK_THROWS_WITH_AS(database::from_pool(half, 2, dialect::sqlite), doctest::Contains("session 1 is not open"),
                         error);
}

TEST_CASE("from_pool refuses PostgreSQL sessions named as another backend [postgresql]") {
    soci::connection_pool pool(1);
    pool.at(0).open(soci::postgresql, eagerload_test::postgres_base());
    CHECK_THROWS_WITH_AS(database::from_pool(pool, 1, dialect::sqlite), doctest::Contains("\"postgresql\""), error);
    CHECK_THROWS_WITH_AS(database::from_pool(pool, 1, dialect::mariadb), doctest::Contains("\"postgresql\""), error);
    auto db = database::from_pool(pool, 1, dialect::postgresql);
    CHECK(eagerload::detail::execute(db, "CREATE TEMPORARY TABLE el_from_pool (id integer)") == 0);
}
