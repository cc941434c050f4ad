// The column types of existing schemas: int16 (SMALLINT), float (REAL / FLOAT4 /
// FLOAT), bytes (bytea / BLOB / LONGBLOB), decimal (NUMERIC / DECIMAL), and enums
// stored as text or as their underlying integer. Each round-trips through insert,
// insert_all, update and where on every backend, NULL reads into std::optional, and a
// value the member cannot hold is a conversion_error naming table, column, key and value.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/update.hpp"
#include "eagerload/upsert.hpp"

namespace typed {
enum class Status { open, shipped, cancelled };
enum class Priority : std::int16_t { low = 1, normal = 5, high = 9 };
enum class Size : std::int64_t { small = -5000000000LL, large = 5000000000LL };

struct Item {
    std::int64_t id;
    std::int16_t small;
    float ratio;
    eagerload::bytes data;
    eagerload::decimal price;
    Status status;
    Priority priority;
    Size size;
    std::optional<std::int16_t> o_small;
    std::optional<float> o_ratio;
    std::optional<eagerload::bytes> o_data;
    std::optional<eagerload::decimal> o_price;
    std::optional<Status> o_status;
    std::optional<Priority> o_priority;
};

// Views of one table "cells" (id, v): the column v read as each member type.
struct WideCell {
    std::int64_t id;
    std::int64_t v;
};
struct SmallCell {
    std::int64_t id;
    std::int16_t v;
};
struct RealCell {
    std::int64_t id;
    double v;
};
struct FloatCell {
    std::int64_t id;
    float v;
};
struct TextCell {
    std::int64_t id;
    std::string v;
};
struct StatusCell {
    std::int64_t id;
    Status v;
};
struct PriorityCell {
    std::int64_t id;
    std::optional<Priority> v;
};
struct DecimalCell {
    std::int64_t id;
    eagerload::decimal v;
};
struct HandItem {
    std::int64_t id;
    std::int16_t small;
    eagerload::decimal price;
    Status status;
};
struct Ticket {  // a generated key, a unique code and an enum: every bulk write path
    std::int64_t id;
    std::string code;
    Status v;
};
}  // namespace typed

template <>
struct eagerload::enum_values<typed::Status> {
    static constexpr std::array values{std::pair{typed::Status::open, "open"},
                                       std::pair{typed::Status::shipped, "shipped"},
                                       std::pair{typed::Status::cancelled, "cancelled"}};
};
template <>
struct eagerload::enum_values<typed::Priority> {
    static constexpr std::array values{typed::Priority::low, typed::Priority::normal, typed::Priority::high};
};
template <>
struct eagerload::enum_values<typed::Size> {
    static constexpr std::array values{typed::Size::small, typed::Size::large};
};

BOOST_HANA_ADAPT_STRUCT(typed::Item, id, small, ratio, data, price, status, priority, size, o_small, o_ratio, o_data,
                        o_price, o_status, o_priority);
BOOST_HANA_ADAPT_STRUCT(typed::WideCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::SmallCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::RealCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::FloatCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::TextCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::StatusCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::PriorityCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::DecimalCell, id, v);
BOOST_HANA_ADAPT_STRUCT(typed::HandItem, id, small, price, status);
BOOST_HANA_ADAPT_STRUCT(typed::Ticket, id, code, v);

template <>
struct eagerload::model<typed::Item> {
    static constexpr std::string_view table = "items";
    static constexpr auto key = &typed::Item::id;
};
#define EAGERLOAD_CELL_MODEL(T)                            \
    template <>                                            \
    struct eagerload::model<T> {                           \
        static constexpr std::string_view table = "cells"; \
        static constexpr auto key = &T::id;                \
    }
template <>
struct eagerload::model<typed::HandItem> {
    static constexpr std::string_view table = "items";
    static constexpr auto key = &typed::HandItem::id;
};
template <>
struct eagerload::model<typed::Ticket> {
    static constexpr std::string_view table = "tickets";
    static constexpr auto key = &typed::Ticket::id;
    static constexpr bool generated_key = true;
};
EAGERLOAD_CELL_MODEL(typed::WideCell);
EAGERLOAD_CELL_MODEL(typed::SmallCell);
EAGERLOAD_CELL_MODEL(typed::RealCell);
EAGERLOAD_CELL_MODEL(typed::FloatCell);
EAGERLOAD_CELL_MODEL(typed::TextCell);
EAGERLOAD_CELL_MODEL(typed::StatusCell);
EAGERLOAD_CELL_MODEL(typed::PriorityCell);
EAGERLOAD_CELL_MODEL(typed::DecimalCell);

