// Every supported column type, and NULL in every optional one, round-trips.
#include <limits>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::Everything;

EAGERLOAD_TEST("all column types and NULLs round-trip through insert, insert_all and select") {
    create_table<Everything>(db);
    const auto at = make_timestamp(2023, 7, 14, 12, 30, 45, 123456);
    const Everything full{1,     true, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int64_t>::max(),
                          0.1,   "text", at, false, 42, std::numeric_limits<std::int64_t>::min(), -2.5e300,
                          "opt", make_timestamp(1970, 1, 1)};
    const Everything nulls{2, false, 7, -7, -0.0, "", make_timestamp(2000, 2, 29), {}, {}, {}, {}, {}, {}};
    insert(db, full);
    insert_all(db, std::vector<Everything>{nulls, Everything{3, true, 0, 0, 1e-300, "x", at, true, {}, 9, {}, "", {}}});

    const auto a = get<Everything>(db, 1);
    CHECK(a.flag == true);
    CHECK(a.small == std::numeric_limits<std::int32_t>::min());
    CHECK(a.big == std::numeric_limits<std::int64_t>::max());
    CHECK(a.real == 0.1);
    CHECK(a.text == "text");
    CHECK(a.at == at);
    CHECK(a.o_flag == false);
    CHECK(a.o_small == 42);
    CHECK(a.o_big == std::numeric_limits<std::int64_t>::min());
    CHECK(a.o_real == -2.5e300);
    CHECK(a.o_text == "opt");
    CHECK(a.o_at == make_timestamp(1970, 1, 1));

    const auto b = get<Everything>(db, 2);
    CHECK(b.flag == false);
    CHECK(b.text.empty());
    CHECK(b.at == make_timestamp(2000, 2, 29));
    CHECK_FALSE(b.o_flag.has_value());
    CHECK_FALSE(b.o_small.has_value());
    CHECK_FALSE(b.o_big.has_value());
    CHECK_FALSE(b.o_real.has_value());
    CHECK_FALSE(b.o_text.has_value());
    CHECK_FALSE(b.o_at.has_value());

    const auto c = get<Everything>(db, 3);
    CHECK(c.real == 1e-300);
    CHECK(c.o_flag == true);
    CHECK(c.o_big == 9);
    CHECK(c.o_text == "");  // empty string is not NULL
    CHECK(c.at == at);

    // Filters on each type bind correctly.
    CHECK(select<Everything>().where(col<&Everything::flag> == true).count(db) == 2);
    CHECK(select<Everything>().where(col<&Everything::big> == std::numeric_limits<std::int64_t>::max()).count(db) == 1);
    CHECK(select<Everything>().where(col<&Everything::real> < 0.5).count(db) == 3);
    CHECK(select<Everything>().where(col<&Everything::at> == at).count(db) == 2);
    CHECK(select<Everything>().where(col<&Everything::at>.in({at})).count(db) == 2);
    CHECK(select<Everything>().where(col<&Everything::o_text>.is_null()).count(db) == 1);
}
