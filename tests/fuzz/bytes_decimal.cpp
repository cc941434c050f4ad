// libFuzzer target: the decoders behind bytes and decimal members (src/convert.cpp,
// src/decimal.cpp), which the older `convert` target skips:
//   decode_hex     SQLite's eagerload_unhex (bulk inserts carry bytes as hex text)
//   decode_bytea   PostgreSQL's bytea text output: hex ("\x00ff") or the escape format
//   decimal::parse numeric text into eagerload::decimal (every backend's decimal column)
//   store_text / store_bytes into bytes and decimal columns (MariaDB's and SQLite's blobs)
// each checked against a reference written here from the formats' specifications (the
// PostgreSQL manual's "Binary Data Types", eagerload/decimal.hpp's grammar), plus round
// trips: any bytes, encoded the way PostgreSQL prints them in either format, decode back.
//
// Input: one byte picks the check (its value modulo 5), the rest is the text or the bytes.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "convert.hpp"
#include "eagerload/decimal.hpp"

using eagerload::detail::col_type;
using eagerload::detail::column_data;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "bytes_decimal fuzz: %s\n", what);
    std::abort();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// --- hex and bytea, from the PostgreSQL manual (8.4 Binary Data Types) --------------------

// "each byte ... two hexadecimal digits, most significant digit first"; upper and lower
// case both accepted.
std::optional<std::string> reference_hex(std::string_view s) {
    static constexpr std::string_view digits = "0123456789abcdef";
    if (s.size() % 2 != 0) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        int v = 0;
        for (std::size_t k = 0; k < 2; ++k) {
            const char c = static_cast<char>(s[i + k] >= 'A' && s[i + k] <= 'F' ? s[i + k] - 'A' + 'a' : s[i + k]);
            const auto d = digits.find(c);
            if (d == std::string_view::npos) return std::nullopt;
            v = v * 16 + static_cast<int>(d);
        }
        out += static_cast<char>(v);
    }
    return out;
}

// Output: "\x" then hex; or the escape format, where a backslash is "\\", a byte
// written as a backslash and three octal digits ("\000" to "\377"), and any other byte
// stands for itself.
std::optional<std::string> reference_bytea(std::string_view s) {
    if (s.substr(0, 2) == "\\x") return reference_hex(s.substr(2));
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '\\') {
            out += s[i++];
            continue;
        }
        const std::string_view rest = s.substr(i + 1);
        if (!rest.empty() && rest[0] == '\\') {
            out += '\\';
            i += 2;
            continue;
        }
        if (rest.size() < 3) return std::nullopt;
        int v = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            if (rest[k] < '0' || rest[k] > '7') return std::nullopt;
            v = v * 8 + (rest[k] - '0');
        }
        if (v > 255) return std::nullopt;
        out += static_cast<char>(v);
        i += 4;
    }
    return out;
}

