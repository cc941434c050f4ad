#pragma once
// Reference decoders for the fuzz targets (tests/fuzz/key_encoding.cpp): how the databases
// read the list parameters eagerload encodes. Written from the specifications, not from
// eagerload's encoders: JSON per RFC 8259 (SQLite's json_each, MariaDB's JSON_TABLE), and
// PostgreSQL's array input syntax (its manual, "Array Value Input": elements separated by
// commas in braces, NULL unquoted, double quotes around any element, a backslash taking
// the next character literally, whitespace around unquoted elements ignored).
// Strings are byte strings: bytes >= 0x20 pass through as they are.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eagerload::fuzz {

struct value {
    enum class kind { null, number, text };
    kind k = kind::null;
    std::string s;  // the number's text, or the string
};

// The number `text` is the integer v exactly.
inline bool same_integer(long long v, std::string_view text) {
    long long got = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), got);
    return r.ec == std::errc{} && r.ptr == text.data() + text.size() && got == v;
}

// The number `text` reads as the double v exactly (PostgreSQL spells NaN and infinities).
inline bool same_double(double v, std::string_view text) {
    if (std::isnan(v)) return text == "NaN";
    if (std::isinf(v)) return text == (v > 0 ? "Infinity" : "-Infinity");
    const std::string z(text);
    char* end = nullptr;
    const double got = std::strtod(z.c_str(), &end);
    return !z.empty() && end == z.c_str() + z.size() && std::signbit(got) == std::signbit(v) && got == v;
}

namespace json_detail {

inline void skip_ws(std::string_view s, std::size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

inline void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

inline bool hex4(std::string_view s, std::size_t& i, unsigned& cp) {
    if (i + 4 > s.size()) return false;
    cp = 0;
    for (int n = 0; n < 4; ++n, ++i) {
        const char c = s[i];
        cp <<= 4;
        if (c >= '0' && c <= '9') cp |= static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') cp |= static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') cp |= static_cast<unsigned>(c - 'A' + 10);
        else return false;
    }
    return true;
}

inline bool string(std::string_view s, std::size_t& i, std::string& out) {
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i++]);
        if (c == '"') return true;
        if (c < 0x20) return false;  // RFC 8259: control characters must be escaped
        if (c != '\\') {
            out += static_cast<char>(c);
            continue;
        }
        if (i >= s.size()) return false;
        switch (s[i++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            unsigned cp = 0;
            if (!hex4(s, i, cp)) return false;
            if (cp >= 0xD800 && cp < 0xDC00) {  // a surrogate pair
                unsigned lo = 0;
                if (i + 2 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return false;
                i += 2;
                if (!hex4(s, i, lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return false;
            }
            put_utf8(out, cp);
            break;
        }
        default: return false;
        }
    }
    return false;
}

// RFC 8259's number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
inline bool number(std::string_view s, std::size_t& i, std::string& out) {
    const std::size_t start = i;
    auto digits = [&] {
        const std::size_t b = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i > b;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') ++i;
    else if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    out.assign(s.substr(start, i - start));
    return true;
}

inline bool scalar(std::string_view s, std::size_t& i, value& v) {
    skip_ws(s, i);
    if (s.substr(i, 4) == "null") {
        i += 4;
        v.k = value::kind::null;
        return true;
    }
    if (i < s.size() && s[i] == '"') {
        v.k = value::kind::text;
        return string(s, i, v.s);
    }
    v.k = value::kind::number;
    return number(s, i, v.s);
}

// `[` item (`,` item)* `]` or `[]`, with `item(s, i)` reading one element.
template <class Item>
bool array(std::string_view s, std::size_t& i, Item item) {
    skip_ws(s, i);
    if (i >= s.size() || s[i] != '[') return false;
    ++i;
    skip_ws(s, i);
    if (i < s.size() && s[i] == ']') return ++i, true;
    for (;;) {
        if (!item(s, i)) return false;
        skip_ws(s, i);
        if (i >= s.size()) return false;
        if (s[i] == ']') return ++i, true;
        if (s[i++] != ',') return false;
    }
}

}  // namespace json_detail

// A JSON array of scalars; nullopt when `s` is not exactly one.
inline std::optional<std::vector<value>> decode_json_array(std::string_view s) {
    std::vector<value> out;
    std::size_t i = 0;
    const bool ok = json_detail::array(s, i, [&](std::string_view t, std::size_t& j) {
        value v;
        if (!json_detail::scalar(t, j, v)) return false;
        out.push_back(std::move(v));
        return true;
    });
    json_detail::skip_ws(s, i);
    if (!ok || i != s.size()) return std::nullopt;
    return out;
}

// A JSON array of arrays of scalars (bulk rows).
inline std::optional<std::vector<std::vector<value>>> decode_json_rows(std::string_view s) {
    std::vector<std::vector<value>> out;
    std::size_t i = 0;
    const bool ok = json_detail::array(s, i, [&](std::string_view t, std::size_t& j) {
        out.emplace_back();
        return json_detail::array(t, j, [&](std::string_view u, std::size_t& k) {
            value v;
            if (!json_detail::scalar(u, k, v)) return false;
            out.back().push_back(std::move(v));
            return true;
        });
    });
    json_detail::skip_ws(s, i);
    if (!ok || i != s.size()) return std::nullopt;
    return out;
}

// A one-dimensional PostgreSQL array literal. Unquoted elements come back as numbers
// (their text), or null for NULL (any case); quoted ones as text. A NUL byte anywhere
// fails: libpq passes parameters as C strings.
inline std::optional<std::vector<value>> decode_pg_array(std::string_view s) {
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
    if (s.find('\0') != std::string_view::npos) return std::nullopt;
    std::size_t i = 0;
    while (i < s.size() && ws(s[i])) ++i;
    if (i >= s.size() || s[i] != '{') return std::nullopt;
    ++i;
    std::vector<value> out;
    while (i < s.size() && ws(s[i])) ++i;
    if (i < s.size() && s[i] == '}') {
        ++i;
    } else {
        for (;;) {
            while (i < s.size() && ws(s[i])) ++i;
            value v;
            if (i < s.size() && s[i] == '"') {
                v.k = value::kind::text;
                ++i;
                for (;;) {
                    if (i >= s.size()) return std::nullopt;
                    char c = s[i++];
                    if (c == '"') break;
                    if (c == '\\') {
                        if (i >= s.size()) return std::nullopt;
                        c = s[i++];
                    }
                    v.s += c;
                }
            } else {
                const std::size_t b = i;
                while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != '"' && s[i] != '\\' && s[i] != '{')
                    ++i;
                std::string t(s.substr(b, i - b));
                while (!t.empty() && ws(t.back())) t.pop_back();
                if (t.empty()) return std::nullopt;
                std::string lower;
                for (char c : t) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                if (lower == "null") {
                    v.k = value::kind::null;
                } else {
                    v.k = value::kind::number;
                    v.s = std::move(t);
                }
            }
            out.push_back(std::move(v));
            while (i < s.size() && ws(s[i])) ++i;
            if (i >= s.size()) return std::nullopt;
            if (s[i] == '}') {
                ++i;
                break;
            }
            if (s[i++] != ',') return std::nullopt;
        }
    }
    while (i < s.size() && ws(s[i])) ++i;
    if (i != s.size()) return std::nullopt;
    return out;
}

}  // namespace eagerload::fuzz
