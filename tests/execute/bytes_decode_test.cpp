// Bytes read back from their text forms (src/convert.cpp's decode_hex, used by SQLite's
// eagerload_unhex in bulk inserts): a text that is not hex is an error, never other bytes.
#include "../support/backend.hpp"
#include "eagerload/detail/execute.hpp"

using namespace eagerload;

TEST_CASE("SQLite's eagerload_unhex refuses a text that is not hex, an odd length included [sqlite]") {
    eagerload_test::context ctx(dialect::sqlite);
    CHECK(detail::fetch_scalar(ctx.db, "SELECT length(eagerload_unhex('00ff'))", {}) == 2);
    CHECK(detail::fetch_scalar(ctx.db, "SELECT length(eagerload_unhex(''))", {}) == 0);
    // found reading the decoders for the bytes_decimal fuzz target: a 1-character text
    // gave an empty blob
    CHECK_THROWS_WITH(detail::fetch_scalar(ctx.db, "SELECT length(eagerload_unhex('a'))", {}),
                      doctest::Contains("not a hex text"));
    CHECK_THROWS_WITH(detail::fetch_scalar(ctx.db, "SELECT length(eagerload_unhex('abc'))", {}),
                      doctest::Contains("not a hex text"));
    CHECK_THROWS_WITH(detail::fetch_scalar(ctx.db, "SELECT length(eagerload_unhex('0g'))", {}),
                      doctest::Contains("not a hex text"));
}
