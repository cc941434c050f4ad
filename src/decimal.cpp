// eagerload::decimal: exact decimal text, compared numerically.
#include "eagerload/decimal.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace eagerload {

namespace {
bool digit(char c) { return c >= '0' && c <= '9'; }

// The integer and fraction digits of a canonical text, without sign, leading zeros of
// the integer part and trailing zeros of the fraction.
struct parts {
    bool negative;
    std::string_view integer, fraction;
};
parts split(const std::string& s) {
    parts p{false, s, {}};
    std::string_view v = s;
    if (!v.empty() && v.front() == '-') {
        p.negative = true;
        v.remove_prefix(1);
    }
    const std::size_t dot = v.find('.');
    std::string_view i = v.substr(0, dot), f = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
    while (!i.empty() && i.front() == '0') i.remove_prefix(1);
    while (!f.empty() && f.back() == '0') f.remove_suffix(1);
    p.integer = i;
    p.fraction = f;
    if (i.empty() && f.empty()) p.negative = false;  // -0 is 0
    return p;
}
}  // namespace

std::optional<decimal> decimal::parse(std::string_view s) {
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    std::string integer, fraction;
    while (i < s.size() && digit(s[i])) integer += s[i++];
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && digit(s[i])) fraction += s[i++];
    }
    if (integer.empty() && fraction.empty()) return std::nullopt;
    long long exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exponent_negative = false;  // one sign at most: from_chars would take a '-' after a '+'
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) exponent_negative = s[i++] == '-';
        const char* first = s.data() + i;
        if (i == s.size() || !digit(s[i])) return std::nullopt;
        const auto r = std::from_chars(first, s.data() + s.size(), exponent);
        if (r.ec != std::errc{} || exponent > 10000) return std::nullopt;
        if (exponent_negative) exponent = -exponent;
        i = static_cast<std::size_t>(r.ptr - s.data());
    }
    if (i != s.size()) return std::nullopt;
    // Write the exponent out: move the point.
    for (; exponent > 0; --exponent) {
        integer += fraction.empty() ? '0' : fraction.front();
        if (!fraction.empty()) fraction.erase(0, 1);
    }
    for (; exponent < 0; ++exponent) {
        fraction.insert(fraction.begin(), integer.empty() ? '0' : integer.back());
        if (!integer.empty()) integer.pop_back();
    }
    const std::size_t nonzero = integer.find_first_not_of('0');
    integer = nonzero == std::string::npos ? "0" : integer.substr(nonzero);
    decimal d;
    const bool zero = integer == "0" && fraction.find_first_not_of('0') == std::string::npos;
    d.text_ = (negative && !zero ? "-" : "") + integer;
    if (!fraction.empty()) d.text_ += '.' + fraction;
    return d;
}

decimal::decimal(std::string_view text) {
    auto d = parse(text);
    if (!d) throw std::invalid_argument("eagerload: not a decimal number: '" + std::string(text.substr(0, 64)) + "'");
    text_ = std::move(d->text_);
}

double decimal::to_double() const { return std::strtod(text_.c_str(), nullptr); }

int decimal::compare(const decimal& a, const decimal& b) noexcept {
    const parts x = split(a.text_), y = split(b.text_);
    if (x.negative != y.negative) return x.negative ? -1 : 1;
    const int sign = x.negative ? -1 : 1;
    if (x.integer.size() != y.integer.size()) return x.integer.size() < y.integer.size() ? -sign : sign;
    if (const int c = x.integer.compare(y.integer); c != 0) return c < 0 ? -sign : sign;
    if (const int c = x.fraction.compare(y.fraction); c != 0) return c < 0 ? -sign : sign;
    return 0;
}

}  // namespace eagerload
