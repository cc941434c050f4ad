#pragma once
// Storing one fetched value into its batch column, converted to the member's type
// exactly or not at all: each returns false when the member cannot hold the value
// exactly (3.7 into an integer, 5e9 into int32_t, 7 into bool, 'cheap' into a number),
// and the backend's fetch then throws conversion_error naming table, column and key.
// Shared by every backend's row path.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "eagerload/detail/execute.hpp"

namespace eagerload::detail {

// Sizes every vector of `c` that its type uses (and `nulls`) to n rows.
void resize_column(column_data& c, std::size_t n);
// An empty batch for the layout `columns`, each column typed and sized to `rows`.
result_batch make_batch(std::span<const column_source> columns, std::size_t rows);
// Throws when a statement returns another number of columns than its layout says.
void check_column_count(std::size_t returned, std::span<const column_source> columns, const std::string& sql);

bool store_integer(column_data& c, std::size_t r, long long v);
bool store_real(column_data& c, std::size_t r, double v);
// Text as the database printed it: parsed for numbers, booleans, decimals, enums and
// timestamps; a bytes member takes the text's bytes.
bool store_text(column_data& c, std::size_t r, std::string_view text);
// Raw bytes (a BLOB, a decoded bytea): only a bytes member takes them.
bool store_bytes(column_data& c, std::size_t r, std::string_view raw);

// A float member takes a double, or a text read as a double, only when it is a float
// exactly: 0.1 from a DOUBLE column is a conversion_error, never a silent rounding.
// A float column's own text (PostgreSQL's real prints the shortest text that reads back
// as its float: "0.1" for 0.1f) goes through store_float_text, which takes exactly that.
bool store_float_text(column_data& c, std::size_t r, std::string_view text);

// Bytes from the text a database prints them as; false when the text is not one.
// Hex: two hex digits (either case) per byte, nothing else (SQLite's eagerload_unhex,
// the bulk-insert path). bytea: PostgreSQL's text output, hex ("\x00ff", the default) or
// the escape format (bytea_output = 'escape': "\\" for a backslash, "\ooo" octal for
// 0-255, any other byte as itself).
bool decode_hex(std::string_view hex, std::string& out);
bool decode_bytea(std::string_view text, std::string& out);

}  // namespace eagerload::detail