using namespace eagerload;
using namespace typed;

namespace {
bytes every_byte() {
    bytes b;
    for (int i = 0; i < 256; ++i) b.push_back(static_cast<std::byte>(i));
    b.push_back(std::byte{0});  // and a zero byte after the others
    return b;
}
bytes some_bytes(std::initializer_list<int> v) {
    bytes b;
    for (int i : v) b.push_back(static_cast<std::byte>(i));
    return b;
}

Item full_item() {
    return Item{1,
                std::numeric_limits<std::int16_t>::min(),
                0.1f,
                every_byte(),
                decimal("1234567890.12345"),  // 15 digits: exact on every backend's DDL
                Status::shipped,
                Priority::high,
                Size::large,
                std::numeric_limits<std::int16_t>::max(),
                16777216.0f,
                some_bytes({0, 0, 0}),
                decimal("-0.5"),
                Status::cancelled,
                Priority::low};
}

void check_full(const Item& a) {
    CHECK(a.small == std::numeric_limits<std::int16_t>::min());
    CHECK(a.ratio == 0.1f);
    CHECK(a.data == every_byte());
    CHECK(a.price == decimal("1234567890.12345"));
    CHECK(a.status == Status::shipped);
    CHECK(a.priority == Priority::high);
    CHECK(a.size == Size::large);
    CHECK(a.o_small == std::numeric_limits<std::int16_t>::max());
    CHECK(a.o_ratio == 16777216.0f);
    CHECK(a.o_data == some_bytes({0, 0, 0}));
    CHECK(a.o_price == decimal("-0.5"));
    CHECK(a.o_status == Status::cancelled);
    CHECK(a.o_priority == Priority::low);
}
}  // namespace

TEST_CASE("decimal keeps its text exactly and compares as a number") {
    CHECK(decimal("12.50").str() == "12.50");
    CHECK(decimal("12.50") == decimal("12.5"));
    CHECK(decimal("-0.00") == decimal("0"));
    CHECK(decimal("-0.00").str() == "0.00");
    CHECK(decimal("1.5e3").str() == "1500");
    CHECK(decimal("1e-07").str() == "0.0000001");
    CHECK(decimal("+007.25").str() == "7.25");
    CHECK(decimal(".5").str() == "0.5");
    CHECK(decimal("0.49") < decimal("0.5"));
    CHECK(decimal("-2") < decimal("-1.999"));
    CHECK(decimal("100") > decimal("99.999999999999999999999"));
    CHECK(decimal(42).str() == "42");
    CHECK(decimal("19.99").to_double() == 19.99);
    CHECK_FALSE(decimal::parse("NaN"));
    CHECK_FALSE(decimal::parse("1.2.3"));
    CHECK_FALSE(decimal::parse(""));
    CHECK_FALSE(decimal::parse("12abc"));
    CHECK_THROWS_AS(decimal("Infinity"), std::invalid_argument);
}

TEST_CASE("a decimal exponent has one sign at most: 1e+-5 is not a decimal") {
    // found by the bytes_decimal fuzz target on its seeds: "1e+-5" was read as 0.00001
    CHECK_FALSE(decimal::parse("1e+-5"));
    CHECK_FALSE(decimal::parse("1e-+5"));
    CHECK_FALSE(decimal::parse("1e+"));
    CHECK_FALSE(decimal::parse("1e"));
    CHECK(decimal::parse("1e+5")->str() == "100000");
    CHECK(decimal::parse("1E-5")->str() == "0.00001");
}

TEST_CASE("new member types map to column types and enums to their stored form") {
    const auto& t = detail::table_of<Item>();
    CHECK(t.columns[1].type == detail::col_type::int16);
    CHECK(t.columns[2].type == detail::col_type::float32);
    CHECK(t.columns[3].type == detail::col_type::bytes);
    CHECK(t.columns[4].type == detail::col_type::decimal);
    CHECK(t.columns[5].type == detail::col_type::enum_text);
    CHECK(t.columns[6].type == detail::col_type::int16);  // underlying std::int16_t
    CHECK(t.columns[7].type == detail::col_type::int64);
    CHECK(t.columns[13].nullable);
    REQUIRE(t.columns[5].domain != nullptr);
    CHECK(t.columns[5].domain->texts.size() == 3);
    CHECK(t.columns[5].domain->cpp_name == "typed::Status");
    CHECK(detail::render_create_table(t, dialect::postgresql).find(R"("small" SMALLINT NOT NULL, "ratio" REAL NOT NULL, )"
                                                                   R"("data" BYTEA NOT NULL, "price" NUMERIC NOT NULL, )"
                                                                   R"("status" TEXT NOT NULL, "priority" SMALLINT NOT NULL)") !=
          std::string::npos);
    CHECK(detail::render_create_table(t, dialect::mariadb).find("`ratio` FLOAT NOT NULL, `data` LONGBLOB NOT NULL, "
                                                                "`price` DECIMAL(65,30) NOT NULL") != std::string::npos);
    CHECK(detail::render_create_table(t, dialect::sqlite).find(R"("data" BLOB NOT NULL, "price" NUMERIC NOT NULL)") !=
          std::string::npos);
}

