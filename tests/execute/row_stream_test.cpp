// Rows arrive in batches (and, on PostgreSQL, one libpq result per row: a level never
// sits whole in one PGresult). Every row crosses whole, NULLs and text included, at
// every batch boundary; a connection lost in the middle of a level's rows throws
// connection_error and nothing of the graph escapes; the session is replaced.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

namespace stream {
struct Bin {
    std::int64_t id;
    std::string label;
};
struct Item {
    std::int64_t id;
    std::int64_t bin_id;
    std::string title;
    std::optional<std::string> note;
    std::optional<std::int64_t> weight;
    bool operator==(const Item&) const = default;
};
}  // namespace stream
namespace stream {
// stream_items read with a weight that must fit 32 bits.
struct NarrowItem {
    std::int64_t id;
    std::int64_t bin_id;
    std::string title;
    std::optional<std::string> note;
    std::optional<std::int32_t> weight;
};
}  // namespace stream
BOOST_HANA_ADAPT_STRUCT(stream::Bin, id, label);
BOOST_HANA_ADAPT_STRUCT(stream::Item, id, bin_id, title, note, weight);
BOOST_HANA_ADAPT_STRUCT(stream::NarrowItem, id, bin_id, title, note, weight);
template <>
struct eagerload::model<stream::NarrowItem> {
    static constexpr std::string_view table = "stream_items";
    static constexpr auto key = &stream::NarrowItem::id;
};
template <>
struct eagerload::model<stream::Bin> {
    static constexpr std::string_view table = "stream_bins";
    static constexpr auto key = &stream::Bin::id;
};
template <>
struct eagerload::model<stream::Item> {
    static constexpr std::string_view table = "stream_items";
    static constexpr auto key = &stream::Item::id;
};

using namespace eagerload;
using stream::Bin;
using stream::Item;
using stream::NarrowItem;

namespace {
inline constexpr auto items = has_many<&Item::bin_id, &Bin::id>;

// The default rows per batch when a query has no limit (src/execute.cpp).
constexpr std::size_t batch = 256;

// Loaded nodes as the plain rows they hold.
template <class Nodes>
std::vector<Item> plain(const Nodes& nodes) {
    return std::vector<Item>(nodes.begin(), nodes.end());
}

// `n` items in bin 1 (ids 1..n), then 3 in bin 2. Around each multiple of `at`, the
// rows alternate NULLs, empty text, quotes and 4-byte UTF-8.
std::vector<Item> make_items(std::size_t n, std::size_t at) {
    std::vector<Item> out;
    for (std::size_t i = 1; i <= n + 3; ++i) {
        Item it{static_cast<std::int64_t>(i), i <= n ? 1 : 2, "item " + std::to_string(i), "note", 7};
        const std::size_t d = i % at;
        if (d + 2 >= at || d <= 2) {  // the last two rows of a batch and the first three of the next
            switch (i % 4) {
            case 0: it.note.reset(), it.weight.reset(), it.title = ""; break;
            case 1: it.title = "O'Brien \"quoted\" \xF0\x9F\x98\x80 \\ end"; it.weight.reset(); break;
            case 2: it.note.reset(); it.title = std::string(300, 'x'); break;
            default: it.note = ""; it.weight = -9'000'000'000'000; break;
            }
        }
        out.push_back(it);
    }
    return out;
}
}  // namespace

EAGERLOAD_TEST("a level of batch-1, batch and batch+1 rows arrives whole, NULLs and text at the boundary") {
    create_table<Bin>(db);
    create_table<Item>(db);
    insert_all(db, std::vector<Bin>{{1, "one"}, {2, "two"}});
    for (const std::size_t n : {batch - 1, batch, batch + 1, 2 * batch + 1}) {
        CAPTURE(n);
        detail::execute(db, "DELETE FROM " + ctx.quoted("stream_items"));
        const std::vector<Item> all = make_items(n, batch);
        insert_all(db, all);

        // A root level (no limit: batches of 256).
        CHECK(plain(select<Item>().order_by(asc<&Item::id>).load(db)) == all);

        // A prefetch level: bin 1's n children, bin 2's 3.
        const auto bins = select<Bin>().order_by(asc<&Bin::id>).prefetch(items, select<Item>().order_by(asc<&Item::id>)).load(db);
        REQUIRE(bins.size() == 2);
        CHECK(plain(bins[0][items]) == std::vector<Item>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)));
        CHECK(plain(bins[1][items]) == std::vector<Item>(all.begin() + static_cast<std::ptrdiff_t>(n), all.end()));
    }
}

