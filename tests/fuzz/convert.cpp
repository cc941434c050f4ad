// libFuzzer target: the conversions of src/convert.cpp that every row path uses to store
// a fetched value into its member's column: store_text (the MariaDB row path reads every
// value as text, the PostgreSQL one parses its text results), store_integer and
// store_real (SQLite's native values).
//
// Input: one byte picks the column type, the rest is the value (as text, or as the bytes
// of a long long or double). Each conversion is checked against a reference written
// here: it stores the value exactly, or refuses it; never a different value.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "convert.hpp"
#include "eagerload/timestamp.hpp"

using eagerload::detail::col_type;
using eagerload::detail::column_data;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "convert fuzz: %s\n", what);
    std::abort();
}

constexpr col_type types[] = {col_type::boolean, col_type::int32,   col_type::int64,
                              col_type::float64, col_type::text,    col_type::timestamp};

column_data column(col_type t) {
    column_data c{t, nullptr, {}, {}, {}, {}, {}};
    eagerload::detail::resize_column(c, 1);
    return c;
}

// Decimal integer text as databases print it: an optional '-', then digits.
std::optional<long long> reference_integer(std::string_view s) {
    std::size_t i = 0;
    const bool negative = !s.empty() && s[0] == '-';
    if (negative) ++i;
    if (i == s.size()) return std::nullopt;
    __int128 v = 0;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');
        if (v > (static_cast<__int128>(1) << 63)) return std::nullopt;
    }
    if (negative) v = -v;
    if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
    return static_cast<long long>(v);
}

void check_text(col_type t, std::string_view s) {
    column_data c = column(t);
    const bool ok = eagerload::detail::store_text(c, 0, s);
    switch (t) {
    case col_type::text:
        if (!ok || c.texts[0] != s) fail("text not stored verbatim");
        break;
    case col_type::boolean: {
        const bool yes = s == "t" || s == "true" || s == "1", no = s == "f" || s == "false" || s == "0";
        if (ok != (yes || no)) fail("boolean accepted/refused wrongly");
        if (ok && c.ints[0] != (yes ? 1 : 0)) fail("boolean stored as another value");
        break;
    }
    case col_type::int32:
    case col_type::int64: {
        auto v = reference_integer(s);
        if (v && t == col_type::int32 && (*v < INT32_MIN || *v > INT32_MAX)) v.reset();
        if (ok != v.has_value()) fail("integer accepted/refused wrongly");
        if (ok && c.ints[0] != *v) fail("integer stored as another value");
        break;
    }
    case col_type::float64: {
        if (!ok) break;  // refusing is safe; what is accepted must be exact
        const double got = c.reals[0];
        // strtod, the C library's exact decimal-to-double conversion, on the same text.
        const std::string z(s);
        if (z.find('\0') != std::string::npos || z.empty() || z[0] == ' ' || z[0] == '+') fail("odd text accepted as a double");
        char* end = nullptr;
        const double ref = std::strtod(z.c_str(), &end);
        if (end != z.c_str() + z.size()) fail("text strtod does not read entirely accepted as a double");
        if (std::isnan(ref) != std::isnan(got)) fail("NaN and a number confused");
        if (!std::isnan(ref) && std::bit_cast<std::uint64_t>(ref) != std::bit_cast<std::uint64_t>(got))
            fail("double stored inexactly");
        break;
    }
    case col_type::timestamp: {
        eagerload::timestamp ref;
        if (ok != eagerload::parse_timestamp(s, ref)) fail("timestamp column disagrees with parse_timestamp");
        if (ok && c.times[0] != ref) fail("timestamp stored as another instant");
        break;
    }
    case col_type::int16:  // not in types[]: this target checks the six types above
    case col_type::float32:
    case col_type::bytes:
    case col_type::decimal:
    case col_type::enum_text:
        break;
    }
}

void check_integer(col_type t, long long v) {
    column_data c = column(t);
    const bool ok = eagerload::detail::store_integer(c, 0, v);
    switch (t) {
    case col_type::boolean:
        if (ok != (v == 0 || v == 1) || (ok && c.ints[0] != v)) fail("integer into boolean");
        break;
    case col_type::int32:
        if (ok != (v >= INT32_MIN && v <= INT32_MAX) || (ok && c.ints[0] != v)) fail("integer into int32");
        break;
    case col_type::int64:
        if (!ok || c.ints[0] != v) fail("integer into int64");
        break;
    case col_type::float64: {
        // Exact iff the double's value is the integer: compare in 128 bits.
        const double d = static_cast<double>(v);
        const bool exact = d < 9223372036854775808.0 && static_cast<__int128>(d) == v;
        if (ok != exact || (ok && c.reals[0] != d)) fail("integer into float64");
        break;
    }
    case col_type::text:
        if (!ok || c.texts[0] != std::to_string(v)) fail("integer into text");
        break;
    case col_type::timestamp:
        if (ok) fail("integer into timestamp");
        break;
    case col_type::int16:  // not in types[]: this target checks the six types above
    case col_type::float32:
    case col_type::bytes:
    case col_type::decimal:
    case col_type::enum_text:
        break;
    }
}

void check_real(col_type t, double v) {
    column_data c = column(t);
    const bool ok = eagerload::detail::store_real(c, 0, v);
    switch (t) {
    case col_type::float64:
        if (!ok || std::bit_cast<std::uint64_t>(c.reals[0]) != std::bit_cast<std::uint64_t>(v)) fail("real into float64");
        break;
    case col_type::boolean:
    case col_type::int32:
    case col_type::int64: {
        const bool integral = std::isfinite(v) && v == std::trunc(v) && v >= -9223372036854775808.0 &&
                              v < 9223372036854775808.0;
        bool exact = integral;
        if (exact) {
            const auto i = static_cast<long long>(v);
            if (t == col_type::boolean) exact = i == 0 || i == 1;
            if (t == col_type::int32) exact = i >= INT32_MIN && i <= INT32_MAX;
            if (exact && ok && static_cast<double>(c.ints[0]) != v) fail("real stored as another integer");
        }
        if (ok != exact) fail("real into integer accepted/refused wrongly");
        break;
    }
    case col_type::text:
    case col_type::timestamp:
        if (ok) fail("real into text or timestamp");
        break;
    case col_type::int16:  // not in types[]: this target checks the six types above
    case col_type::float32:
    case col_type::bytes:
    case col_type::decimal:
    case col_type::enum_text:
        break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const col_type t = types[data[0] % 6];
    const int mode = data[0] / 6 % 3;  // 0: text, 1: integer, 2: real
    ++data;
    --size;
    if (mode == 0) {
        check_text(t, std::string_view(reinterpret_cast<const char*>(data), size));
    } else if (size >= 8) {
        std::uint64_t bits;
        std::memcpy(&bits, data, 8);
        if (mode == 1) check_integer(t, std::bit_cast<long long>(bits));
        else check_real(t, std::bit_cast<double>(bits));
    }
    return 0;
}
