// Transactions commit or roll back as a unit, and pin one session to their thread.
#include <future>
#include <memory>
#include <thread>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::User;

EAGERLOAD_TEST("a committed transaction keeps its writes") {
    create_table<User>(db);
    {
        transaction tx(db);
        insert(db, User{1, "a", "a@x", {}});
        insert(db, User{2, "b", "b@x", {}});
        tx.commit();
        CHECK_FALSE(tx.active());
    }
    CHECK(select<User>().count(db) == 2);
}

EAGERLOAD_TEST("a transaction that is not committed rolls back, also on exception") {
    create_table<User>(db);
    {
        transaction tx(db);
        insert(db, User{1, "a", "a@x", {}});
        CHECK(select<User>().count(db) == 1);  // visible inside
    }
    CHECK(select<User>().count(db) == 0);
    try {
        transaction tx(db);
        insert(db, User{1, "a", "a@x", {}});
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK(select<User>().count(db) == 0);
    {
        transaction tx(db);
        insert(db, User{1, "a", "a@x", {}});
        tx.rollback();
    }
    CHECK(select<User>().count(db) == 0);
}

EAGERLOAD_TEST("uncommitted writes are invisible to other sessions, and a pool of one does not deadlock") {
    create_table<User>(db);
    auto other = ctx.open(1);
    transaction tx(db);  // db has one session: statements on it below go through the transaction
    insert(db, User{1, "a", "a@x", {}});
    if (db.sql_dialect() == dialect::postgresql) CHECK(select<User>().count(other) == 0);
    CHECK(select<User>().count(db) == 1);
    tx.commit();
    CHECK(select<User>().count(other) == 1);
}

EAGERLOAD_TEST("a second transaction on the same thread is refused clearly; finishing twice too") {
    create_table<User>(db);
    transaction tx(db, isolation::repeatable_read);
    CHECK_THROWS_WITH_AS(transaction{db}, doctest::Contains("already open"), error);
    tx.commit();
    CHECK_THROWS_WITH_AS(tx.commit(), doctest::Contains("already committed"), error);
}

EAGERLOAD_TEST("a transaction ended on another thread no longer pins its opening thread") {
    create_table<User>(db);
    auto pool = ctx.open(2);
    auto tx = std::make_unique<transaction>(pool);  // pins this thread to a session (the lowest free: 0)
    insert(pool, User{1, "a", "a@x", {}});
    std::thread([&] { tx->commit(); }).join();  // a moved owner, a coroutine resumed elsewhere...
    CHECK(select<User>().count(db) == 1);

    // Another thread now takes that session for a transaction of its own and writes
    // without committing. This thread must not run on that session any more.
    std::promise<void> written, release;
    std::thread other([&] {
        transaction mine(pool);
        insert(pool, User{2, "b", "b@x", {}});
        written.set_value();
        release.get_future().wait();
    });  // rolls back
    written.get_future().wait();
    const auto seen = select<User>().count(pool);
    release.set_value();
    other.join();
    CHECK(seen == 1);  // 2 would mean: read inside the other thread's transaction

    transaction again(pool);  // not "already open"
    insert(pool, User{3, "c", "c@x", {}});
    again.commit();
    CHECK(select<User>().count(db) == 2);
}

EAGERLOAD_TEST("a transaction destroyed on another thread rolls back and unpins its opening thread") {
    create_table<User>(db);
    auto tx = std::make_unique<transaction>(db);
    insert(db, User{1, "a", "a@x", {}});
    std::thread([&] { tx.reset(); }).join();
    CHECK(select<User>().count(db) == 0);
    transaction again(db);
    insert(db, User{2, "b", "b@x", {}});
    again.commit();
    CHECK(select<User>().count(db) == 1);
}
