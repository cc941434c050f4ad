#pragma once
// Page tokens: the opaque, URL-safe text a keyed page hands out for the page after
// (or before) it. A token carries the order-key values of one row, typed, with a
// checksum and the shape of the query that made it; reading one checks all of that
// and throws invalid_page_token for anything else. Nothing in a token ever becomes
// SQL text: its values are bound parameters, typed by the order members.
//
// Tokens are not signed: a client can make a token for any position of the same
// query (as it could by paging there), but never change the query's filter.
#include <cstdint>
#include <string>
#include <string_view>

#include "eagerload/detail/value.hpp"
#include "eagerload/errors.hpp"

namespace eagerload {

// A page token that is not one this query made: not base64url, truncated, altered,
// of another version, made by a query with other order keys (names the table and
// its keys), or holding a value of the wrong type for its column.
struct invalid_page_token : error {
    using error::error;
};

namespace detail {

// What a token holds: which side of the row the page is on, the shape of the query
// (a hash of its table and order keys), and the row's order-key values.
struct page_key {
    bool before = false;
    bool inclusive = false;  // the row itself is on the page (a page back from an empty page)
    std::uint64_t shape = 0;
    params values;
};

// The pure pair (a fuzz target): decode(encode(k)) == k for every k, and decode
// throws invalid_page_token, never anything else, for any text that encode did not
// make. Neither touches a query or a database.
std::string encode_page_token(const page_key& k);
page_key decode_page_token(std::string_view token);

}  // namespace detail
}  // namespace eagerload
