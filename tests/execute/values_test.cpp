// A value is read exactly or the load throws conversion_error naming table, column,
// key, the database type and the member type: never a silently different value.
// (Regressions: SQLite read INTEGER columns through 32 bits, 3.7 into an int32_t as 3,
// 'cheap' as 0, 7 into a bool as true; timestamptz failed in a non-UTC session.)
#include <cstdint>
#include <string>

#include "../support/backend.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

namespace values {
// Four views of one table "numbers": the column n as double, int64, int32 and bool.
struct RealRow {
    std::int64_t id;
    double n;
};
struct WideRow {
    std::int64_t id;
    std::int64_t n;
};
struct NarrowRow {
    std::int64_t id;
    std::int32_t n;
};
struct FlagRow {
    std::int64_t id;
    bool n;
};
struct Order {
    std::int64_t id;
    std::string item;
};
struct Event {
    std::int64_t id;
    eagerload::timestamp at;
};
}  // namespace values

BOOST_HANA_ADAPT_STRUCT(values::RealRow, id, n);
BOOST_HANA_ADAPT_STRUCT(values::WideRow, id, n);
BOOST_HANA_ADAPT_STRUCT(values::NarrowRow, id, n);
BOOST_HANA_ADAPT_STRUCT(values::FlagRow, id, n);
BOOST_HANA_ADAPT_STRUCT(values::Order, id, item);
BOOST_HANA_ADAPT_STRUCT(values::Event, id, at);

#define EAGERLOAD_NUMBERS_MODEL(T)                        \
    template <>                                           \
    struct eagerload::model<T> {                          \
        static constexpr std::string_view table = "numbers"; \
        static constexpr auto key = &T::id;               \
    }
EAGERLOAD_NUMBERS_MODEL(values::RealRow);
EAGERLOAD_NUMBERS_MODEL(values::WideRow);
EAGERLOAD_NUMBERS_MODEL(values::NarrowRow);
EAGERLOAD_NUMBERS_MODEL(values::FlagRow);
template <>
struct eagerload::model<values::Order> {
    static constexpr std::string_view table = "orders";
    static constexpr auto key = &values::Order::id;
};
template <>
struct eagerload::model<values::Event> {
    static constexpr std::string_view table = "events";
    static constexpr auto key = &values::Event::id;
};

using namespace eagerload;
using namespace values;

EAGERLOAD_TEST("a fractional value does not read into an integer member") {
    create_table<RealRow>(db);
    insert(db, RealRow{7, 3.7});
    CHECK_THROWS_WITH_AS(select<NarrowRow>().all(db),
                         doctest::Contains("column \"numbers\".\"n\" of the row with id = 7: cannot hold database type"),
                         conversion_error);
    CHECK_THROWS_WITH_AS(select<NarrowRow>().all(db), doctest::Contains("'3.7' exactly in member type int32_t"),
                         conversion_error);
    CHECK_THROWS_AS(select<WideRow>().all(db), conversion_error);
    CHECK(select<RealRow>().all(db).at(0).n == 3.7);
}

EAGERLOAD_TEST("an integer past int32_t does not read into an int32_t member") {
    create_table<WideRow>(db);
    insert(db, WideRow{1, 5000000000LL});
    insert(db, WideRow{2, -2147483649LL});
    CHECK_THROWS_WITH_AS(select<NarrowRow>().where(col<&NarrowRow::id> == 1).all(db),
                         doctest::Contains("'5000000000' exactly in member type int32_t"), conversion_error);
    CHECK_THROWS_AS(select<NarrowRow>().where(col<&NarrowRow::id> == 2).all(db), conversion_error);
    CHECK(select<WideRow>().order_by(asc<&WideRow::id>).all(db).at(0).n == 5000000000LL);
}

EAGERLOAD_TEST("only 0 and 1 read into a bool member") {
    create_table<WideRow>(db);
    insert(db, WideRow{1, 1});
    insert(db, WideRow{2, 0});
    CHECK(select<FlagRow>().order_by(asc<&FlagRow::id>).all(db).at(0).n == true);
    CHECK(select<FlagRow>().order_by(asc<&FlagRow::id>).all(db).at(1).n == false);
    insert(db, WideRow{3, 7});
    CHECK_THROWS_WITH_AS(select<FlagRow>().all(db), doctest::Contains("'7' exactly in member type bool"),
                         conversion_error);
}

EAGERLOAD_TEST("an integral double reads into an integer member, exactly") {
    create_table<RealRow>(db);
    insert(db, RealRow{1, 3.0});
    CHECK(select<NarrowRow>().all(db).at(0).n == 3);
}

TEST_CASE("values past 2^31 in a SQLite INTEGER PRIMARY KEY read exactly [sqlite]") {
    eagerload_test::context ctx(dialect::sqlite);
    auto& db = ctx.db;
    // What most SQLite tools write: INTEGER, which SOCI read through 32 bits.
    detail::execute(db, "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
    detail::execute(db, "INSERT INTO orders (id, item) VALUES (5000000000, 'far'), (705032704, 'near')");
    CHECK(get<Order>(db, 5000000000LL).item == "far");
    CHECK(get<Order>(db, 705032704LL).item == "near");
    const auto all = select<Order>().order_by(asc<&Order::id>).all(db);
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == 705032704LL);
    CHECK(all[1].id == 5000000000LL);
}

TEST_CASE("text in a SQLite INTEGER column is an error, not 0 [sqlite]") {
    eagerload_test::context ctx(dialect::sqlite);
    auto& db = ctx.db;
    detail::execute(db, "CREATE TABLE numbers (id INTEGER PRIMARY KEY, n INTEGER)");
    detail::execute(db, "INSERT INTO numbers (id, n) VALUES (1, 'cheap')");
    CHECK_THROWS_WITH_AS(select<WideRow>().all(db),
                         doctest::Contains("\"numbers\".\"n\" of the row with id = 1: cannot hold database type TEXT "
                                           "value 'cheap' exactly in member type int64_t"),
                         conversion_error);
}

TEST_CASE("timestamp with time zone reads as its UTC instant in any session time zone [postgresql]") {
    eagerload_test::context ctx(dialect::postgresql);
    auto& db = ctx.db;
    detail::execute(db, "CREATE TABLE events (id BIGINT PRIMARY KEY, at TIMESTAMP WITH TIME ZONE NOT NULL)");
    detail::execute(db, "INSERT INTO events VALUES (1, '2024-03-01 12:00:00.5+00'), (2, '1999-12-31 23:00:00-02')");
    transaction tx(db);
    detail::execute(db, "SET LOCAL TIME ZONE 'Asia/Kolkata'");  // +05:30
    const auto events = select<Event>().order_by(asc<&Event::id>).all(db);
    REQUIRE(events.size() == 2);
    CHECK(events[0].at == make_timestamp(2024, 3, 1, 12, 0, 0, 500000));
    CHECK(events[1].at == make_timestamp(2000, 1, 1, 1));
}
