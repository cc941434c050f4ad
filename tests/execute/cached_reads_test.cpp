// A read through the session's statement cache (open_options::statement_cache_size,
// on by default) gets exactly what the same read gets with the cache off: every value,
// every NULL, every error message. On MariaDB the two are different code paths (a
// prepared statement in the binary protocol against a text query with the values
// written in as literals), on PostgreSQL and SQLite the same rows through a kept
// statement: each case here compares the two handles on every backend.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/statement_cache.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

namespace cached {
struct Cell {
    std::int64_t id;
    std::int16_t small;
    std::int32_t mid;
    std::int64_t big;
    float single;
    double real;
    eagerload::decimal price;
    std::string text;
    eagerload::bytes data;
    eagerload::timestamp at;
    std::optional<std::int64_t> o_big;
    std::optional<double> o_real;
    std::optional<eagerload::decimal> o_price;
    std::optional<std::string> o_text;
    std::optional<eagerload::bytes> o_data;
    std::optional<eagerload::timestamp> o_at;
    bool operator==(const Cell&) const = default;
};
// cached_cells read with narrower members: where the values do not fit.
struct NarrowCell {
    std::int64_t id;
    std::int16_t small;
    std::int32_t mid;
    std::int32_t big;
    float single;
    float real;
};
struct Word {
    std::int64_t id;
    std::string a;
    std::string b;
};
// MariaDB's own column types (a hand-made table): BIGINT UNSIGNED read exactly as a
// decimal, DATETIME(3), TIMESTAMP(6) and YEAR; and the unsigned column as an int64_t.
struct Native {
    std::int64_t id;
    eagerload::decimal u;
    eagerload::timestamp at;
    std::optional<eagerload::timestamp> ts;
    std::int32_t y;
    bool operator==(const Native&) const = default;
};
struct NativeSigned {
    std::int64_t id;
    std::int64_t u;
};
// MariaDB's columns read into text members: the text the server prints for each.
struct NativeText {
    std::int64_t id;
    std::string d;
    std::string tm;
    std::string dt;
    std::optional<std::string> dt6;
    std::string y;
    std::string bits;
    std::string e;
    std::string set;
    std::string dec;
    std::string u;
    bool operator==(const NativeText&) const = default;
};
}  // namespace cached
BOOST_HANA_ADAPT_STRUCT(cached::Cell, id, small, mid, big, single, real, price, text, data, at, o_big, o_real, o_price,
                        o_text, o_data, o_at);
BOOST_HANA_ADAPT_STRUCT(cached::NarrowCell, id, small, mid, big, single, real);
BOOST_HANA_ADAPT_STRUCT(cached::Word, id, a, b);
BOOST_HANA_ADAPT_STRUCT(cached::Native, id, u, at, ts, y);
BOOST_HANA_ADAPT_STRUCT(cached::NativeSigned, id, u);
BOOST_HANA_ADAPT_STRUCT(cached::NativeText, id, d, tm, dt, dt6, y, bits, e, set, dec, u);
template <>
struct eagerload::model<cached::Cell> {
    static constexpr std::string_view table = "cached_cells";
    static constexpr auto key = &cached::Cell::id;
};
template <>
struct eagerload::model<cached::NarrowCell> {
    static constexpr std::string_view table = "cached_cells";
    static constexpr auto key = &cached::NarrowCell::id;
};
template <>
struct eagerload::model<cached::Word> {
    static constexpr std::string_view table = "cached_words";
    static constexpr auto key = &cached::Word::id;
};

template <>
struct eagerload::model<cached::Native> {
    static constexpr std::string_view table = "cached_native";
    static constexpr auto key = &cached::Native::id;
};
template <>
struct eagerload::model<cached::NativeSigned> {
    static constexpr std::string_view table = "cached_native";
    static constexpr auto key = &cached::NativeSigned::id;
};

template <>
struct eagerload::model<cached::NativeText> {
    static constexpr std::string_view table = "cached_native_text";
    static constexpr auto key = &cached::NativeText::id;
};

using namespace eagerload;
using cached::Cell;
using cached::NarrowCell;
using cached::Word;
using detail::statement_cache_stats_of;