EAGERLOAD_TEST("fetch hands rows over in batches of the expected size: 3, 4 and 5 rows in batches of 4") {
    create_table<Item>(db);
    const std::vector<Item> all = make_items(5, 4);
    insert_all(db, all);
    const auto& t = detail::table_of<Item>();
    std::vector<detail::column_source> columns;
    std::string sql = "SELECT ";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        columns.push_back({&t, c, 0, 0});
        sql += (c ? ", " : "") + ctx.quoted(t.columns[c].name);
    }
    sql += " FROM " + ctx.quoted("stream_items") + " WHERE " + ctx.quoted("id") + " <= :p1 ORDER BY " + ctx.quoted("id");
    for (const long long n : {3, 4, 5}) {
        CAPTURE(n);
        std::vector<std::size_t> sizes;
        std::vector<Item> got;
        detail::fetch(
            db, sql, {detail::param::integer(n)}, columns,
            [&](detail::result_batch& b) {
                sizes.push_back(b.rows);
                for (std::size_t r = 0; r < b.rows; ++r) {
                    Item it{b.columns[0].ints[r], b.columns[1].ints[r], b.columns[2].texts[r], {}, {}};
                    if (!b.columns[3].nulls[r]) it.note = b.columns[3].texts[r];
                    if (!b.columns[4].nulls[r]) it.weight = b.columns[4].ints[r];
                    got.push_back(it);
                }
            },
            4);
        CHECK(got == std::vector<Item>(all.begin(), all.begin() + n));
        CHECK(sizes == (n == 3 ? std::vector<std::size_t>{3} : n == 4 ? std::vector<std::size_t>{4} : std::vector<std::size_t>{4, 1}));
    }
}

