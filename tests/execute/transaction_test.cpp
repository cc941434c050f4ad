// Transactions commit or roll back as a unit, and pin one session to their thread.
#include <future>
#include <memory>
#include <thread>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::User;

namespace {
// notes.body is nullable; StrictNote reads the same table as if it were not.
struct Note {
    std::int64_t id;
    std::optional<std::string> body;
};
struct StrictNote {
    std::int64_t id;
    std::string body;
};
// A table the tests never create.
struct Reply {
    std::int64_t id;
    std::int64_t note_id;
};
}  // namespace
BOOST_HANA_ADAPT_STRUCT(Note, id, body);
BOOST_HANA_ADAPT_STRUCT(StrictNote, id, body);
BOOST_HANA_ADAPT_STRUCT(Reply, id, note_id);
template <>
struct eagerload::model<Note> {
    static constexpr std::string_view table = "notes";
    static constexpr auto key = &Note::id;
};
template <>
struct eagerload::model<StrictNote> {
    static constexpr std::string_view table = "notes";
    static constexpr auto key = &StrictNote::id;
};
template <>
struct eagerload::model<Reply> {
    static constexpr std::string_view table = "replies";
    static constexpr auto key = &Reply::id;
};
namespace {
inline constexpr auto replies = has_many<&Reply::note_id, &Note::id>;
}

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
    if (!ctx.quirks().readers_block_writers) CHECK(select<User>().count(other) == 0);
    CHECK(select<User>().count(db) == 1);
    tx.commit();
    CHECK(select<User>().count(other) == 1);
}

EAGERLOAD_TEST("a second transaction on the same thread is refused clearly: finishing twice too") {
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

EAGERLOAD_TEST("a commit after a failed statement throws transaction_aborted where the database aborted the transaction") {
    create_table<User>(db);
    transaction tx(db);
    insert(db, User{1, "a", "a@x", {}});
    CHECK_THROWS_AS(insert(db, User{1, "dup", "dup@x", {}}), database_error);  // caught by the caller
    if (ctx.quirks().failed_statement_aborts_transaction) {
        // PostgreSQL aborted the transaction: its COMMIT would roll back and report success.
        try {
            tx.commit();
            FAIL("commit() returned, but PostgreSQL rolled the transaction back");
        } catch (const transaction_aborted& e) {
            const std::string what = e.what();
            CHECK(what.find("did not commit") != std::string::npos);
            CHECK(what.find("INSERT INTO \"users\"") != std::string::npos);  // the statement that failed
            CHECK(what.find("dbname=") != std::string::npos);                 // the target
            CHECK(e.sql() == "COMMIT");
        }
        CHECK_FALSE(tx.active());
        CHECK(select<User>().count(db) == 0);
    } else {
        // SQLite and MariaDB undid the failed statement only.
        tx.commit();
        CHECK(select<User>().count(db) == 1);
    }
    transaction next(db);  // the handle is fine afterwards
    insert(db, User{2, "b", "b@x", {}});
    next.commit();
    CHECK(select<User>().count(db) == (ctx.quirks().failed_statement_aborts_transaction ? 1 : 2));
}

EAGERLOAD_TEST("a load that fails inside the caller's transaction leaves it usable for rollback") {
    create_table<Note>(db);  // no "replies" table: the prefetch's second statement fails
    insert(db, Note{1, "kept"});
    {
        transaction tx(db);
        insert(db, Note{2, "undone"});
        CHECK_THROWS_AS(select<Note>().prefetch(replies).load(db), database_error);
        CHECK_THROWS_AS(select<Reply>().all(db), database_error);
        CHECK(tx.active());
        tx.rollback();  // does not throw
        CHECK_FALSE(tx.active());
    }
    CHECK(select<Note>().count(db) == 1);
    {
        transaction tx(db);  // and the session is fine for the next one
        insert(db, Note{3, "new"});
        tx.commit();
    }
    CHECK(select<Note>().count(db) == 2);
}

EAGERLOAD_TEST("an error the database never saw (a NULL for a non-optional member) does not abort the transaction") {
    create_table<Note>(db);
    transaction tx(db);
    insert(db, Note{1, {}});
    CHECK_THROWS_AS(select<StrictNote>().all(db), null_value_error);
    insert(db, Note{2, "b"});
    tx.commit();  // on both backends: the statement itself succeeded
    CHECK(select<Note>().count(db) == 2);
}