namespace {

database with_cache(const eagerload_test::context& ctx, std::size_t size) {
    open_options o;
    o.statement_cache_size = size;
    o.pool_size = 1;  // one session: the second run reuses what the first prepared
    return ctx.open(o);
}

bytes long_bytes(std::size_t n) {
    bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::byte>((i * 7 + i / 256) % 256);
    return b;
}

std::string long_text(std::size_t n) {
    std::string s;
    while (s.size() < n) s += "ä€😀 x:p1 '\\ ";  // 1-, 2-, 3- and 4-byte UTF-8, a placeholder's text, quotes
    return s;
}

// Rows whose text and bytes grow past any first buffer, shrink, then grow again (a
// reader that reuses its buffers must neither truncate nor keep a longer value's tail).
std::vector<Cell> cells(const eagerload_test::context& ctx) {
    const bool long_decimals = ctx.quirks().decimal_digits_stored >= 29;
    std::vector<Cell> v;
    v.push_back({1, -32768, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int64_t>::min(), 0.1f, 0.1,
                 decimal(long_decimals ? "12345678901234567890.123456789" : "1234567.125"), "", bytes{},
                 make_timestamp(2024, 2, 29, 23, 59, 59, 999999), {}, {}, {}, {}, {}, {}});
    v.push_back({2, 32767, std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::int64_t>::max(),
                 3.4028235e38f, std::numeric_limits<double>::max(), decimal("-0.000001"), long_text(5000),
                 long_bytes(100'000), make_timestamp(1970, 1, 1, 0, 0, 0, 1), 9007199254740993, -2.5e-300,
                 decimal("0"), std::string(":p1"), long_bytes(300), make_timestamp(2038, 1, 19, 3, 14, 8, 500000)});
    v.push_back({3, 0, 0, 0, -0.0f, std::numeric_limits<double>::denorm_min(), decimal("999999999999999"), "short",
                 bytes{std::byte{0}}, make_timestamp(2000, 1, 1), 0, 1.0 / 3, decimal("-1.5"), std::string("''"),
                 bytes{}, make_timestamp(1999, 12, 31, 23, 59, 59, 100)});
    v.push_back({4, 7, -7, 5'000'000'000, 1.5f, 123456789012345678.0, decimal("0.5"), long_text(70'000),
                 long_bytes(1'000'000), make_timestamp(2024, 5, 1, 12, 0, 0, 10), -1, 0.5, decimal("12.25"),
                 long_text(300), bytes{std::byte{255}, std::byte{0}}, {}});
    return v;
}

std::vector<Cell> all_cells(const database& db) { return select<Cell>().order_by(asc<&Cell::id>).all(db); }

// The message of the conversion_error `f` throws.
template <class F>
std::string conversion_message(F f) {
    try {
        f();
    } catch (const conversion_error& e) {
        return e.what();
    }
    FAIL("expected a conversion_error");
    return {};
}

}  // namespace

EAGERLOAD_TEST("a read through the statement cache gets every value the uncached read gets, long ones whole") {
    create_table<Cell>(db);
    const std::vector<Cell> rows = cells(ctx);
    insert_all(db, rows);
    const database on = with_cache(ctx, 64), off = with_cache(ctx, 0);
    const auto before = statement_cache_stats_of(on);
    CHECK(all_cells(off) == rows);
    CHECK(all_cells(on) == rows);  // prepared
    CHECK(all_cells(on) == rows);  // reused: the buffers of the first run start long
    for (const Cell& c : rows) {   // one row at a time: each value in a first row
        CAPTURE(c.id);
        CHECK(get<Cell>(on, c.id) == c);
        CHECK(get<Cell>(off, c.id) == c);
    }
    const auto after = statement_cache_stats_of(on);
    if (ctx.quirks().keeps_prepared_statements) {
        CHECK(after.prepares - before.prepares == 2);  // the whole table; get<> by key
        CHECK(after.reuses - before.reuses == 1 + (rows.size() - 1));
    }
    CHECK(statement_cache_stats_of(off).prepares == 0);
    // Each value selects its row through a cached statement (bound as its own type).
    for (const Cell& c : rows) {
        CAPTURE(c.id);
        CHECK(select<Cell>().where(col<&Cell::price> == c.price && col<&Cell::at> == c.at).count(on) == 1);
        CHECK(select<Cell>().where(col<&Cell::data> == c.data && col<&Cell::real> == c.real).count(on) == 1);
        CHECK(select<Cell>().where(col<&Cell::text> == c.text && col<&Cell::big> == c.big).count(on) == 1);
    }
}

