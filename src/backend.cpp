// The defaults of detail::backend (standard SQL) and the text helpers backends share.
#include "backend.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

namespace eagerload::detail {

void backend::begin(soci::session& s, isolation level, bool read_only) const {
    std::string sql = "BEGIN";
    switch (level) {
    case isolation::default_level: break;
    case isolation::read_committed: sql += " ISOLATION LEVEL READ COMMITTED"; break;
    case isolation::repeatable_read: sql += " ISOLATION LEVEL REPEATABLE READ"; break;
    case isolation::serializable: sql += " ISOLATION LEVEL SERIALIZABLE"; break;
    }
    if (read_only) sql += " READ ONLY";
    s << sql;
}

void backend::quote(std::string& out, std::string_view name) const {
    out += '"';
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string backend::table(std::string_view name) const {
    std::string out;
    for (std::size_t start = 0;;) {
        const std::size_t dot = name.find('.', start);
        quote(out, name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) return out;
        out += '.';
        start = dot + 1;
    }
}

std::string backend::limit_offset(const std::string* limit_ph, const std::string* offset_ph) const {
    std::string r;
    if (limit_ph) r = " LIMIT " + *limit_ph;
    if (offset_ph) r += " OFFSET " + *offset_ph;
    return r;
}

std::string backend::row_number(std::string_view partition_sql, std::string_view order_sql) const {
    return fmt::format("ROW_NUMBER() OVER (PARTITION BY {} ORDER BY {})", partition_sql, order_sql);
}

std::string format_double(double v) { return fmt::format("{}", v); }

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) out += fmt::format("\\u{:04x}", c);
            else out += ch;  // UTF-8 passes through as is
        }
    }
    out += '"';
}

std::string json_keys(std::span<const long long> keys) {
    std::string out;
    out.reserve(keys.size() * 8 + 2);
    out += '[';
    char buf[24];
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) out += ',';
        const auto r = fmt::format_to_n(buf, sizeof buf, "{}", keys[i]);
        out.append(buf, r.out);
    }
    out += ']';
    return out;
}

std::string json_keys(std::span<const std::string_view> keys) {
    std::string out = "[";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, keys[i]);
    }
    out += ']';
    return out;
}

}  // namespace eagerload::detail
