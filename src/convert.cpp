#include "convert.hpp"

#include "backend.hpp"
#include "eagerload/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "eagerload/decimal.hpp"

namespace eagerload::detail {

void resize_column(column_data& c, std::size_t n) {
    c.nulls.resize(n);
    switch (c.type) {
    case col_type::boolean:
    case col_type::int16:
    case col_type::int32:
    case col_type::int64:
    case col_type::enum_text: c.ints.resize(n); break;
    case col_type::float32:
    case col_type::float64: c.reals.resize(n); break;
    case col_type::text:
    case col_type::bytes:
    case col_type::decimal: c.texts.resize(n); break;
    case col_type::timestamp: c.times.resize(n); break;
    }
}

namespace {

template <class I>
bool fits(long long v) {
    return v >= std::numeric_limits<I>::min() && v <= std::numeric_limits<I>::max();
}

// An integer enum's value must be one of its listed values.
bool listed(const column_data& c, long long v) {
    return !c.domain || std::find(c.domain->ints.begin(), c.domain->ints.end(), v) != c.domain->ints.end();
}

bool store_decimal(column_data& c, std::size_t r, std::string_view text) {
    auto d = decimal::parse(text);
    if (!d) return false;
    c.texts[r] = d->str();
    return true;
}

// A float member holds a double exactly, or not at all.
bool store_float(column_data& c, std::size_t r, double v) {
    const auto f = static_cast<float>(v);
    if (!(static_cast<double>(f) == v || std::isnan(v))) return false;
    c.reals[r] = v;
    return true;
}

}  // namespace

bool store_integer(column_data& c, std::size_t r, long long v) {
    switch (c.type) {
    case col_type::boolean:
        if (v != 0 && v != 1) return false;
        c.ints[r] = v;
        return true;
    case col_type::int16:
        if (!fits<std::int16_t>(v) || !listed(c, v)) return false;
        c.ints[r] = v;
        return true;
    case col_type::int32:
        if (!fits<std::int32_t>(v) || !listed(c, v)) return false;
        c.ints[r] = v;
        return true;
    case col_type::int64:
        if (!listed(c, v)) return false;
        c.ints[r] = v;
        return true;
    case col_type::float32: {
        const auto f = static_cast<float>(v);
        if (f >= 9223372036854775808.0f || static_cast<long long>(f) != v) return false;
        c.reals[r] = static_cast<double>(f);
        return true;
    }
    case col_type::float64: {
        const auto d = static_cast<double>(v);
        // Exact only where the double holds the integer (|v| <= 2^53, or a power-of-two multiple).
        if (d >= 9223372036854775808.0 || static_cast<long long>(d) != v) return false;
        c.reals[r] = d;
        return true;
    }
    case col_type::text: c.texts[r] = std::to_string(v); return true;
    case col_type::decimal: c.texts[r] = std::to_string(v); return true;
    case col_type::bytes:
    case col_type::enum_text:
    case col_type::timestamp: return false;
    }
    return false;
}

bool store_real(column_data& c, std::size_t r, double v) {
    switch (c.type) {
    case col_type::float64: c.reals[r] = v; return true;
    case col_type::float32: return store_float(c, r, v);
    case col_type::boolean:
    case col_type::int16:
    case col_type::int32:
    case col_type::int64:
        // 3.0 is the integer 3; 3.7 is no integer.
        if (!std::isfinite(v) || v != std::trunc(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0)
            return false;
        return store_integer(c, r, static_cast<long long>(v));
    case col_type::decimal:
        // The shortest text that reads back as this double: the decimal it was stored as
        // (SQLite keeps a NUMERIC value as REAL only when 15 digits hold it).
        return std::isfinite(v) && store_decimal(c, r, fmt::format("{}", v));
    case col_type::text:       // the database's text of a double is not necessarily exact
    case col_type::bytes:
    case col_type::enum_text:
    case col_type::timestamp: return false;
    }
    return false;
}

bool store_float_text(column_data& c, std::size_t r, std::string_view s) {
    if (c.type != col_type::float32 && c.type != col_type::float64) return store_text(c, r, s);
    if (s == "NaN" || s == "Infinity" || s == "-Infinity") return store_text(c, r, s);
    float f = 0;
    const auto rf = std::from_chars(s.data(), s.data() + s.size(), f);
    if (rf.ec != std::errc{} || rf.ptr != s.data() + s.size() || !std::isfinite(f)) return false;
    const auto shortest = decimal::parse(fmt::format("{}", f)), given = decimal::parse(s);
    if (!shortest || !given || *shortest != *given) return false;
    c.reals[r] = static_cast<double>(f);  // a double member gets the float's value: 0.1f is 0.10000000149011612
    return true;
}

namespace {
int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

bool decode_hex(std::string_view s, std::string& out) {
    out.clear();
    if (s.size() % 2) return false;
    out.reserve(s.size() / 2);
    for (std::size_t i = 0; i < s.size(); i += 2) {
        const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
    }
    return true;
}

bool decode_bytea(std::string_view s, std::string& out) {
    if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') return decode_hex(s.substr(2), out);
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
        } else if (i + 1 < s.size() && s[i + 1] == '\\') {
            out += '\\';
            ++i;
        } else if (i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
                   s[i + 3] >= '0' && s[i + 3] <= '7') {
            out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

bool store_bytes(column_data& c, std::size_t r, std::string_view raw) {
    if (c.type != col_type::bytes) return false;
    c.texts[r].assign(raw.data(), raw.size());
    return true;
}

bool store_text(column_data& c, std::size_t r, std::string_view s) {
    switch (c.type) {
    case col_type::text:
    case col_type::bytes: c.texts[r].assign(s.data(), s.size()); return true;
    case col_type::boolean:
        if (s == "t" || s == "true" || s == "1") return store_integer(c, r, 1);
        if (s == "f" || s == "false" || s == "0") return store_integer(c, r, 0);
        return false;
    case col_type::int16:
    case col_type::int32:
    case col_type::int64: {
        long long v = 0;
        const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
        if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) return false;
        return store_integer(c, r, v);
    }
    case col_type::float32:
    case col_type::float64: {
        if (s == "NaN") return c.reals[r] = std::numeric_limits<double>::quiet_NaN(), true;
        if (s == "Infinity") return c.reals[r] = std::numeric_limits<double>::infinity(), true;
        if (s == "-Infinity") return c.reals[r] = -std::numeric_limits<double>::infinity(), true;
        double v = 0;
        const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
        if (res.ec != std::errc{} || res.ptr != s.data() + s.size()) return false;
        if (c.type == col_type::float64) {
            c.reals[r] = v;
            return true;
        }
        return store_float(c, r, v);
    }
    case col_type::decimal: return store_decimal(c, r, s);
    case col_type::enum_text: {
        if (!c.domain) return false;
        const auto& texts = c.domain->texts;
        const auto it = std::find(texts.begin(), texts.end(), s);
        if (it == texts.end()) return false;
        c.ints[r] = it - texts.begin();
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
        const column_info& info = columns[c].table->columns[columns[c].column];
        batch.columns[c].type = info.type;
        batch.columns[c].domain = info.domain;
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

namespace eagerload::detail {
void throw_unlisted_enum(const std::string& type, long long value) {
    throw std::invalid_argument("eagerload: " + type + " value " + std::to_string(value) +
                                " is not listed in eagerload::enum_values<" + type + ">: it has no stored text");
}
}  // namespace eagerload::detail