// A fetch stopped in the middle of its rows (the sink threw, a value did not convert)
// leaves the rest unread on the connection: the backend reads and drops them (libpq's
// results, MariaDB's mysql_free_result, SQLite's reset), and the same session takes the
// next statement, inside a transaction too. 20,000 rows of 300-byte titles: 6 MB, more
// than the socket buffers hold, so the server is still sending when the reader stops.
EAGERLOAD_TEST("a sink or a value that fails in the middle of the rows leaves the session ready for the next load") {
    create_table<Bin>(db);
    create_table<Item>(db);
    insert_all(db, std::vector<Bin>{{1, "one"}, {2, "two"}});
    std::vector<Item> all;
    for (std::int64_t i = 1; i <= 20'000; ++i)
        all.push_back({i, 1 + i % 2, std::string(300, 't') + std::to_string(i), "note", i == 10'000 ? 5'000'000'000 : i});
    insert_all(db, all);
    auto one = ctx.open(1);  // one session: what follows runs where the failure was
    const auto& t = detail::table_of<Item>();
    std::vector<detail::column_source> columns;
    std::string sql = "SELECT ";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        columns.push_back({&t, c, 0, 0});
        sql += (c ? ", " : "") + ctx.quoted(t.columns[c].name);
    }
    sql += " FROM " + ctx.quoted("stream_items") + " WHERE " + ctx.quoted("id") + " <= :p1 ORDER BY " + ctx.quoted("id");
    const auto loaded = [&] { return plain(select<Item>().order_by(asc<&Item::id>).load(one)); };

    // The sink throws at the first batch.
    std::size_t batches = 0;
    CHECK_THROWS_WITH(detail::fetch(one, sql, {detail::param::integer(20'000)}, columns,
                                    [&](detail::result_batch&) {
                                        ++batches;
                                        throw std::runtime_error("the sink failed");
                                    }),
                      "the sink failed");
    CHECK(batches == 1);
    CHECK(loaded() == all);

    // Row 10,000's weight does not fit an int32_t: conversion_error naming it, in the
    // middle of a root level and of a prefetch level.
    CHECK_THROWS_WITH_AS(select<NarrowItem>().order_by(asc<&NarrowItem::id>).load(one),
                         doctest::Contains("\"stream_items\".\"weight\" of the row with id = 10000"), conversion_error);
    CHECK(loaded() == all);
    constexpr auto narrow_items = has_many<&NarrowItem::bin_id, &Bin::id>;
    CHECK_THROWS_AS(select<Bin>().prefetch(narrow_items, select<NarrowItem>().order_by(asc<&NarrowItem::id>)).load(one),
                    conversion_error);
    CHECK(loaded() == all);

    // Inside a transaction: the transaction goes on and commits.
    {
        transaction tx(one);
        insert(one, Bin{3, "three"});
        CHECK_THROWS_AS(select<NarrowItem>().order_by(asc<&NarrowItem::id>).load(one), conversion_error);
        CHECK(loaded() == all);
        tx.commit();
    }
    {  // a whole streamed level, then a commit that must still see its transaction open
        transaction tx(one);
        insert(one, Bin{4, "four"});
        CHECK(loaded() == all);
        tx.commit();
    }
    CHECK(select<Bin>().count(one) == 4);
    CHECK(select<Bin>().count(db) == 4);  // committed: another session sees them
}

// PostgreSQL and MariaDB stream a level's rows as the server sends them (libpq's
// single-row mode, mysql_use_result): end the session from another one after the first
// batch has arrived, and the rest never does.
void lost_in_the_middle_of_rows(const eagerload_test::context& ctx) {
    auto db = ctx.open(1);
    auto admin = ctx.open(1);
    const long long id = eagerload_test::session_id(db);
    const auto& t = detail::table_of<Item>();
    const std::vector<detail::column_source> columns{{&t, 0, 0, 0}, {&t, 2, 0, 0}};
    const std::string sql = ctx.quirks().many_rows_sql;
    std::size_t rows = 0, batches = 0;
    try {
        detail::fetch(db, sql, {detail::param::integer(2'000'000)}, columns, [&](detail::result_batch& b) {
            if (batches++ == 0) eagerload_test::kill_session(admin, id);
            rows += b.rows;
        });
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        CHECK(std::string(e.what()).find(sql) != std::string::npos);  // the statement
    }
    CHECK(batches >= 1);
    CHECK(rows < 2'000'000);  // stopped in the middle
    // The dead session is replaced: the same query, whole, on a new session.
    rows = 0;
    detail::fetch(db, sql, {detail::param::integer(100'000)}, columns, [&](detail::result_batch& b) { rows += b.rows; });
    CHECK(rows == 100'000);
    CHECK(eagerload_test::session_id(db) != id);
}

TEST_CASE("a connection lost in the middle of a level's rows: connection_error, then the session is replaced [postgresql]") {
    lost_in_the_middle_of_rows(eagerload_test::context(dialect::postgresql));
}
TEST_CASE("a connection lost in the middle of a level's rows: connection_error, then the session is replaced [mariadb]") {
    lost_in_the_middle_of_rows(eagerload_test::context(dialect::mariadb));
}

// The same through a load: the child level's rows stop coming (the server waits in the
// middle of them, after sending the first 150,000) and its session is ended from
// another one. The load throws; no graph is returned; the next load gets every row.
void load_lost_mid_level(const eagerload_test::context& ctx) {
    const auto& q = ctx.quirks();
    auto db = ctx.open(1);
    auto admin = ctx.open(1);
    create_table<Bin>(db);
    detail::execute(db, "CREATE TABLE stream_items_base (id BIGINT PRIMARY KEY, bin_id BIGINT NOT NULL, title TEXT NOT NULL, "
                        "note TEXT, weight BIGINT)");
    detail::execute(db, std::string("INSERT INTO stream_items_base SELECT g, 1 + g % 2, CONCAT('item ', g), NULL, g FROM ") +
                            q.numbers_200k_sql);
    detail::execute(db, "CREATE TABLE stream_pause (x INTEGER)");
    detail::execute(db, "INSERT INTO stream_pause VALUES (1)");
    // Row 150,000 makes the server wait (a minute) before it goes on.
    detail::execute(db, std::string("CREATE VIEW stream_items AS SELECT * FROM stream_items_base WHERE CASE WHEN id = 150000 "
                                    "AND (SELECT COUNT(*) FROM stream_pause) > 0 THEN ") +
                            q.pause_60s_condition + " ELSE 1 = 1 END");
    insert_all(db, std::vector<Bin>{{1, "one"}, {2, "two"}});
    const long long id = eagerload_test::session_id(db);

    std::atomic<bool> killed{false};
    std::thread killer([&] {
        for (int i = 0; i < 3000 && !killed; ++i) {  // up to 30 s for the level to reach the pause
            if (detail::fetch_scalar(admin, q.session_paused_sql, {detail::param::integer(id)}) > 0) {
                eagerload_test::kill_session(admin, id);
                killed = true;
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    });
    std::size_t parents_returned = 0;
    CHECK_THROWS_AS(parents_returned = select<Bin>().prefetch(items).load(db).size(), connection_error);
    killer.join();
    CHECK(killed);
    CHECK(parents_returned == 0);

    detail::execute(db, "DELETE FROM stream_pause");
    CHECK(eagerload_test::session_id(db) != id);  // the dead session was replaced
    const auto bins = select<Bin>().order_by(asc<&Bin::id>).prefetch(items).load(db);
    REQUIRE(bins.size() == 2);
    CHECK(bins[0][items].size() + bins[1][items].size() == 200'000);
}

TEST_CASE("a load whose child level's connection is lost mid-level throws connection_error, no partial graph [postgresql]") {
    load_lost_mid_level(eagerload_test::context(dialect::postgresql));
}
TEST_CASE("a load whose child level's connection is lost mid-level throws connection_error, no partial graph [mariadb]") {
    load_lost_mid_level(eagerload_test::context(dialect::mariadb));
}