EAGERLOAD_TEST("int16, float, bytes, decimal and enums round-trip through insert, insert_all, update and where") {
    create_table<Item>(db);
    const Item full = full_item();
    const Item nulls{2, 0, -1.5f, bytes{}, decimal("0"), Status::open, Priority::normal, Size::small,
                     {}, {}, {}, {}, {}, {}};
    insert(db, full);
    insert_all(db, std::vector<Item>{nulls, Item{3, 7, 3.4028235e38f, some_bytes({255, 0, 128}), decimal("0.000001"),
                                                 Status::open, Priority::low, Size::large, 1, -0.0f, bytes{},
                                                 decimal("999999999999999"), Status::open, Priority::high}});

    check_full(get<Item>(db, 1));
    const Item b = get<Item>(db, 2);
    CHECK(b.ratio == -1.5f);
    CHECK(b.data.empty());
    CHECK(b.price == decimal("0"));
    CHECK(b.status == Status::open);
    CHECK(b.priority == Priority::normal);
    CHECK(b.size == Size::small);
    CHECK_FALSE(b.o_small.has_value());
    CHECK_FALSE(b.o_ratio.has_value());
    CHECK_FALSE(b.o_data.has_value());
    CHECK_FALSE(b.o_price.has_value());
    CHECK_FALSE(b.o_status.has_value());
    CHECK_FALSE(b.o_priority.has_value());
    const Item c = get<Item>(db, 3);  // written by the bulk path
    CHECK(c.ratio == 3.4028235e38f);
    CHECK(c.data == some_bytes({255, 0, 128}));
    CHECK(c.price == decimal("0.000001"));
    CHECK(c.o_data == bytes{});  // empty, not NULL
    CHECK(c.o_price == decimal("999999999999999"));
    CHECK(c.o_priority == Priority::high);

    // where, one comparison per type; a float column compares with the value rounded to float
    CHECK(select<Item>().where(col<&Item::small> == std::int16_t{-32768}).count(db) == 1);
    CHECK(select<Item>().where(col<&Item::ratio> == 0.1f).count(db) == 1);
    CHECK(select<Item>().where(col<&Item::ratio> == 0.1).count(db) == 1);
    CHECK(select<Item>().where(col<&Item::data> == every_byte()).count(db) == 1);
    CHECK(select<Item>().where(col<&Item::price> > decimal("0.0000009")).count(db) == 2);
    CHECK(select<Item>().where(col<&Item::price> == decimal("1234567890.12345")).count(db) == 1);
    CHECK(select<Item>().where(col<&Item::status> == Status::open).count(db) == 2);
    CHECK(select<Item>().where(col<&Item::status>.in({Status::shipped, Status::cancelled})).count(db) == 1);
    CHECK(select<Item>().where(col<&Item::priority> >= Priority::normal).count(db) == 2);
    CHECK(select<Item>().where(col<&Item::o_status>.is_null()).count(db) == 1);

    // update by key, and by a typed where
    Item changed = full;
    changed.small = 12;
    changed.data = some_bytes({1, 2});
    changed.price = decimal("-1.25");
    changed.status = Status::cancelled;
    changed.o_data.reset();
    CHECK(update(db, changed) == 1);
    const Item back = get<Item>(db, 1);
    CHECK(back.small == 12);
    CHECK(back.data == some_bytes({1, 2}));
    CHECK(back.price == decimal("-1.25"));
    CHECK(back.status == Status::cancelled);
    CHECK_FALSE(back.o_data.has_value());
    CHECK(update<Item>().set<&Item::status>(Status::shipped).where(col<&Item::priority> == Priority::low).execute(db) ==
          1);
    CHECK(get<Item>(db, 3).status == Status::shipped);
}

