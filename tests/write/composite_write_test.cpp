// Writes on composite-keyed models: upsert on the whole key (the rows carry their key:
// one statement, nothing read back) or on another unique key (every key column of the
// conflicting row written back, in input order), do_nothing, new and existing rows in
// one call; a version member with the WHERE on every key column and the version, and
// stale_row naming the table and the whole key. Every backend.
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/database.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"
#include "eagerload/upsert.hpp"
#include "write_models.hpp"

using namespace eagerload;
using namespace writes;

namespace {
void lines_table(const database& db) {
    create_table<Line>(db);
    create_unique_index(db, "lines_by_code", asc<&Line::code>);
    insert_all(db, std::vector<Line>{{1, 1, 10, "apple", 3}, {1, 2, 20, "pear", 1}, {2, 1, 30, "plum", 7}});
}
void links_table(const database& db) {
    create_table<Link>(db);
    insert_all(db, std::vector<Link>{{1, 10, 1}, {1, 20, 2}, {2, 10, 3}});
}
std::tuple<std::int64_t, std::int32_t> key_of(const Line& l) { return {l.order_id, l.line_no}; }
}  // namespace

EAGERLOAD_TEST("upsert of a new composite-keyed row inserts it in one statement, its key as given") {
    lines_table(db);
    Line l{3, 1, 40, "fig", 2};
    query_counter counter(db);
    upsert(db, l, on<&Line::order_id, &Line::line_no>, only<&Line::qty>);
    CHECK(counter.count() == 1);  // the row carries its key: nothing to read back
    CHECK(key_of(l) == std::tuple<std::int64_t, std::int32_t>{3, 1});
    const Line back = get<Line>(db, 3, 1);
    CHECK(back.sku == "fig");
    CHECK(back.code == 40);
    CHECK(select<Line>().count(db) == 4);
}

EAGERLOAD_TEST("upsert of a composite-keyed row on its whole key updates only the named members of that row") {
    lines_table(db);
    Line l{1, 2, 20, "not written", 9};
    query_counter counter(db);
    upsert(db, l, on<&Line::order_id, &Line::line_no>, only<&Line::qty>);
    CHECK(counter.count() == 1);
    const Line back = get<Line>(db, 1, 2);
    CHECK(back.qty == 9);
    CHECK(back.sku == "pear");                // not named: kept
    CHECK(get<Line>(db, 1, 1).qty == 3);      // same order, other line: untouched
    CHECK(get<Line>(db, 2, 1).qty == 7);      // same line, other order: untouched
    CHECK(select<Line>().count(db) == 3);

    // The key's columns named in another order are the same conflict target.
    Line m{2, 1, 30, "x", 11};
    upsert(db, m, on<&Line::line_no, &Line::order_id>, only<&Line::qty, &Line::sku>);
    CHECK(get<Line>(db, 2, 1).qty == 11);
    CHECK(get<Line>(db, 2, 1).sku == "x");
}

EAGERLOAD_TEST("upsert do_nothing on a composite key leaves the existing row alone and inserts a new one") {
    links_table(db);
    Link old{1, 20, 99};
    query_counter counter(db);
    upsert(db, old, on<&Link::product_id, &Link::category_id>, do_nothing);
    CHECK(counter.count() == 1);
    CHECK(get<Link>(db, 1, 20).rank == 2);
    Link fresh{2, 20, 5};
    upsert(db, fresh, on<&Link::product_id, &Link::category_id>, do_nothing);
    CHECK(get<Link>(db, 2, 20).rank == 5);

    std::vector<Link> rows{{1, 10, 50}, {3, 30, 6}, {2, 10, 51}, {3, 10, 7}};
    upsert_all(db, rows, on<&Link::product_id, &Link::category_id>, do_nothing);
    CHECK(get<Link>(db, 1, 10).rank == 1);
    CHECK(get<Link>(db, 2, 10).rank == 3);
    CHECK(get<Link>(db, 3, 30).rank == 6);
    CHECK(get<Link>(db, 3, 10).rank == 7);
    CHECK(select<Link>().count(db) == 6);
}

