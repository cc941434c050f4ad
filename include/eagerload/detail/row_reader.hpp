#pragma once
// Turns column-major batches into model structs: the hot path of every load. One
// switch-free read per field, chosen at compile time from the member's type.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eagerload/detail/execute.hpp"
#include "eagerload/model.hpp"

namespace eagerload::detail {

// The execution layer has checked and converted every value: this only moves it.
template <class V>
void read_present(column_data& c, std::size_t r, V& out) {
    if constexpr (std::is_same_v<V, bool>) out = c.ints[r] != 0;
    else if constexpr (std::is_integral_v<V>) out = static_cast<V>(c.ints[r]);
    else if constexpr (std::is_enum_v<V>) {
        if constexpr (column_traits<V>::type == col_type::enum_text) out = enum_from_index<V>(c.ints[r]);
        else out = static_cast<V>(c.ints[r]);
    } else if constexpr (std::is_floating_point_v<V>) out = static_cast<V>(c.reals[r]);
    else if constexpr (std::is_same_v<V, std::string>) out = std::move(c.texts[r]);
    else if constexpr (std::is_same_v<V, bytes>) {
        const auto* p = reinterpret_cast<const std::byte*>(c.texts[r].data());
        out.assign(p, p + c.texts[r].size());
    } else if constexpr (std::is_same_v<V, decimal>) out = decimal(c.texts[r]);  // canonical already
    else out = c.times[r];
}

template <class M>
void read_column(result_batch& b, std::size_t first, std::size_t col, std::size_t r, M& out,
                 const table_info& t) {
    column_data& c = b.columns[first + col];
    if constexpr (column_traits<M>::nullable) {
        if (c.nulls[r]) {
            out.reset();
        } else {
            read_present(c, r, out.emplace());
        }
    } else {
        if (c.nulls[r]) throw_null(t, col, b, first + t.key, r);
        read_present(c, r, out);
    }
}

// Reads row r of the batch into `out`; T's columns (table `t`) start at batch column `first`.
template <class T>
void read_row(result_batch& b, std::size_t first, std::size_t r, T& out, const table_info& t) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (read_column(b, first, I, r, field<I>(out), t), ...);
    }(std::make_index_sequence<field_count<T>>{});
}

// Rows of one model, read from a statement whose layout is `columns` (T's columns first).
template <class T>
std::vector<T> fetch_rows(const database& db, const std::string& sql, const params& ps,
                          std::span<const column_source> columns, std::size_t expected_rows) {
    std::vector<T> rows;
    const table_info& t = table_of<T>();
    fetch(
        db, sql, ps, columns,
        [&](result_batch& b) {
            for (std::size_t r = 0; r < b.rows; ++r) read_row(b, 0, r, rows.emplace_back(), t);
        },
        expected_rows);
    return rows;
}

}  // namespace eagerload::detail