// How PostgreSQL prints bytes (bytea_output = 'hex' and 'escape').
std::string encode_hex(std::string_view raw, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    for (const char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}
std::string encode_escape(std::string_view raw) {
    std::string out;
    for (const char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\') {
            out += "\\\\";
        } else if (c < 0x20 || c > 0x7e) {
            out += '\\';
            out += static_cast<char>('0' + (c >> 6));
            out += static_cast<char>('0' + ((c >> 3) & 7));
            out += static_cast<char>('0' + (c & 7));
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// --- decimal, from eagerload/decimal.hpp: [+-]digits[.digits][e[+-]digits] (or .digits) ---

// The canonical text of a decimal: '-' unless zero, the integer digits without leading
// zeros ("0" when none), then '.' and the fraction's digits as given (an exponent moves the
// point: "1.5e3" is "1500", "15e-1" is "1.5"). Exponents beyond +-10000 are refused.
std::optional<std::string> reference_decimal(std::string_view s) {
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    const std::size_t int_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    std::string integer(s.substr(int_start, i - int_start)), fraction;
    if (i < s.size() && s[i] == '.') {
        const std::size_t f = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        fraction = s.substr(f, i - f);
    }
    if (integer.empty() && fraction.empty()) return std::nullopt;
    long long exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
        const std::size_t e = i;
        while (i < s.size() && is_digit(s[i])) {
            exponent = std::min<long long>(exponent * 10 + (s[i] - '0'), 1000000);
            ++i;
        }
        if (i == e || exponent > 10000) return std::nullopt;
        if (exp_negative) exponent = -exponent;
    }
    if (i != s.size()) return std::nullopt;
    // All digits, and where the point goes among them.
    const std::string digits = integer + fraction;
    const long long point = static_cast<long long>(integer.size()) + exponent;
    std::string int_part, frac_part;
    if (point <= 0) {
        int_part = "";
        frac_part = std::string(static_cast<std::size_t>(-point), '0') + digits;
    } else if (point >= static_cast<long long>(digits.size())) {
        int_part = digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0');
    } else {
        int_part = digits.substr(0, static_cast<std::size_t>(point));
        frac_part = digits.substr(static_cast<std::size_t>(point));
    }
    const auto nz = int_part.find_first_not_of('0');
    int_part = nz == std::string::npos ? "0" : int_part.substr(nz);
    const bool zero = int_part == "0" && frac_part.find_first_not_of('0') == std::string::npos;
    std::string out = (negative && !zero ? "-" : "") + int_part;
    if (!frac_part.empty()) out += "." + frac_part;
    return out;
}

// Numeric order of two canonical texts: sign, then the digits aligned at the point.
int reference_compare(const std::string& a, const std::string& b) {
    const auto key = [](const std::string& t) {
        const bool neg = !t.empty() && t[0] == '-';
        std::string v = neg ? t.substr(1) : t;
        const auto dot = v.find('.');
        std::string i = v.substr(0, dot), f = dot == std::string::npos ? "" : v.substr(dot + 1);
        while (!f.empty() && f.back() == '0') f.pop_back();
        const bool zero = i == "0" && f.empty();
        return std::tuple<int, std::string, std::string>(zero ? 0 : (neg ? -1 : 1), i, f);
    };
    auto [sa, ia, fa] = key(a);
    auto [sb, ib, fb] = key(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    if (sa == 0) return 0;
    const std::size_t il = std::max(ia.size(), ib.size()), fl = std::max(fa.size(), fb.size());
    const std::string x = std::string(il - ia.size(), '0') + ia + fa + std::string(fl - fa.size(), '0');
    const std::string y = std::string(il - ib.size(), '0') + ib + fb + std::string(fl - fb.size(), '0');
    const int c = x.compare(y);
    const int mag = c < 0 ? -1 : (c > 0 ? 1 : 0);
    return sa < 0 ? -mag : mag;
}

column_data column(col_type t) {
    column_data c{t, nullptr, {}, {}, {}, {}, {}};
    eagerload::detail::resize_column(c, 1);
    return c;
}

void check_decimal(std::string_view s) {
    const auto got = eagerload::decimal::parse(s);
    const auto ref = reference_decimal(s);
    if (got.has_value() != ref.has_value()) fail(ref ? "decimal refused" : "malformed decimal accepted");
    if (got && got->str() != *ref) fail("decimal parsed as another text");
    column_data c = column(col_type::decimal);
    const bool ok = eagerload::detail::store_text(c, 0, s);
    if (ok != ref.has_value() || (ok && c.texts[0] != *ref)) fail("decimal column disagrees with decimal::parse");
    if (got && eagerload::decimal::parse(got->str())->str() != got->str()) fail("canonical decimal text not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const int mode = data[0] % 5;
    const std::string_view s(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string out;
    switch (mode) {
    case 0: {  // hex text
        const auto ref = reference_hex(s);
        const bool ok = eagerload::detail::decode_hex(s, out);
        if (ok != ref.has_value() || (ok && out != *ref)) fail("decode_hex disagrees with the reference");
        break;
    }
    case 1: {  // bytea text
        const auto ref = reference_bytea(s);
        const bool ok = eagerload::detail::decode_bytea(s, out);
        if (ok != ref.has_value() || (ok && out != *ref)) fail("decode_bytea disagrees with the reference");
        break;
    }
    case 2: {  // any bytes, printed as PostgreSQL prints them, read back; into a bytes column verbatim
        if (!eagerload::detail::decode_bytea("\\x" + encode_hex(s, data[0] & 0x80), out) || out != s)
            fail("hex bytea does not round-trip");
        if (!eagerload::detail::decode_bytea(encode_escape(s), out) || out != s) fail("escape bytea does not round-trip");
        if (!eagerload::detail::decode_hex(encode_hex(s, false), out) || out != s) fail("hex does not round-trip");
        column_data c = column(col_type::bytes);
        if (!eagerload::detail::store_bytes(c, 0, s) || c.texts[0] != s) fail("bytes not stored verbatim");
        if (!eagerload::detail::store_text(c, 0, s) || c.texts[0] != s) fail("bytes text not stored verbatim");
        column_data t = column(col_type::text);
        if (eagerload::detail::store_bytes(t, 0, s)) fail("raw bytes accepted by a text column");
        break;
    }
    case 3: check_decimal(s); break;
    case 4: {  // two decimals, split at the first NUL: their order
        const auto cut = s.find('\0');
        if (cut == std::string_view::npos) break;
        const auto a = eagerload::decimal::parse(s.substr(0, cut)), b = eagerload::decimal::parse(s.substr(cut + 1));
        if (!a || !b) break;
        const int ref = reference_compare(a->str(), b->str());
        const int got = *a < *b ? -1 : (*a == *b ? 0 : 1);
        if (got != ref) fail("decimals ordered wrongly");
        break;
    }
    }
    return 0;
}
