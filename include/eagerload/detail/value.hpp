#pragma once
// The runtime vocabulary shared by the typed front end and the compiled back end:
// column types, bound parameter values, and the dialects.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eagerload {

// The SQL dialects, one per registered backend (src/backends/registry.cpp).
enum class dialect { sqlite, postgresql, mariadb };

// "sqlite", "postgresql", "mariadb".
const char* to_string(dialect d) noexcept;

namespace detail {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

// How a column is declared and fetched. Integers, booleans and enums travel as long
// long (a text enum as the index of its text), floats as double, bytes and decimals as
// text (the raw bytes; the exact decimal text), timestamps as text (parsed by us:
// faster than SOCI's std::tm path, and SQLite has no date type).
enum class col_type : std::uint8_t {
    boolean, int16, int32, int64, float32, float64, text, timestamp, bytes, decimal, enum_text
};

const char* cpp_type_name(col_type t) noexcept;  // "int64_t", "std::string", ...

// The values an enum member may hold (eagerload::enum_values<E>): a text enum's texts,
// in declaration order (a fetched text is stored as its index), or an integer enum's
// integers. A stored value outside it is a conversion_error.
struct value_domain {
    std::vector<std::string_view> texts;
    std::vector<long long> ints;
    std::string cpp_name;  // the enum's C++ name, for messages
};

// One bound parameter. Lists are encoded into a single text value (JSON array for
// SQLite, array literal for PostgreSQL) so a statement never has one placeholder per
// element.
// `blob`: raw bytes in `s`; `decimal`: the exact decimal text in `s` (a backend may
// bind it with a cast, so that the database compares it as a decimal, not as text).
struct param {
    enum class kind : std::uint8_t { null, integer, real, text, blob, decimal };
    kind k = kind::null;
    long long i = 0;
    double d = 0;
    std::string s;

    static param integer(long long v) { return param{kind::integer, v, 0, {}}; }
    static param real(double v) { return param{kind::real, 0, v, {}}; }
    static param text(std::string v) { return param{kind::text, 0, 0, std::move(v)}; }
    static param blob(std::string v) { return param{kind::blob, 0, 0, std::move(v)}; }
    static param decimal(std::string v) { return param{kind::decimal, 0, 0, std::move(v)}; }
};

using params = std::vector<param>;

}  // namespace detail
}  // namespace eagerload