EAGERLOAD_TEST("a value that does not fit its member fails with the same message through the statement cache") {
    create_table<Cell>(db);
    insert_all(db, cells(ctx));
    const database on = with_cache(ctx, 64), off = with_cache(ctx, 0);
    const auto narrow = [](const database& h) {
        return [&h] { (void)select<NarrowCell>().order_by(asc<&NarrowCell::id>).all(h); };
    };
    const std::string expected = conversion_message(narrow(off));
    CHECK(expected.find("of the row with id = 1") != std::string::npos);  // INT64_MIN into an int32_t
    CHECK(conversion_message(narrow(on)) == expected);
    CHECK(conversion_message(narrow(on)) == expected);  // and again, on the kept statement
    // Only the int64 column of row 4 (5,000,000,000) does not fit: where it is the first.
    const auto big = [](const database& h) {
        return [&h] { (void)select<NarrowCell>().where(col<&NarrowCell::id> >= 4).all(h); };
    };
    CHECK(conversion_message(big(on)) == conversion_message(big(off)));
    CHECK(all_cells(on).size() == 4);  // the session goes on
}

// A placeholder may come twice, and out of order: each place gets its own value, also
// when the value is itself a placeholder's text, run after run of one kept statement.
EAGERLOAD_TEST("a statement naming a placeholder twice and out of order runs the same through the statement cache") {
    create_table<Word>(db);
    insert_all(db, std::vector<Word>{{1, ":p1", "x"}, {2, "x", ":p2"}, {3, "y", "y"}, {4, "'", "x"}});
    const auto& t = detail::table_of<Word>();
    const std::vector<detail::column_source> columns{{&t, 0, 0, 0}, {&t, 1, 0, 0}};
    const std::string sql = "SELECT " + ctx.quoted("id") + ", " + ctx.quoted("a") + " FROM " +
                            ctx.quoted("cached_words") + " WHERE (" + ctx.quoted("a") + " = :p2 OR " + ctx.quoted("b") +
                            " = :p2 OR " + ctx.quoted("a") + " = :p3) AND " + ctx.quoted("id") + " >= :p1 ORDER BY " +
                            ctx.quoted("id");
    const auto ids = [&](const database& h, long long from, std::string v2, std::string v3) {
        std::vector<long long> got;
        detail::fetch(h, sql, {detail::param::integer(from), detail::param::text(std::move(v2)), detail::param::text(std::move(v3))},
                      columns, [&](detail::result_batch& b) {
                          for (std::size_t r = 0; r < b.rows; ++r) got.push_back(b.columns[0].ints[r]);
                      });
        return got;
    };
    const database on = with_cache(ctx, 64), off = with_cache(ctx, 0);
    for (const database* h : {&on, &off}) {
        CHECK(ids(*h, 1, "x", "y") == std::vector<long long>{1, 2, 3, 4});
        CHECK(ids(*h, 2, "x", "y") == std::vector<long long>{2, 3, 4});
        CHECK(ids(*h, 1, ":p1", ":p2") == std::vector<long long>{1});
        CHECK(ids(*h, 0, ":p2", "'") == std::vector<long long>{2, 4});
        CHECK(ids(*h, 0, ":p3", ":p3").empty());
    }
    const auto s = statement_cache_stats_of(on);
    if (ctx.quirks().keeps_prepared_statements) {
        CHECK(s.prepares == 1);
        CHECK(s.reuses == 4);
    }
}

