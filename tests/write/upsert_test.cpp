// Upsert on a unique key: insert, or update the named members, or do nothing; the key
// of every input row written back, conflicting ones included; single and bulk; in the
// caller's transaction; all or nothing. Every backend.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/database.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/upsert.hpp"
#include "write_models.hpp"

using namespace eagerload;
using namespace writes;

namespace {
void items_table(const database& db) {
    create_table<Item>(db);
    create_unique_index(db, "items_by_code", asc<&Item::code>);
}
std::map<std::int64_t, Item> by_id(const database& db) {
    std::map<std::int64_t, Item> out;
    for (Item& i : select<Item>().all(db)) out.emplace(i.id, std::move(i));
    return out;
}
}  // namespace

EAGERLOAD_TEST("upsert inserts a new row and writes its generated key back") {
    items_table(db);
    Item a{0, 7, "seven", 1.5, 3};
    query_counter counter(db);
    upsert(db, a, on<&Item::code>, only<&Item::price, &Item::stock>);
    CHECK(counter.count() == ctx.quirks().upsert_statements);
    REQUIRE(a.id != 0);
    CHECK(get<Item>(db, a.id).label == "seven");
}

EAGERLOAD_TEST("upsert on a conflict updates only the named members and writes the existing key back") {
    items_table(db);
    Item a{0, 7, "seven", 1.5, 3};
    insert(db, a);
    Item b{0, 7, "not written", 2.5, 9};
    upsert(db, b, on<&Item::code>, only<&Item::price, &Item::stock>);
    CHECK(b.id == a.id);
    const Item back = get<Item>(db, a.id);
    CHECK(back.label == "seven");  // not named: unchanged
    CHECK(back.price == 2.5);
    CHECK(back.stock == 9);
    CHECK(select<Item>().count(db) == 1);
}

EAGERLOAD_TEST("upsert do_nothing leaves the conflicting row alone and still writes its key back") {
    items_table(db);
    Item a{0, 7, "seven", 1.5, 3};
    insert(db, a);
    Item b{0, 7, "other", 2.5, 9};
    upsert(db, b, on<&Item::code>, do_nothing);
    CHECK(b.id == a.id);
    const Item back = get<Item>(db, a.id);
    CHECK(back.label == "seven");
    CHECK(back.price == 1.5);
    Item c{0, 8, "eight", 1, 1};
    upsert(db, c, on<&Item::code>, do_nothing);
    CHECK(c.id != a.id);
    CHECK(get<Item>(db, c.id).label == "eight");
}

EAGERLOAD_TEST("upsert_all returns the key of every input row, conflicting ones included, in input order") {
    items_table(db);
    const rows_per_statement small(700);
    // 1000 existing rows with even codes.
    std::vector<Item> existing;
    for (std::int64_t c = 0; c < 2000; c += 2) existing.push_back(Item{0, c, "old", 1, 1});
    insert_all(db, existing);
    std::map<std::int64_t, std::int64_t> id_of_code;
    for (const Item& i : existing) id_of_code[i.code] = i.id;

    // 2000 rows, codes 1999 down to 0: half conflict, half new; 3 chunks.
    std::vector<Item> rows;
    for (std::int64_t c = 1999; c >= 0; --c) rows.push_back(Item{0, c, "new", 2, static_cast<std::int32_t>(c)});
    query_counter counter(db);
    upsert_all(db, rows, on<&Item::code>, only<&Item::price, &Item::stock>);
    CHECK(counter.count() == 3 * ctx.quirks().upsert_statements);
    const auto stored = by_id(db);
    CHECK(stored.size() == 2000);
    for (const Item& r : rows) {
        CAPTURE(r.code);
        const auto it = stored.find(r.id);
        REQUIRE(it != stored.end());
        CHECK(it->second.code == r.code);
        CHECK(it->second.stock == r.code);  // updated or inserted
        CHECK(it->second.price == 2);
        if (r.code % 2 == 0) {
            CHECK(r.id == id_of_code[r.code]);   // the conflicting row's own key
            CHECK(it->second.label == "old");    // label not named: kept
        } else {
            CHECK(it->second.label == "new");
        }
    }
}

