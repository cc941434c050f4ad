// Transactions commit or roll back as a unit, and pin one session to their thread.
#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/insert.hpp"
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
