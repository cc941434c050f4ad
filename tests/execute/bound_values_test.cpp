// Bound values reach the database as the values they are, whatever their text: a text
// that looks like a placeholder, a quote or an escape; a double at the edge of its
// range. (MariaDB's text protocol carries a value as a literal in the statement text,
// which src/backends/mariadb.cpp writes: these cases pin that down on every backend.)
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/hostile_strings.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

namespace bound {
struct Pair {
    std::int64_t id;
    std::string a;
    std::string b;
    bool operator==(const Pair&) const = default;
};
struct Real {
    std::int64_t id;
    double v;
};
}  // namespace bound
BOOST_HANA_ADAPT_STRUCT(bound::Pair, id, a, b);
BOOST_HANA_ADAPT_STRUCT(bound::Real, id, v);
template <>
struct eagerload::model<bound::Pair> {
    static constexpr std::string_view table = "bv_pairs";
    static constexpr auto key = &bound::Pair::id;
};
template <>
struct eagerload::model<bound::Real> {
    static constexpr std::string_view table = "bv_reals";
    static constexpr auto key = &bound::Real::id;
};

using namespace eagerload;
using bound::Pair;
using bound::Real;

namespace {
// Texts shaped like what a literal-writing binder must not misread, then the shared corpus.
std::vector<std::string> texts() {
    std::vector<std::string> v = {":p1",   ":p2",  ":p10", "':p1'", "`:p1`", "\":p2\"", "'",  "''",
                                  "\\",    "\\'",  "'\\",  "a:p1b", "--",    "/*",      "#",  ":p1 ':p2'"};
    for (std::string& s : eagerload_test::hostile_strings()) v.push_back(std::move(s));
    return v;
}
}  // namespace

// Row i holds texts[i] and texts[i + 1]: a where() with both binds two placeholders, the
// first value often itself a placeholder's text (":p2"), which must not be read again.
EAGERLOAD_TEST("texts shaped like placeholders, quotes and escapes select exactly their row through where()") {
    create_table<Pair>(db);
    const std::vector<std::string> v = texts();
    std::vector<Pair> rows;
    for (std::size_t i = 0; i < v.size(); ++i)
        rows.push_back({static_cast<std::int64_t>(i + 1), v[i], v[(i + 1) % v.size()]});
    insert_all(db, rows);
    for (const Pair& p : rows) {
        CAPTURE(p.a);
        CAPTURE(p.b);
        const auto got = select<Pair>().where(col<&Pair::a> == p.a && col<&Pair::b> == p.b).all(db);
        REQUIRE(got.size() == 1);
        CHECK(got[0] == p);
        // Reversed: the value of :p1 is now what :p2's was.
        CHECK(select<Pair>().where(col<&Pair::b> == p.b && col<&Pair::a> == p.a && col<&Pair::id> == p.id).count(db) == 1);
    }
}

// Each double is selected by equality (its exact value must reach the database) and by
// order (how many are smaller).
EAGERLOAD_TEST("doubles at the edges of their range select exactly their row through where()") {
    create_table<Real>(db);
    const std::vector<double> v = {0.1,  1.0 / 3, 1e300, -2.5e-300, 1e16, 123456789012345678.0, 9007199254740992.0,
                                   0.5,  -7.0,    1e-5,  std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::max(), -std::numeric_limits<double>::min()};
    std::vector<Real> rows;
    for (std::size_t i = 0; i < v.size(); ++i) rows.push_back({static_cast<std::int64_t>(i + 1), v[i]});
    insert_all(db, rows);
    for (const Real& r : rows) {
        CAPTURE(r.v);
        const auto got = select<Real>().where(col<&Real::v> == r.v).all(db);
        REQUIRE(got.size() == 1);
        CHECK(got[0].id == r.id);
        CHECK(got[0].v == r.v);
        std::size_t smaller = 0;
        for (double d : v) smaller += d < r.v ? 1 : 0;
        CHECK(select<Real>().where(col<&Real::v> < r.v).count(db) == static_cast<long long>(smaller));
    }
}

TEST_CASE("MariaDB has no NaN or infinity: a bound one is refused with an error naming it [mariadb]") {
    eagerload_test::context ctx(dialect::mariadb);
    create_table<Real>(ctx.db);
    CHECK_THROWS_WITH_AS(select<Real>().where(col<&Real::v> == std::nan("")).all(ctx.db), doctest::Contains("NaN"),
                         database_error);
    CHECK_THROWS_WITH_AS(select<Real>().where(col<&Real::v> < std::numeric_limits<double>::infinity()).all(ctx.db),
                         doctest::Contains("infinity"), database_error);
    CHECK(select<Real>().count(ctx.db) == 0);  // the session is fine
}

// The binder writes values into the text, so it must know where the text already holds a
// literal: `:pN` inside '...', "..." (a string in MariaDB) or a `...` identifier is text,
// not a placeholder. (PostgreSQL's binder does not parse literals: eagerload's SQL has
// none there. This is the MariaDB binder's own property.)
TEST_CASE("MariaDB's binder reads placeholders outside quoted literals and backtick identifiers only [mariadb]") {
    eagerload_test::context ctx(dialect::mariadb);
    const auto& t = detail::table_of<Pair>();
    const std::vector<detail::column_source> columns{{&t, 1, 0, 0}, {&t, 2, 0, 0}, {&t, 1, 0, 0}, {&t, 2, 0, 0}};
    std::vector<std::string> got;
    detail::fetch(ctx.db,
                  "SELECT 'it''s :p1', CONCAT(\"x:p2\", :p2) AS `:p1 ``:p2`, :p1, CONCAT('''', :p2, '''')",
                  {detail::param::text("one"), detail::param::text(":p1'\\")}, columns, [&](detail::result_batch& b) {
                      for (std::size_t r = 0; r < b.rows; ++r)
                          for (std::size_t c = 0; c < b.columns.size(); ++c) got.push_back(b.columns[c].texts[r]);
                  });
    CHECK(got == std::vector<std::string>{"it's :p1", "x:p2:p1'\\", "one", "':p1'\\'"});
}
