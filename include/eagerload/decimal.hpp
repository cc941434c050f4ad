#pragma once
// An exact decimal number, for NUMERIC / DECIMAL(p,s) columns: it holds the decimal
// text the database printed ("12.50", scale kept), so no digit is lost on the way in,
// and binds that same text on the way out (the database rounds it to the column's
// scale as it would any literal). Comparisons are numeric: decimal("1.50") ==
// decimal("1.5"), decimal("-0") == decimal("0").
//
//   eagerload::decimal price("19.99");
//   price.str();        // "19.99", exactly
//   price.to_double();  // 19.99, the nearest double
//   price < eagerload::decimal("20");
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace eagerload {

class decimal {
public:
    decimal() = default;  // 0
    // [+-]digits[.digits][e[+-]digits] (or .digits); throws std::invalid_argument otherwise
    // (NaN and infinities are no decimals). An exponent is written out: "1.5e3" -> "1500".
    explicit decimal(std::string_view text);
    explicit decimal(long long v) : text_(std::to_string(v)) {}
    // nullopt instead of throwing.
    static std::optional<decimal> parse(std::string_view text);

    // The exact decimal text: an optional '-', digits, and '.' with the fraction's digits
    // (as many as the database's scale gave).
    const std::string& str() const noexcept { return text_; }
    // The nearest double.
    double to_double() const;

    friend bool operator==(const decimal& a, const decimal& b) noexcept { return compare(a, b) == 0; }
    friend std::strong_ordering operator<=>(const decimal& a, const decimal& b) noexcept { return compare(a, b) <=> 0; }

private:
    static int compare(const decimal& a, const decimal& b) noexcept;
    std::string text_ = "0";
};

}  // namespace eagerload
