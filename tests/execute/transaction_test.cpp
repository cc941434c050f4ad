// Transactions commit or roll back as a unit, and pin one session to their thread.
#include <soci/soci.h>

#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <thread>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"

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

namespace {
// A hand-written SOCI insert of a user, as application code writes one.
void insert_by_hand(soci::session& s, const eagerload_test::context& ctx, long long id) {
    std::string name = "hand " + std::to_string(id), email = std::to_string(id) + "@hand";
    s << "INSERT INTO " + ctx.quoted("users") + " (id, name, email) VALUES (:id, :name, :email)", soci::use(id),
        soci::use(name), soci::use(email);
}
}  // namespace

EAGERLOAD_TEST("hand-written SOCI on transaction::session() is rolled back and committed with the transaction") {
    create_table<User>(db);
    // A pool of two: a session leased from soci_pool() would be the other one, outside
    // the transaction. Then a pool of one: leasing from soci_pool() would wait forever.
    for (std::size_t pool_size : {std::size_t(2), std::size_t(1)}) {
        CAPTURE(pool_size);
        auto pool = ctx.open(pool_size);
        {
            transaction tx(pool);
            insert(pool, User{1, "a", "a@x", {}});
            insert_by_hand(tx.session(), ctx, 2);
            CHECK(select<User>().count(pool) == 2);  // the transaction sees its own hand-written write
            tx.rollback();
        }
        CHECK(select<User>().count(pool) == 0);
        {
            transaction tx(pool);
            insert_by_hand(tx.session(), ctx, 3);
            {
                leased_session s(pool);  // inside the thread's transaction: the transaction's session
                CHECK(&*s == &tx.session());
                insert_by_hand(*s, ctx, 4);
            }
            insert(pool, User{5, "e", "e@x", {}});
            tx.commit();
            CHECK_THROWS_WITH_AS((void)tx.session(), doctest::Contains("already committed"), error);
        }
        CHECK(select<User>().count(db) == 3);
        erase(pool, col<&User::id> > 0);
    }
}

EAGERLOAD_TEST("a session this thread already holds is never waited for: a second lease fails at once") {
    create_table<User>(db);  // db: a pool of one, lease_timeout 30 s
    for (std::size_t pool_size : {std::size_t(1), std::size_t(2)}) {
        CAPTURE(pool_size);
        auto pool = ctx.open(pool_size);
        const auto start = std::chrono::steady_clock::now();
        {
            std::vector<std::unique_ptr<leased_session>> held;  // hand-written SOCI holding every session
            for (std::size_t i = 0; i < pool_size; ++i) held.push_back(std::make_unique<leased_session>(pool));
            try {
                (void)select<User>().count(pool);
                FAIL("expected an error: this thread holds every session");
            } catch (const pool_timeout&) {
                FAIL("waited for a session only this thread could give back");
            } catch (const error& e) {
                const std::string what = e.what();
                CHECK(what.find("this thread already holds every session") != std::string::npos);
                CHECK(what.find("pool_size = " + std::to_string(pool_size)) != std::string::npos);
                CHECK(what.find("transaction::session()") != std::string::npos);
            }
            CHECK_THROWS_WITH_AS(transaction{pool}, doctest::Contains("already holds every session"), error);
            CHECK_THROWS_WITH_AS(leased_session{pool}, doctest::Contains("already holds every session"), error);
        }
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
        CHECK(select<User>().count(pool) == 0);  // given back: the pool works again
        leased_session one(pool);
        if (pool_size > 1) CHECK(select<User>().count(pool) == 0);  // a free session remains
    }
}