EAGERLOAD_TEST("a decimal keeps every digit the column stores, past a double's 17") {
    create_table<DecimalCell>(db);
    const decimal long_one("12345678901234567890.123456789");  // 29 digits
    insert(db, DecimalCell{1, long_one});
    insert_all(db, std::vector<DecimalCell>{{2, decimal("-99999999999999999999.5")}});
    if (ctx.quirks().decimal_digits_stored >= 29) {
        CHECK(get<DecimalCell>(db, 1).v == long_one);
        CHECK(get<DecimalCell>(db, 2).v == decimal("-99999999999999999999.5"));
        CHECK(select<DecimalCell>().where(col<&DecimalCell::v> == long_one).count(db) == 1);
        CHECK(select<DecimalCell>().where(col<&DecimalCell::v> < decimal("-99999999999999999999.4")).count(db) == 1);
    } else {
        // SQLite's NUMERIC stored a REAL: read back exactly as stored, its shortest text.
        CHECK(get<DecimalCell>(db, 1).v == decimal("12345678901234567000"));
    }
}

EAGERLOAD_TEST("an integer past int16_t does not read into an int16_t member") {
    create_table<WideCell>(db);
    insert(db, WideCell{1, 40000});
    insert(db, WideCell{2, -32768});
    CHECK_THROWS_WITH_AS(select<SmallCell>().where(col<&SmallCell::id> == 1).all(db),
                         doctest::Contains("column \"cells\".\"v\" of the row with id = 1: cannot hold database type"),
                         conversion_error);
    CHECK_THROWS_WITH_AS(select<SmallCell>().where(col<&SmallCell::id> == 1).all(db),
                         doctest::Contains("'40000' exactly in member type int16_t"), conversion_error);
    CHECK(get<SmallCell>(db, 2).v == -32768);
}

EAGERLOAD_TEST("a double that is no float does not read into a float member") {
    create_table<RealCell>(db);
    insert(db, RealCell{1, 0.1});
    insert(db, RealCell{2, 0.5});
    insert(db, RealCell{3, 16777217.0});
    CHECK_THROWS_WITH_AS(get<FloatCell>(db, 1),
                         doctest::Contains("\"cells\".\"v\" of the row with id = 1: cannot hold database type"),
                         conversion_error);
    CHECK_THROWS_WITH_AS(get<FloatCell>(db, 1), doctest::Contains("exactly in member type float"), conversion_error);
    CHECK_THROWS_AS(get<FloatCell>(db, 3), conversion_error);
    CHECK(get<FloatCell>(db, 2).v == 0.5f);
}

EAGERLOAD_TEST("a float column reads its float exactly, also into a double") {
    create_table<FloatCell>(db);
    insert(db, FloatCell{1, 0.1f});
    insert(db, FloatCell{2, 123456792.0f});
    CHECK(get<FloatCell>(db, 1).v == 0.1f);
    CHECK(get<FloatCell>(db, 2).v == 123456792.0f);  // MariaDB's FLOAT prints 123457000
}

EAGERLOAD_TEST("a stored text that is no listed enum value is a conversion_error naming it") {
    create_table<TextCell>(db);
    insert(db, TextCell{1, "shipped"});
    insert(db, TextCell{2, "lost"});
    CHECK(get<StatusCell>(db, 1).v == Status::shipped);
    CHECK_THROWS_WITH_AS(get<StatusCell>(db, 2),
                         doctest::Contains("column \"cells\".\"v\" of the row with id = 2: cannot hold database type"),
                         conversion_error);
    CHECK_THROWS_WITH_AS(get<StatusCell>(db, 2), doctest::Contains("value 'lost' exactly in member type typed::Status"),
                         conversion_error);
}

EAGERLOAD_TEST("a stored integer that is no listed enum value is a conversion_error naming it") {
    create_table<WideCell>(db);
    insert(db, WideCell{1, 9});
    insert(db, WideCell{2, 7});
    CHECK(get<PriorityCell>(db, 1).v == Priority::high);
    CHECK_THROWS_WITH_AS(get<PriorityCell>(db, 2), doctest::Contains("row with id = 2: cannot hold database type"),
                         conversion_error);
    CHECK_THROWS_WITH_AS(get<PriorityCell>(db, 2), doctest::Contains("value '7' exactly in member type typed::Priority"),
                         conversion_error);
}

EAGERLOAD_TEST("text that is no number does not read into a decimal") {
    create_table<TextCell>(db);
    insert(db, TextCell{1, "cheap"});
    insert(db, TextCell{2, "12.50"});
    CHECK_THROWS_WITH_AS(get<DecimalCell>(db, 1),
                         doctest::Contains("value 'cheap' exactly in member type eagerload::decimal"), conversion_error);
    CHECK(get<DecimalCell>(db, 2).v.str() == "12.50");
}