EAGERLOAD_TEST("upsert_all do_nothing returns the keys of the rows it left alone") {
    items_table(db);
    std::vector<Item> existing{{0, 1, "one", 1, 1}, {0, 3, "three", 3, 3}};
    insert_all(db, existing);
    std::vector<Item> rows{{0, 3, "x", 9, 9}, {0, 2, "two", 2, 2}, {0, 1, "y", 9, 9}, {0, 4, "four", 4, 4}};
    upsert_all(db, rows, on<&Item::code>, do_nothing);
    CHECK(rows[0].id == existing[1].id);
    CHECK(rows[2].id == existing[0].id);
    CHECK(get<Item>(db, rows[1].id).label == "two");
    CHECK(get<Item>(db, rows[3].id).label == "four");
    CHECK(get<Item>(db, existing[1].id).label == "three");
    CHECK(select<Item>().count(db) == 4);
}

EAGERLOAD_TEST("upsert on the primary key of an application-keyed model") {
    create_table<Page>(db);
    Page a{"home", 1, "hello", 1};
    insert(db, a);
    Page b{"home", 1, "changed", 1};
    Page c{"about", 2, "us", 1};
    std::vector<Page> rows{b, c};
    upsert_all(db, rows, on<&Page::id>, only<&Page::body>);
    CHECK(rows[0].id == "home");
    CHECK(rows[1].id == "about");
    CHECK(get<Page>(db, std::string("home")).body == "changed");
    CHECK(get<Page>(db, std::string("home")).version == 2);  // a versioned model: bumped on update
    CHECK(get<Page>(db, std::string("about")).version == 1);
}

EAGERLOAD_TEST("upsert runs in the caller's transaction and rolls back with it") {
    items_table(db);
    Item a{0, 7, "seven", 1.5, 3};
    insert(db, a);
    {
        transaction tx(db);
        Item b{0, 7, "x", 9, 9}, c{0, 8, "eight", 1, 1};
        upsert(db, b, on<&Item::code>, only<&Item::price>);
        upsert(db, c, on<&Item::code>, only<&Item::price>);
        CHECK(get<Item>(db, a.id).price == 9);
    }
    CHECK(get<Item>(db, a.id).price == 1.5);
    CHECK(select<Item>().count(db) == 1);
}

EAGERLOAD_TEST("upsert_all is all or nothing across chunks") {
    items_table(db);
    create_unique_index(db, "items_by_label", asc<&Item::stock>);
    const rows_per_statement small(3);
    std::vector<Item> rows;
    for (std::int32_t i = 0; i < 8; ++i) rows.push_back(Item{0, i, "l", 1, i});
    rows[7].stock = 0;  // breaks the other unique index in the third chunk
    // PostgreSQL and SQLite: unique_violation. MariaDB: ON DUPLICATE KEY takes a conflict on any
    // unique key, updates row 0, and no row has code 7 afterwards: eagerload::error.
    CHECK_THROWS_AS(upsert_all(db, rows, on<&Item::code>, only<&Item::price>), error);
    CHECK(select<Item>().count(db) == 0);
}

EAGERLOAD_TEST("an upsert that meets a row committed while it ran gets its key, or says it cannot") {
    items_table(db);
    auto other = ctx.open(1);
    Item theirs{0, 5, "theirs", 1, 1};
    auto tx = std::make_unique<transaction>(other);
    insert(other, theirs);  // uncommitted: the upsert below waits for it
    Item mine{0, 5, "mine", 2, 2};
    std::optional<std::string> failure;
    std::thread upserting([&] {
        try {
            upsert(db, mine, on<&Item::code>, do_nothing);
        } catch (const error& e) {
            failure = e.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    tx->commit();
    upserting.join();
    if (ctx.quirks().upsert_misses_rows_committed_while_it_runs) {
        // PostgreSQL, READ COMMITTED: DO NOTHING saw the conflict, the statement's
        // snapshot cannot see the row: an error, not a guessed key.
        REQUIRE(failure.has_value());
        CHECK(failure->find("\"items\"") != std::string::npos);
        CHECK(failure->find("retry") != std::string::npos);
    } else {
        REQUIRE_FALSE(failure.has_value());
        CHECK(mine.id == theirs.id);
    }
    CHECK(get<Item>(db, theirs.id).label == "theirs");
    CHECK(select<Item>().count(db) == 1);
}
