// Optimistic concurrency: a model with a version member. update by key writes only
// while the row is at the object's version, bumps it in the row and the object, and
// throws stale_row (table and key) when the version moved on; a missing row is 0.
#include <string>

#include "../support/backend.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/database.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"
#include "write_models.hpp"

using namespace eagerload;
using namespace writes;

EAGERLOAD_TEST("update of a versioned row bumps the version in the row and the object") {
    create_table<Ticket>(db);
    Ticket t{0, "first", 1, 1};
    insert(db, t);
    t.title = "second";
    query_counter counter(db);
    CHECK(update(db, t) == 1);
    CHECK(counter.count() == 1);  // the check of a stale row runs only when nothing matched
    CHECK(t.version == 2);
    CHECK(get<Ticket>(db, t.id).version == 2);
    CHECK(get<Ticket>(db, t.id).title == "second");
    t.position = 5;
    CHECK(update(db, t, only<&Ticket::position>) == 1);
    CHECK(t.version == 3);
    const Ticket back = get<Ticket>(db, t.id);
    CHECK(back.version == 3);
    CHECK(back.position == 5);
}

EAGERLOAD_TEST("update of a stale row throws stale_row naming table and key, and writes nothing") {
    create_table<Ticket>(db);
    Ticket t{0, "first", 1, 1};
    insert(db, t);
    Ticket mine = get<Ticket>(db, t.id);
    Ticket theirs = get<Ticket>(db, t.id);
    theirs.title = "theirs";
    CHECK(update(db, theirs) == 1);

    mine.title = "mine";
    try {
        update(db, mine);
        FAIL("a stale update must throw");
    } catch (const stale_row& e) {
        CHECK(e.table() == "tickets");
        CHECK(e.key() == std::to_string(t.id));
        const std::string what = e.what();
        CHECK(what.find("\"tickets\"") != std::string::npos);
        CHECK(what.find("id = " + std::to_string(t.id)) != std::string::npos);
    }
    CHECK(mine.version == 1);  // not bumped
    CHECK_THROWS_AS(update(db, mine, only<&Ticket::position>), stale_row);
    const Ticket back = get<Ticket>(db, t.id);
    CHECK(back.title == "theirs");
    CHECK(back.version == 2);

    // Read again, and the write goes through.
    mine = back;
    mine.title = "mine";
    CHECK(update(db, mine) == 1);
    CHECK(get<Ticket>(db, t.id).title == "mine");
}

EAGERLOAD_TEST("update of a versioned row that does not exist returns 0, not stale_row") {
    create_table<Ticket>(db);
    Ticket ghost{12345, "ghost", 1, 1};
    CHECK(update(db, ghost) == 0);
    CHECK(ghost.version == 1);
}

EAGERLOAD_TEST("stale_row with a text key quotes the key") {
    create_table<Page>(db);
    Page p{"it's", 1, std::nullopt, 1};
    insert(db, p);
    Page other = p;
    CHECK(update(db, other) == 1);
    try {
        update(db, p);
        FAIL("a stale update must throw");
    } catch (const stale_row& e) {
        CHECK(e.table() == "pages");
        CHECK(e.key() == "'it's'");
    }
}

EAGERLOAD_TEST("update by a typed where bumps the version of every row it changes") {
    create_table<Ticket>(db);
    Ticket a{0, "a", 1, 1}, b{0, "b", 2, 1};
    insert(db, a);
    insert(db, b);
    CHECK(update<Ticket>().set<&Ticket::title>("x").where(col<&Ticket::position> == 1).execute(db) == 1);
    CHECK(get<Ticket>(db, a.id).version == 2);
    CHECK(get<Ticket>(db, b.id).version == 1);
    a.title = "stale";
    CHECK_THROWS_AS(update(db, a), stale_row);
}

EAGERLOAD_TEST("a versioned update in the caller's transaction rolls back with it") {
    create_table<Ticket>(db);
    Ticket t{0, "first", 1, 1};
    insert(db, t);
    {
        transaction tx(db);
        Ticket copy = t;
        copy.title = "second";
        CHECK(update(db, copy) == 1);
        CHECK(copy.version == 2);
    }
    CHECK(get<Ticket>(db, t.id).version == 1);
    t.title = "third";
    CHECK(update(db, t) == 1);  // still current
}
