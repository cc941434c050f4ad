#pragma once
// The runtime vocabulary shared by the typed front end and the compiled back end:
// column types, bound parameter values, and the dialects.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace eagerload {

// The SQL dialects, one per registered backend (src/backends/registry.cpp).
enum class dialect { sqlite, postgresql, mariadb };

// "sqlite", "postgresql", "mariadb".
const char* to_string(dialect d) noexcept;

namespace detail {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

// How a column is declared and fetched. Integers and booleans travel as long long,
// timestamps as text (parsed by us: faster than SOCI's std::tm path, and SQLite has
// no date type).
enum class col_type : std::uint8_t { boolean, int32, int64, float64, text, timestamp };

const char* cpp_type_name(col_type t) noexcept;  // "int64_t", "std::string", ...

// One bound parameter. Lists are encoded into a single text value (JSON array for
// SQLite, array literal for PostgreSQL) so a statement never has one placeholder per
// element.
struct param {
    enum class kind : std::uint8_t { null, integer, real, text };
    kind k = kind::null;
    long long i = 0;
    double d = 0;
    std::string s;

    static param integer(long long v) { return param{kind::integer, v, 0, {}}; }
    static param real(double v) { return param{kind::real, 0, v, {}}; }
    static param text(std::string v) { return param{kind::text, 0, 0, std::move(v)}; }
};

using params = std::vector<param>;

}  // namespace detail
}  // namespace eagerload
