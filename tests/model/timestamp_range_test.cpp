// Timestamps outside what eagerload::timestamp can hold (found by the timestamp fuzz
// target, tests/fuzz/timestamp.cpp). system_clock counts nanoseconds in 64 bits with
// libstdc++: 1677-09-21 00:12:43.145224192 to 2262-04-11 23:47:16.854775807 UTC. A date
// beyond that (MariaDB's DATETIME reaches 1000-01-01 and 9999-12-31) used to overflow the
// conversion to nanoseconds (undefined behaviour; in practice a wrapped, wrong instant).
// It is no timestamp: parse_timestamp refuses it (so a load throws conversion_error
// naming table, column and key), and make_timestamp throws.
#include <doctest/doctest.h>

#include <stdexcept>

#include "eagerload/timestamp.hpp"

TEST_CASE("timestamps beyond the nanosecond clock's range are refused, not wrapped") {
    eagerload::timestamp t;
    CHECK_FALSE(eagerload::parse_timestamp("9999-12-31 23:59:59", t));
    CHECK_FALSE(eagerload::parse_timestamp("1000-01-01 00:00:00", t));
    CHECK_FALSE(eagerload::parse_timestamp("2300-01-01 00:00:00.5+01", t));
    // The last and the first microsecond it holds, and one past each.
    REQUIRE(eagerload::parse_timestamp("2262-04-11 23:47:16.854775", t));
    CHECK(eagerload::format_timestamp(t) == "2262-04-11 23:47:16.854775");
    CHECK_FALSE(eagerload::parse_timestamp("2262-04-11 23:47:16.854776", t));
    CHECK_FALSE(eagerload::parse_timestamp("2262-04-11 23:47:17", t));
    REQUIRE(eagerload::parse_timestamp("1677-09-21 00:12:43.145225", t));
    CHECK(eagerload::format_timestamp(t) == "1677-09-21 00:12:43.145225");
    CHECK_FALSE(eagerload::parse_timestamp("1677-09-21 00:12:43.145224", t));
    // An offset can carry an instant out of range, or back into it.
    CHECK_FALSE(eagerload::parse_timestamp("2262-04-11 23:47:16-01", t));
    REQUIRE(eagerload::parse_timestamp("2262-04-12 00:47:16+01", t));
    CHECK(eagerload::format_timestamp(t) == "2262-04-11 23:47:16");
    CHECK_THROWS_AS(eagerload::make_timestamp(9999, 12, 31), std::out_of_range);
    CHECK_THROWS_AS(eagerload::make_timestamp(1000, 1, 1), std::out_of_range);
    CHECK(eagerload::format_timestamp(eagerload::make_timestamp(2262, 4, 11)) == "2262-04-11 00:00:00");
}