EAGERLOAD_TEST("upsert_all of a keyless join table: new and existing rows mixed in one call, one statement") {
    links_table(db);
    std::vector<Link> rows{{2, 10, 30}, {5, 50, 8}, {1, 10, 10}, {1, 30, 9}, {1, 20, 20}};
    query_counter counter(db);
    upsert_all(db, rows, on<&Link::product_id, &Link::category_id>, only<&Link::rank>);
    CHECK(counter.count() == 1);
    const auto all = select<Link>().order_by(asc<&Link::product_id>, asc<&Link::category_id>).all(db);
    REQUIRE(all.size() == 5);
    const std::vector<std::tuple<std::int64_t, std::int64_t, std::int32_t>> expected{
        {1, 10, 10}, {1, 20, 20}, {1, 30, 9}, {2, 10, 30}, {5, 50, 8}};
    for (std::size_t i = 0; i < all.size(); ++i) {
        CAPTURE(i);
        CHECK(std::tuple{all[i].product_id, all[i].category_id, all[i].rank} == expected[i]);
    }
    // Input rows keep their keys, in input order.
    CHECK(rows[1].product_id == 5);
    CHECK(rows[1].category_id == 50);
}

EAGERLOAD_TEST("upsert_all on a composite key crosses chunks: one statement each, all rows written") {
    create_table<Link>(db);
    const rows_per_statement small(4);
    std::vector<Link> existing;
    for (std::int64_t p = 0; p < 10; p += 2) existing.push_back(Link{p, p + 100, 0});
    insert_all(db, existing);
    std::vector<Link> rows;
    for (std::int64_t p = 9; p >= 0; --p) rows.push_back(Link{p, p + 100, static_cast<std::int32_t>(p + 1)});
    query_counter counter(db);
    upsert_all(db, rows, on<&Link::product_id, &Link::category_id>, only<&Link::rank>);
    CHECK(counter.count() == 3);  // 10 rows, 4 per statement
    CHECK(select<Link>().count(db) == 10);
    for (std::int64_t p = 0; p < 10; ++p) {
        CAPTURE(p);
        CHECK(get<Link>(db, p, p + 100).rank == p + 1);
    }
}

EAGERLOAD_TEST("upsert of a composite-keyed model on another unique key writes every key column back, in input order") {
    lines_table(db);
    // Conflicting rows carry a key of their own that is not the stored row's: the
    // stored row's key is written back into them.
    std::vector<Line> rows{{9, 9, 30, "x", 70}, {3, 1, 40, "fig", 4}, {8, 8, 10, "y", 30}};
    query_counter counter(db);
    upsert_all(db, rows, on<&Line::code>, only<&Line::qty>);
    CHECK(counter.count() == ctx.quirks().upsert_statements);
    CHECK(key_of(rows[0]) == std::tuple<std::int64_t, std::int32_t>{2, 1});
    CHECK(key_of(rows[1]) == std::tuple<std::int64_t, std::int32_t>{3, 1});
    CHECK(key_of(rows[2]) == std::tuple<std::int64_t, std::int32_t>{1, 1});
    CHECK(get<Line>(db, 2, 1).qty == 70);
    CHECK(get<Line>(db, 2, 1).sku == "plum");  // not named: kept
    CHECK(get<Line>(db, 1, 1).qty == 30);
    CHECK(get<Line>(db, 3, 1).sku == "fig");
    CHECK_FALSE(find<Line>(db, 9, 9).has_value());
    CHECK_FALSE(find<Line>(db, 8, 8).has_value());
    CHECK(select<Line>().count(db) == 4);

    Line one{7, 7, 20, "z", 1};
    upsert(db, one, on<&Line::code>, do_nothing);
    CHECK(key_of(one) == std::tuple<std::int64_t, std::int32_t>{1, 2});
    CHECK(get<Line>(db, 1, 2).qty == 1);
    CHECK(get<Line>(db, 1, 2).sku == "pear");
}

EAGERLOAD_TEST("upsert of a versioned composite-keyed model bumps the version of the rows it updates") {
    create_table<Entry>(db);
    insert(db, Entry{"a", 1, 1, "one", 1});
    std::vector<Entry> rows{{"a", 1, 1, "changed", 1}, {"a", 2, 2, "two", 1}};
    upsert_all(db, rows, on<&Entry::book, &Entry::number>, only<&Entry::text>);
    CHECK(get<Entry>(db, std::string("a"), 1).text == "changed");
    CHECK(get<Entry>(db, std::string("a"), 1).version == 2);
    CHECK(get<Entry>(db, std::string("a"), 2).version == 1);
    Entry same{"a", 1, 1, "ignored", 1};
    upsert(db, same, on<&Entry::book, &Entry::number>, do_nothing);
    CHECK(get<Entry>(db, std::string("a"), 1).version == 2);  // left alone: not bumped
}

