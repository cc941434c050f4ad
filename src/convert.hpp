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
// Text as the database printed it: parsed for numbers, booleans and timestamps.
bool store_text(column_data& c, std::size_t r, std::string_view text);

}  // namespace eagerload::detail
