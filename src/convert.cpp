#include "convert.hpp"

#include "backend.hpp"
#include "eagerload/model.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace eagerload::detail {

void resize_column(column_data& c, std::size_t n) {
    c.nulls.resize(n);
    switch (c.type) {
    case col_type::boolean:
    case col_type::int32:
    case col_type::int64: c.ints.resize(n); break;
    case col_type::float64: c.reals.resize(n); break;
    case col_type::text: c.texts.resize(n); break;
    case col_type::timestamp: c.times.resize(n); break;
    }
}

bool store_integer(column_data& c, std::size_t r, long long v) {
    switch (c.type) {
    case col_type::boolean:
        if (v != 0 && v != 1) return false;
        c.ints[r] = v;
        return true;
    case col_type::int32:
        if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) return false;
        c.ints[r] = v;
        return true;
    case col_type::int64: c.ints[r] = v; return true;
    case col_type::float64: {
        const auto d = static_cast<double>(v);
        // Exact only where the double holds the integer (|v| <= 2^53, or a power-of-two multiple).
        if (d >= 9223372036854775808.0 || static_cast<long long>(d) != v) return false;
        c.reals[r] = d;
        return true;
    }
    case col_type::text: c.texts[r] = std::to_string(v); return true;
    case col_type::timestamp: return false;
    }
    return false;
}

bool store_real(column_data& c, std::size_t r, double v) {
    switch (c.type) {
    case col_type::float64: c.reals[r] = v; return true;
    case col_type::boolean:
    case col_type::int32:
    case col_type::int64:
        // 3.0 is the integer 3; 3.7 is no integer.
        if (!std::isfinite(v) || v != std::trunc(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0)
            return false;
        return store_integer(c, r, static_cast<long long>(v));
    case col_type::text:       // the database's text of a double is not necessarily exact
    case col_type::timestamp: return false;
    }
    return false;
}

bool store_text(column_data& c, std::size_t r, std::string_view s) {
    switch (c.type) {
    case col_type::text: c.texts[r].assign(s.data(), s.size()); return true;
    case col_type::boolean:
        if (s == "t" || s == "true" || s == "1") return store_integer(c, r, 1);
        if (s == "f" || s == "false" || s == "0") return store_integer(c, r, 0);
        return false;
    case col_type::int32:
    case col_type::int64: {
        long long v = 0;
        const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
        if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) return false;
        return store_integer(c, r, v);
    }
    case col_type::float64: {
        if (s == "NaN") return c.reals[r] = std::numeric_limits<double>::quiet_NaN(), true;
        if (s == "Infinity") return c.reals[r] = std::numeric_limits<double>::infinity(), true;
        if (s == "-Infinity") return c.reals[r] = -std::numeric_limits<double>::infinity(), true;
        double v = 0;
        const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
        if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) return false;
        c.reals[r] = v;
        return true;
    }
    case col_type::timestamp: return parse_timestamp(s, c.times[r]);
    }
    return false;
}

result_batch make_batch(std::span<const column_source> columns, std::size_t rows) {
    result_batch batch;
    batch.columns.resize(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        batch.columns[c].type = columns[c].table->columns[columns[c].column].type;
        resize_column(batch.columns[c], rows);
    }
    return batch;
}

void check_column_count(std::size_t returned, std::span<const column_source> columns, const std::string& sql) {
    if (returned != columns.size())
        throw_statement_error("the statement returns " + std::to_string(returned) + " columns, " +
                                  std::to_string(columns.size()) + " expected",
                              sql);
}

}  // namespace eagerload::detail