// A sink that throws in the middle of a kept statement's rows: the rest is read and
// dropped, and the same statement runs again, whole, on the same session (and the same
// with the cache off: MariaDB's text path).
EAGERLOAD_TEST("a kept statement whose sink failed in the middle of its rows runs again whole") {
    create_table<Word>(db);
    std::vector<Word> rows;
    for (std::int64_t i = 1; i <= 3000; ++i) rows.push_back({i, std::string(200, 'a'), std::to_string(i)});
    insert_all(db, rows);
    const database on = with_cache(ctx, 64), off = with_cache(ctx, 0);
    const auto& t = detail::table_of<Word>();
    const std::vector<detail::column_source> columns{{&t, 0, 0, 0}, {&t, 1, 0, 0}, {&t, 2, 0, 0}};
    const std::string sql = "SELECT " + ctx.quoted("id") + ", " + ctx.quoted("a") + ", " + ctx.quoted("b") + " FROM " +
                            ctx.quoted("cached_words") + " WHERE " + ctx.quoted("id") + " <= :p1 ORDER BY " +
                            ctx.quoted("id");
    for (int round = 0; round < 4; ++round) {  // kept statement, uncached, kept, uncached
        const database& h = round % 2 ? off : on;
        std::size_t batches = 0;
        CHECK_THROWS_WITH(detail::fetch(h, sql, {detail::param::integer(3000)}, columns,
                                        [&](detail::result_batch&) {
                                            if (++batches == 2) throw std::runtime_error("the sink failed");
                                        },
                                        100),
                          "the sink failed");
        CHECK(batches == 2);
        std::size_t seen = 0;
        long long last = 0;
        detail::fetch(h, sql, {detail::param::integer(3000)}, columns, [&](detail::result_batch& b) {
            seen += b.rows;
            if (b.rows) last = b.columns[0].ints[b.rows - 1];
        });
        CHECK(seen == 3000);
        CHECK(last == 3000);
    }
    if (ctx.quirks().keeps_prepared_statements) {
        const auto s = statement_cache_stats_of(on);
        CHECK(s.prepares == 1);
        CHECK(s.reuses == 3);
    }
}

// A kept `SELECT *` whose table gained a column: the result has another number of
// columns than the statement was prepared with (PostgreSQL: 0A000 "cached plan must not
// change result type"; MariaDB: its client reports new metadata, 2057). Outside a
// transaction the statement is prepared again and runs at once; inside one the read
// loads, or says stale_statement (the next transaction loads). eagerload never renders
// `SELECT *`, but a kept statement must not read a stale column count either: SQLite's
// is prepared again by its first sqlite3_step, and the count is read after it (it
// said "returns 3 columns, 4 expected" when read before).
EAGERLOAD_TEST("a kept statement whose table gained a column is prepared again") {
    create_table<Word>(db);
    insert_all(db, std::vector<Word>{{1, "a", "b"}, {2, "c", "d"}});
    const database on = with_cache(ctx, 64);
    const auto& t = detail::table_of<Word>();
    const std::string sql = "SELECT * FROM " + ctx.quoted("cached_words") + " ORDER BY " + ctx.quoted("id");
    const auto last_column = [&](std::size_t ncols) {
        std::vector<detail::column_source> columns{{&t, 0, 0, 0}, {&t, 1, 0, 0}, {&t, 2, 0, 0}};
        while (columns.size() < ncols) columns.push_back({&t, 2, 0, 0});  // the added text columns
        std::vector<std::string> got;
        detail::fetch(on, sql, {}, columns, [&](detail::result_batch& b) {
            for (std::size_t r = 0; r < b.rows; ++r) got.push_back(b.columns[ncols - 1].texts[r]);
        });
        return got;
    };
    const auto add_column = [&](std::string_view name) {
        detail::execute(db, "ALTER TABLE " + ctx.quoted("cached_words") + " ADD COLUMN " + ctx.quoted(name) +
                                " VARCHAR(10) DEFAULT '" + std::string(name) + "'");
    };
    CHECK(last_column(3) == std::vector<std::string>{"b", "d"});
    CHECK(last_column(3) == std::vector<std::string>{"b", "d"});
    add_column("c");
    CHECK(last_column(4) == std::vector<std::string>{"c", "c"});  // outside a transaction: prepared again
    CHECK(last_column(4) == std::vector<std::string>{"c", "c"});
    add_column("e");
    {
        transaction tx(on);
        try {
            const std::vector<std::string> got = last_column(5);
            CHECK(got == std::vector<std::string>{"e", "e"});
        } catch (const detail::stale_statement& e) {
            CHECK(std::string(e.what()).find("retry the transaction") != std::string::npos);
        }
    }
    {
        transaction tx(on);
        CHECK(last_column(5) == std::vector<std::string>{"e", "e"});
        tx.commit();
    }
    // At first and after each added column; SQLite prepares again inside sqlite3_step.
    CHECK(statement_cache_stats_of(on).prepares == (ctx.quirks().steps_prepare_changed_statements ? 1u : 3u));
}