EAGERLOAD_TEST("update of a versioned composite-keyed row: WHERE on every key column and the version, bumped") {
    create_table<Entry>(db);
    insert_all(db, std::vector<Entry>{{"a", 1, 1, "one", 1}, {"a", 2, 2, "two", 1}, {"b", 1, 3, "three", 1}});
    Entry e = get<Entry>(db, std::string("a"), 1);
    e.text = "first";
    query_counter counter(db);
    CHECK(update(db, e) == 1);
    CHECK(counter.count() == 1);
    CHECK(e.version == 2);
    CHECK(get<Entry>(db, std::string("a"), 1).version == 2);
    CHECK(get<Entry>(db, std::string("a"), 1).text == "first");
    CHECK(get<Entry>(db, std::string("a"), 2).version == 1);  // same book, other number
    CHECK(get<Entry>(db, std::string("b"), 1).version == 1);  // same number, other book
    e.text = "second";
    CHECK(update(db, e, only<&Entry::text>) == 1);
    CHECK(e.version == 3);
    CHECK(get<Entry>(db, std::string("a"), 1).version == 3);
    CHECK(get<Entry>(db, std::string("a"), 1).text == "second");

    Entry ghost{"a", 9, 9, "ghost", 1};
    CHECK(update(db, ghost) == 0);  // no such row: 0, not stale_row
    CHECK(ghost.version == 1);
}

EAGERLOAD_TEST("update of a stale composite-keyed row throws stale_row naming the table and the whole key") {
    create_table<Entry>(db);
    insert_all(db, std::vector<Entry>{{"it's", 2, 1, "one", 1}, {"it's", 3, 2, "two", 1}});
    Entry mine = get<Entry>(db, std::string("it's"), 2);
    Entry theirs = mine;
    theirs.text = "theirs";
    CHECK(update(db, theirs) == 1);

    mine.text = "mine";
    try {
        update(db, mine);
        FAIL("a stale update must throw");
    } catch (const stale_row& e) {
        CHECK(e.table() == "entries");
        CHECK(e.key() == "book = 'it's', number = 2");
        const std::string what = e.what();
        CHECK(what.find("\"entries\"") != std::string::npos);
        CHECK(what.find("book = 'it's', number = 2") != std::string::npos);
        CHECK(what.find("version = 1") != std::string::npos);
    }
    CHECK(mine.version == 1);  // not bumped
    CHECK_THROWS_AS(update(db, mine, only<&Entry::text>), stale_row);
    const Entry back = get<Entry>(db, std::string("it's"), 2);
    CHECK(back.text == "theirs");
    CHECK(back.version == 2);
    CHECK(get<Entry>(db, std::string("it's"), 3).text == "two");  // the other row: untouched

    mine = back;
    mine.text = "mine";
    CHECK(update(db, mine) == 1);
    CHECK(get<Entry>(db, std::string("it's"), 2).text == "mine");
}

EAGERLOAD_TEST("upsert on the whole composite key meets a duplicate of another unique key as its database says") {
    lines_table(db);
    Line l{5, 5, 10, "collides on code", 99};  // a new key, the code of (1, 1)
    if (ctx.quirks().upsert_conflicts_on_any_unique_key) {
        // MariaDB: ON DUPLICATE KEY UPDATE took the other key's duplicate and updated
        // that row; nothing is read back on the whole key, so nothing can tell
        // (docs/writing.md, "Upsert", composite keys).
        upsert(db, l, on<&Line::order_id, &Line::line_no>, only<&Line::qty>);
        CHECK(get<Line>(db, 1, 1).qty == 99);
        CHECK_FALSE(find<Line>(db, 5, 5).has_value());
    } else {
        CHECK_THROWS_AS(upsert(db, l, on<&Line::order_id, &Line::line_no>, only<&Line::qty>), unique_violation);
        CHECK(get<Line>(db, 1, 1).qty == 3);
        CHECK_FALSE(find<Line>(db, 5, 5).has_value());
    }
    CHECK(select<Line>().count(db) == 3);
    // On the other key itself, every backend writes (1, 1) back into the row.
    upsert(db, l, on<&Line::code>, only<&Line::qty>);
    CHECK(key_of(l) == std::tuple<std::int64_t, std::int32_t>{1, 1});
}