EAGERLOAD_TEST("a hand-made schema's SMALLINT, DECIMAL(12,2) and VARCHAR enum columns read exactly") {
    detail::execute(db, "CREATE TABLE items (id BIGINT PRIMARY KEY, small SMALLINT NOT NULL, price DECIMAL(12,2) NOT NULL, "
                        "status VARCHAR(20) NOT NULL)");
    detail::execute(db, "INSERT INTO items VALUES (1, -7, 12.50, 'shipped'), (2, 300, 0.05, 'open')");
    const auto a = select<HandItem>().order_by(asc<&HandItem::id>).all(db);
    REQUIRE(a.size() == 2);
    CHECK(a[0].small == -7);
    CHECK(a[0].price == decimal("12.5"));  // "12.50" where the database keeps the scale (PostgreSQL, MariaDB)
    CHECK(a[0].status == Status::shipped);
    CHECK(a[1].price == decimal("0.05"));
    CHECK(select<HandItem>().where(col<&HandItem::price> < decimal("1")).count(db) == 1);
    CHECK(select<HandItem>().where(col<&HandItem::price> == decimal("12.5")).count(db) == 1);
}

TEST_CASE("an enum stored as an unlisted value cannot be written") {
    CHECK_THROWS_WITH_AS(detail::to_param<detail::col_type::enum_text>(static_cast<Status>(42)),
                         doctest::Contains("typed::Status value 42 is not listed"), std::invalid_argument);
}

TEST_CASE("a PostgreSQL enum type reads, inserts, updates and compares as a text enum [postgresql]") {
    eagerload_test::context ctx(dialect::postgresql);
    auto& db = ctx.db;
    detail::execute(db, "CREATE TYPE cell_status AS ENUM ('open', 'shipped', 'cancelled', 'lost')");
    detail::execute(db, "CREATE TABLE cells (id BIGINT PRIMARY KEY, v cell_status NOT NULL)");
    insert(db, StatusCell{1, Status::shipped});
    detail::execute(db, "INSERT INTO cells VALUES (2, 'lost')");
    CHECK(get<StatusCell>(db, 1).v == Status::shipped);
    CHECK(select<StatusCell>().where(col<&StatusCell::v> == Status::shipped).count(db) == 1);
    CHECK(select<StatusCell>().where(col<&StatusCell::v>.in({Status::shipped, Status::open})).count(db) == 1);
    CHECK(update(db, StatusCell{1, Status::cancelled}) == 1);
    CHECK(get<StatusCell>(db, 1).v == Status::cancelled);
    CHECK_THROWS_WITH_AS(get<StatusCell>(db, 2), doctest::Contains("value 'lost' exactly in member type typed::Status"),
                         conversion_error);
}

TEST_CASE("a PostgreSQL enum type takes every bulk write: insert_all, with generated keys, and upsert_all [postgresql]") {
    eagerload_test::context ctx(dialect::postgresql);
    auto& db = ctx.db;
    detail::execute(db, "CREATE TYPE ticket_status AS ENUM ('open', 'shipped', 'cancelled')");
    detail::execute(db, "CREATE TABLE cells (id BIGINT PRIMARY KEY, v ticket_status NOT NULL)");
    detail::execute(db,
                    "CREATE TABLE tickets (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, code TEXT UNIQUE "
                    "NOT NULL, v ticket_status NOT NULL)");

    insert_all(db, std::vector<StatusCell>{{1, Status::open}, {2, Status::cancelled}});  // the key given
    CHECK(get<StatusCell>(db, 2).v == Status::cancelled);

    std::vector<Ticket> tickets{{0, "a", Status::open}, {0, "b", Status::shipped}};
    insert_all(db, tickets);  // generated keys
    CHECK(tickets[0].id != tickets[1].id);
    CHECK(get<Ticket>(db, tickets[1].id).v == Status::shipped);

    std::vector<Ticket> again{{0, "b", Status::cancelled}, {0, "c", Status::open}};
    upsert_all(db, again, on<&Ticket::code>, only<&Ticket::v>);
    CHECK(again[0].id == tickets[1].id);
    CHECK(get<Ticket>(db, tickets[1].id).v == Status::cancelled);
    CHECK(get<Ticket>(db, again[1].id).code == "c");
    CHECK(select<Ticket>().where(col<&Ticket::v> == Status::open).count(db) == 2);
}