// With the cache on by default, the fault cases elsewhere (a connection lost in the middle
// of the rows, a statement timeout) run on the cached path; these run them with the cache
// off (on MariaDB: the text path), on the servers.
// The timeout has a handle of its own: under a sanitizer the whole 100,000-row read
// below took longer than 250 ms (CI, ASan), and the timeout stopped it.
void faults_without_the_cache(const eagerload_test::context& ctx) {
    open_options o;
    o.statement_cache_size = 0;
    auto db = ctx.open(o);
    o.statement_timeout = std::chrono::milliseconds(250);
    auto timed = ctx.open(o);
    auto admin = ctx.open(1);
    const auto& t = detail::table_of<Word>();
    const std::vector<detail::column_source> columns{{&t, 0, 0, 0}, {&t, 1, 0, 0}};
    const std::string sql = ctx.quirks().many_rows_sql;
    const long long id = eagerload_test::session_id(db);
    std::size_t rows = 0, batches = 0;
    CHECK_THROWS_AS(detail::fetch(db, sql, {detail::param::integer(2'000'000)}, columns,
                                  [&](detail::result_batch& b) {
                                      if (batches++ == 0) eagerload_test::kill_session(admin, id);
                                      rows += b.rows;
                                  }),
                    connection_error);
    CHECK(rows < 2'000'000);
    rows = 0;  // a new session, the whole result
    detail::fetch(db, sql, {detail::param::integer(100'000)}, columns, [&](detail::result_batch& b) { rows += b.rows; });
    CHECK(rows == 100'000);
    CHECK(eagerload_test::session_id(db) != id);
    // A statement longer than the timeout: statement_timeout, and the session goes on.
    std::size_t slow = 0;
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(detail::fetch(timed, sql, {detail::param::integer(2'000'000)}, columns,
                                  [&](detail::result_batch& b) {
                                      slow += b.rows;
                                      if (slow == b.rows) std::this_thread::sleep_for(std::chrono::milliseconds(400));
                                  }),
                    statement_timeout);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
    CHECK(statement_cache_stats_of(db).prepares == 0);
    CHECK(statement_cache_stats_of(timed).prepares == 0);
    rows = 0;
    detail::fetch(timed, sql, {detail::param::integer(1'000)}, columns, [&](detail::result_batch& b) { rows += b.rows; });
    CHECK(rows == 1'000);
}
TEST_CASE("with the statement cache off, a lost connection and a statement timeout in the middle of the rows say so [postgresql]") {
    faults_without_the_cache(eagerload_test::context(dialect::postgresql));
}
TEST_CASE("with the statement cache off, a lost connection and a statement timeout in the middle of the rows say so [mariadb]") {
    faults_without_the_cache(eagerload_test::context(dialect::mariadb));
}

TEST_CASE("MariaDB's BIGINT UNSIGNED, DATETIME(3), TIMESTAMP(6) and YEAR read the same through the statement cache [mariadb]") {
    using cached::Native;
    using cached::NativeSigned;
    eagerload_test::context ctx(dialect::mariadb);
    detail::execute(ctx.db,
                    "CREATE TABLE cached_native (id BIGINT PRIMARY KEY, u BIGINT UNSIGNED NOT NULL, at DATETIME(3) NOT "
                    "NULL, ts TIMESTAMP(6) NULL, y YEAR NOT NULL)");
    detail::execute(ctx.db,
                    "INSERT INTO cached_native VALUES (1, 18446744073709551615, '2024-05-01 10:20:30.123', "
                    "'2024-05-01 10:20:30.000001', 2024), (2, 9223372036854775807, '1999-12-31 23:59:59.999', NULL, "
                    "1901), (3, 0, '2000-01-01 00:00:00', '2038-01-19 03:14:07.5', 2155)");
    const std::vector<Native> expected{
        {1, decimal("18446744073709551615"), make_timestamp(2024, 5, 1, 10, 20, 30, 123000),
         make_timestamp(2024, 5, 1, 10, 20, 30, 1), 2024},
        {2, decimal("9223372036854775807"), make_timestamp(1999, 12, 31, 23, 59, 59, 999000), {}, 1901},
        {3, decimal("0"), make_timestamp(2000, 1, 1), make_timestamp(2038, 1, 19, 3, 14, 7, 500000), 2155}};
    const database on = with_cache(ctx, 64), off = with_cache(ctx, 0);
    for (const database* h : {&on, &off, &on}) CHECK(select<Native>().order_by(asc<&Native::id>).all(*h) == expected);
    // Beyond int64_t: the same conversion_error on both paths, naming the column, the
    // row's key, the value and BIGINT.
    const auto as_signed = [](const database& h) {
        return [&h] { (void)select<NativeSigned>().order_by(asc<&NativeSigned::id>).all(h); };
    };
    const std::string message = conversion_message(as_signed(off));
    CHECK(message.find("18446744073709551615") != std::string::npos);
    CHECK(message.find("BIGINT") != std::string::npos);
    CHECK(message.find("id = 1") != std::string::npos);
    CHECK(conversion_message(as_signed(on)) == message);
    const auto fits = select<NativeSigned>().where(col<&NativeSigned::id> >= 2).order_by(asc<&NativeSigned::id>).all(on);
    REQUIRE(fits.size() == 2);
    CHECK(fits[0].u == std::numeric_limits<std::int64_t>::max());
    CHECK(fits[1].u == 0);
}

// Dates, times and the other types without a member type of their own, read into text
// members: the binary protocol's values written as the text protocol prints them.
TEST_CASE("MariaDB's DATE, TIME, DATETIME, YEAR, BIT, ENUM, SET and DECIMAL read as the same text through the statement cache [mariadb]") {
    using cached::NativeText;
    eagerload_test::context ctx(dialect::mariadb);
    detail::execute(ctx.db,
                    "CREATE TABLE cached_native_text (id BIGINT PRIMARY KEY, d DATE NOT NULL, tm TIME(1) NOT NULL, dt "
                    "DATETIME NOT NULL, dt6 DATETIME(6) NULL, y YEAR NOT NULL, bits BIT(16) NOT NULL, e ENUM('a','b') "
                    "NOT NULL, `set` SET('x','y','z') NOT NULL, `dec` DECIMAL(10,2) NOT NULL, u INT UNSIGNED NOT NULL)");
    detail::execute(ctx.db,
                    "INSERT INTO cached_native_text VALUES (1, '2024-02-29', '-838:59:59.0', '9999-12-31 23:59:59', "
                    "'2024-05-01 00:00:00.000001', 2024, b'0000000101000001', 'b', 'x,z', -12345678.90, 4294967295), "
                    "(2, '1000-01-01', '12:34:56.7', '1970-01-01 00:00:00', NULL, 1901, b'0', 'a', '', 0.5, 0), (3, "
                    "'2000-01-01', '123:00:00', '2000-01-01 01:02:03', '2000-01-01 01:02:03.100000', 2155, "
                    "b'1111111111111111', 'a', 'y', 99999999.99, 7)");
    const auto rows = [](const database& h) { return select<NativeText>().order_by(asc<&NativeText::id>).all(h); };
    const database on = with_cache(ctx, 64), off = with_cache(ctx, 0);
    const std::vector<NativeText> expected = rows(off);
    REQUIRE(expected.size() == 3);
    CHECK(expected[0].tm == "-838:59:59.0");
    CHECK(expected[0].dt6 == "2024-05-01 00:00:00.000001");
    CHECK(expected[0].bits == std::string("\x01" "A"));
    CHECK(expected[2].tm == "123:00:00.0");
    CHECK(rows(on) == expected);
    CHECK(rows(on) == expected);
    CHECK(statement_cache_stats_of(on).reuses == 1);
}
