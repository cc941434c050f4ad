// Model declarations become table descriptions; timestamps format and parse.
#include <doctest/doctest.h>

#include "../support/models.hpp"
#include "eagerload/timestamp.hpp"

using eagerload::detail::col_type;

TEST_CASE("a model's table, columns, types, nullability and key come from its declaration") {
    const auto& t = eagerload::detail::table_of<models::Task>();
    CHECK(t.name == "tasks");
    REQUIRE(t.columns.size() == 6);
    CHECK(t.columns[0].name == "id");
    CHECK(t.columns[2].name == "assignee_id");
    CHECK(t.columns[2].type == col_type::int64);
    CHECK(t.columns[2].nullable);
    CHECK_FALSE(t.columns[1].nullable);
    CHECK(t.columns[4].type == col_type::int32);
    CHECK(t.columns[5].type == col_type::timestamp);
    CHECK(t.key == 0);
    CHECK(eagerload::detail::field_index<models::Task, &models::Task::title> == 3);
}

TEST_CASE("timestamps format as UTC text with microseconds only when present") {
    using eagerload::make_timestamp;
    CHECK(eagerload::format_timestamp(make_timestamp(2024, 2, 29, 23, 59, 58)) == "2024-02-29 23:59:58");
    CHECK(eagerload::format_timestamp(make_timestamp(1999, 1, 2, 3, 4, 5, 60)) == "1999-01-02 03:04:05.000060");
    CHECK(eagerload::format_timestamp(make_timestamp(1969, 12, 31, 23, 59, 59, 999999)) ==
          "1969-12-31 23:59:59.999999");
}

TEST_CASE("timestamps parse from the forms databases print, and reject garbage") {
    eagerload::timestamp t;
    REQUIRE(eagerload::parse_timestamp("2024-02-29 23:59:58", t));
    CHECK(t == eagerload::make_timestamp(2024, 2, 29, 23, 59, 58));
    REQUIRE(eagerload::parse_timestamp("2024-02-29T23:59:58.5Z", t));
    CHECK(t == eagerload::make_timestamp(2024, 2, 29, 23, 59, 58, 500000));
    REQUIRE(eagerload::parse_timestamp("2001-01-01 00:00:00.123456", t));
    CHECK(eagerload::format_timestamp(t) == "2001-01-01 00:00:00.123456");
    CHECK_FALSE(eagerload::parse_timestamp("", t));
    CHECK_FALSE(eagerload::parse_timestamp("2024-02-30 00:00:00", t));
    CHECK_FALSE(eagerload::parse_timestamp("2024-02-01", t));
    // A timestamp with time zone is the UTC instant it names, in any session zone.
    REQUIRE(eagerload::parse_timestamp("2024-02-01 00:00:00+05", t));
    CHECK(t == eagerload::make_timestamp(2024, 1, 31, 19));
    REQUIRE(eagerload::parse_timestamp("2024-02-01 00:00:00.25-03:30", t));
    CHECK(t == eagerload::make_timestamp(2024, 2, 1, 3, 30, 0, 250000));
    REQUIRE(eagerload::parse_timestamp("1900-01-01 00:00:00+05:53:28", t));  // a historical zone
    CHECK(t == eagerload::make_timestamp(1899, 12, 31, 18, 6, 32));
    CHECK_FALSE(eagerload::parse_timestamp("2024-02-01 00:00:00+5", t));
    CHECK_FALSE(eagerload::parse_timestamp("2024-02-01 00:00:00+05:3", t));
    CHECK_FALSE(eagerload::parse_timestamp("2024-02-01 00:00:00 UTC", t));
    CHECK_FALSE(eagerload::parse_timestamp("yesterday at noon!!", t));
}