EAGERLOAD_TEST("a deadlock victim's transaction: later statements and commit() throw transaction_aborted") {
    if (!ctx.quirks().row_level_locks) {
        MESSAGE("no row-level locks on this backend: two writers cannot deadlock on two rows");
        return;
    }
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    insert(db, User{2, "b", "b@x", {}});
    auto pool = ctx.open(2);
    struct outcome {
        bool failed = false;         // its second update failed (the deadlock victim)
        bool later_aborted = false;  // a statement after the failure threw transaction_aborted
        bool commit_aborted = false;
        bool committed = false;
        std::string error;
    };
    std::latch both_locked(2);
    auto run = [&](std::int64_t first, std::int64_t second, outcome& o) {
        try {
            transaction tx(pool);
            update<User>().set<&User::name>("by " + std::to_string(first)).where(col<&User::id> == first).execute(pool);
            both_locked.arrive_and_wait();
            try {
                update<User>().set<&User::name>("by " + std::to_string(first)).where(col<&User::id> == second).execute(pool);
            } catch (const database_error& e) {  // caught by the caller, who goes on
                o.failed = true;
                o.error = e.what();
                try {
                    insert(pool, User{10 + first, "after", "after@x", {}});
                } catch (const transaction_aborted&) {
                    o.later_aborted = true;
                }
            }
            try {
                tx.commit();
                o.committed = true;
            } catch (const transaction_aborted&) {
                o.commit_aborted = true;
            }
        } catch (const std::exception& e) {
            o.error += std::string(" unexpected: ") + e.what();
        }
    };
    outcome one, two;
    std::thread a([&] { run(1, 2, one); });
    std::thread b([&] { run(2, 1, two); });
    a.join();
    b.join();
    CAPTURE(one.error);
    CAPTURE(two.error);
    REQUIRE(one.failed != two.failed);  // exactly one deadlock victim
    const outcome& victim = one.failed ? one : two;
    const outcome& winner = one.failed ? two : one;
    const std::int64_t winner_first = one.failed ? 2 : 1;
    CHECK(victim.later_aborted);  // MariaDB would have run it outside any transaction, and kept it
    CHECK(victim.commit_aborted);  // MariaDB's COMMIT "succeeded" with the earlier write gone
    CHECK_FALSE(victim.committed);
    CHECK(winner.committed);
    const auto users = select<User>().order_by(asc<&User::id>).all(db);
    REQUIRE(users.size() == 2);  // the victim's later insert is not there
    CHECK(users[0].name == "by " + std::to_string(winner_first));
    CHECK(users[1].name == "by " + std::to_string(winner_first));
}

EAGERLOAD_TEST("a lock wait timeout inside a transaction: commit() commits what is left or throws, never a silent loss") {
    if (!ctx.quirks().row_level_locks) {
        MESSAGE("no row-level locks on this backend: a writer waits for the database lock (statement_timeout)");
        return;
    }
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    auto waiter = ctx.open(1);
    detail::execute(waiter, ctx.quirks().lock_wait_one_second);
    {
        transaction holder(db);  // holds row 1 until the end of the block
        update<User>().set<&User::name>("held").where(col<&User::id> == 1).execute(db);
        bool timed_out = false, names_statement = false, committed = false, commit_aborted = false;
        std::string unexpected;
        std::thread t([&] {
            try {
                transaction tx(waiter);
                insert(waiter, User{2, "before", "before@x", {}});
                try {
                    update<User>().set<&User::name>("waited").where(col<&User::id> == 1).execute(waiter);
                } catch (const database_error& e) {  // caught by the caller, who goes on
                    timed_out = true;
                    names_statement = std::string(e.what()).find("UPDATE") != std::string::npos;
                }
                try {
                    tx.commit();
                    committed = true;
                } catch (const transaction_aborted&) {
                    commit_aborted = true;
                }
            } catch (const std::exception& e) {
                unexpected = e.what();
            }
        });
        t.join();
        CAPTURE(unexpected);
        CHECK(unexpected.empty());
        CHECK(timed_out);
        CHECK(names_statement);
        // PostgreSQL aborted the transaction (the insert is gone, and commit() says so);
        // MariaDB undid only the timed-out statement, and the insert commits.
        CHECK(commit_aborted == ctx.quirks().failed_statement_aborts_transaction);
        CHECK(committed != commit_aborted);
        holder.commit();
    }
    const auto users = select<User>().order_by(asc<&User::id>).all(db);
    REQUIRE(users.size() == (ctx.quirks().failed_statement_aborts_transaction ? 1u : 2u));
    CHECK(users[0].name == "held");
}
