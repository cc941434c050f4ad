// Keyset pages: the page token's encoding (a pure pair, see page_token.hpp) and the
// keyset condition, built as a where() tree so that the renderer binds every value.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "eagerload/detail/select_spec.hpp"
#include "eagerload/model.hpp"
#include "eagerload/select.hpp"  // and page.hpp, included at its end

namespace eagerload::detail {
namespace {

// --- the pure pair -------------------------------------------------------------
// Layout (before base64url, no padding):
//   version (1) | side ('a' after, 'b' before; 'A', 'B': the row included) | shape (8, little endian) |
//   value count (1) | values | checksum (8: FNV-1a 64 of everything before it)
// A value: 'n' (null) | 'i' + 8 bytes | 'r' + 8 bytes (IEEE bits) | 't' + length (4) + bytes.
constexpr unsigned char token_version = 1;
constexpr std::size_t max_values = 64;
constexpr std::size_t max_text = 1 << 20;

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ULL) {
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view in) {
    std::string out;
    out.reserve((in.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += b64[(v >> s) & 63];
    }
    const std::size_t rest = in.size() - i;
    if (rest) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += b64[(v >> 18) & 63];
        out += b64[(v >> 12) & 63];
        if (rest == 2) out += b64[(v >> 6) & 63];
    }
    return out;
}

[[noreturn]] void bad_token(const std::string& why) {
    throw invalid_page_token("eagerload: invalid page token: " + why);
}

std::string unbase64url(std::string_view in) {
    if (in.size() % 4 == 1) bad_token("truncated (its length is not one base64url can have)");
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    for (char ch : in) {
        const char* p = ch ? std::strchr(b64, ch) : nullptr;
        if (!p) bad_token("it is not base64url text (A-Z a-z 0-9 - _)");
        acc = (acc << 6) | static_cast<unsigned>(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    if (acc & ((1u << bits) - 1)) bad_token("altered (stray bits at its end)");
    return out;
}

struct reader {
    std::string_view in;
    std::size_t at = 0;
    void need(std::size_t n) {
        if (in.size() - at < n) bad_token("truncated");
    }
    unsigned char byte() {
        need(1);
        return static_cast<unsigned char>(in[at++]);
    }
    std::uint64_t u64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
        at += 8;
        return v;
    }
};

}  // namespace

std::string encode_page_token(const page_key& k) {
    if (k.values.size() > max_values) throw std::invalid_argument("eagerload: a page token holds at most 64 values");
    std::string raw;
    raw += static_cast<char>(token_version);
    raw += static_cast<char>((k.before ? 'b' : 'a') - (k.inclusive ? 'a' - 'A' : 0));
    put_u64(raw, k.shape);
    raw += static_cast<char>(k.values.size());
    for (const param& p : k.values) {
        switch (p.k) {
        case param::kind::null: raw += 'n'; break;
        case param::kind::integer:
            raw += 'i';
            put_u64(raw, static_cast<std::uint64_t>(p.i));
            break;
        case param::kind::real: {
            raw += 'r';
            std::uint64_t bits;
            std::memcpy(&bits, &p.d, sizeof bits);
            put_u64(raw, bits);
            break;
        }
        case param::kind::text:
        case param::kind::blob:
        case param::kind::decimal:
            if (p.s.size() > max_text) throw std::invalid_argument("eagerload: a page token's text is at most 1 MiB");
            raw += p.k == param::kind::text ? 't' : p.k == param::kind::blob ? 'y' : 'd';
            for (int i = 0; i < 4; ++i) raw += static_cast<char>((p.s.size() >> (8 * i)) & 0xff);
            raw += p.s;
            break;
        }
    }
    put_u64(raw, fnv1a(raw));
    return base64url(raw);
}

page_key decode_page_token(std::string_view token) {
    if (token.empty()) bad_token("it is empty (the first page takes no token)");
    const std::string raw = unbase64url(token);
    if (raw.size() < 1 + 1 + 8 + 1 + 8) bad_token("truncated");
    const std::string_view body(raw.data(), raw.size() - 8);
    reader tail{raw, raw.size() - 8};
    if (tail.u64() != fnv1a(body)) bad_token("altered or truncated (its checksum does not match)");
    reader r{body};
    if (r.byte() != token_version) bad_token("made by another version of eagerload");
    page_key k;
    const unsigned char side = r.byte();
    if (side != 'a' && side != 'b' && side != 'A' && side != 'B') bad_token("altered (unknown side)");
    k.before = side == 'b' || side == 'B';
    k.inclusive = side == 'A' || side == 'B';
    k.shape = r.u64();
    const std::size_t n = r.byte();
    if (n > max_values) bad_token("altered (too many values)");
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char tag = r.byte();
        switch (tag) {
        case 'n': k.values.emplace_back(); break;
        case 'i': k.values.push_back(param::integer(static_cast<long long>(r.u64()))); break;
        case 'r': {
            const std::uint64_t bits = r.u64();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            k.values.push_back(param::real(d));
            break;
        }
        case 't':
        case 'y':
        case 'd': {
            std::size_t len = 0;
            for (int b = 0; b < 4; ++b) len |= static_cast<std::size_t>(r.byte()) << (8 * b);
            if (len > max_text) bad_token("altered (text too long)");
            r.need(len);
            std::string v(body.substr(r.at, len));
            k.values.push_back(tag == 't' ? param::text(std::move(v))
                               : tag == 'y' ? param::blob(std::move(v))
                                            : param::decimal(std::move(v)));
            r.at += len;
            break;
        }
        default: bad_token("altered (unknown value type)");
        }
    }
    if (r.at != body.size()) bad_token("altered (bytes after its values)");
    return k;
}

// --- keysets ----------------------------------------------------------------------

keyset keyset_of(const select_spec& s) {
    const table_info& t = *s.table;
    keyset k;
    k.table = &t;
    bool has_key = false;
    for (const order_item& o : s.order) {
        std::size_t c = 0;
        while (c < t.columns.size() && t.columns[c].name != o.column) ++c;
        if (c == t.columns.size())
            throw error("eagerload: order_by() names column \"" + o.column + "\", which table \"" + t.name +
                        "\" does not have");
        k.columns.push_back(c);
        k.descending.push_back(o.descending);
        if (c == t.key) {
            has_key = true;
            break;  // the key is unique: later keys never decide
        }
    }
    if (!has_key) {
        k.columns.push_back(t.key);
        k.descending.push_back(false);
    }
    std::string shape = t.name;
    for (std::size_t i = 0; i < k.columns.size(); ++i) {
        shape += '\0';
        shape += t.columns[k.columns[i]].name;
        shape += '\0';
        shape += k.descending[i] ? 'd' : 'a';
        shape += static_cast<char>('0' + static_cast<int>(t.columns[k.columns[i]].type));
    }
    k.shape = fnv1a(shape);
    return k;
}

namespace {

std::string describe_keys(const keyset& k) {
    std::string out;
    for (std::size_t i = 0; i < k.columns.size(); ++i) {
        if (i) out += ", ";
        out += k.table->columns[k.columns[i]].name;
        out += k.descending[i] ? " desc" : " asc";
    }
    return out;
}

// Whether `p` is a value of column type `t`, as to_param makes them.
bool fits(const param& p, col_type t) {
    switch (t) {
    case col_type::boolean: return p.k == param::kind::integer && (p.i == 0 || p.i == 1);
    case col_type::int32:
        return p.k == param::kind::integer && p.i >= std::numeric_limits<std::int32_t>::min() &&
               p.i <= std::numeric_limits<std::int32_t>::max();
    case col_type::int16:
        return p.k == param::kind::integer && p.i >= std::numeric_limits<std::int16_t>::min() &&
               p.i <= std::numeric_limits<std::int16_t>::max();
    case col_type::int64: return p.k == param::kind::integer;
    case col_type::float32:
        return p.k == param::kind::real && std::isfinite(p.d) && static_cast<double>(static_cast<float>(p.d)) == p.d;
    case col_type::float64: return p.k == param::kind::real && std::isfinite(p.d);
    case col_type::text:
    case col_type::enum_text: return p.k == param::kind::text;
    case col_type::bytes: return p.k == param::kind::blob;
    case col_type::decimal: return p.k == param::kind::decimal;
    case col_type::timestamp: {
        timestamp ts;
        return p.k == param::kind::text && parse_timestamp(p.s, ts) && format_timestamp(ts) == p.s;
    }
    }
    return false;
}

}  // namespace

page_key read_page_token(const keyset& k, std::string_view token) {
    page_key key = decode_page_token(token);
    const table_info& t = *k.table;
    if (key.shape != k.shape)
        throw invalid_page_token("eagerload: invalid page token: it was made by another query, not one of table \"" +
                                 t.name + "\" ordered by " + describe_keys(k));
    if (key.values.size() != k.columns.size())
        bad_token("altered (it holds " + std::to_string(key.values.size()) + " values for the " +
                  std::to_string(k.columns.size()) + " order keys of table \"" + t.name + "\")");
    for (std::size_t i = 0; i < k.columns.size(); ++i) {
        const column_info& c = t.columns[k.columns[i]];
        if (!fits(key.values[i], c.type))
            bad_token("altered (its value for \"" + t.name + "\".\"" + c.name + "\" is not a " +
                      cpp_type_name(c.type) + ")");
    }
    return key;
}

void check_keys_loaded(const level_spec& spec, const keyset& k) {
    for (std::size_t c : k.columns) {
        const bool loaded = std::any_of(spec.columns.begin(), spec.columns.end(), [&](const column_source& s) {
            return s.segment == 0 && s.table == k.table && s.column == c;
        });
        if (!loaded)
            throw error("eagerload: keyed pages of \"" + k.table->name + "\" are made of its order keys, but this query's "
                        ".only<...>() does not load \"" + k.table->columns[c].name + "\": name it in only<...>()");
    }
}

void throw_keys_not_kept(const keyset& k) {
    throw error("eagerload: keyed pages of \"" + k.table->name +
                "\": a row of this projected query does not keep every order key; name them in only<...>()");
}

void check_page_size(const keyset& k, std::size_t size) {
    if (size == 0 || size >= static_cast<std::size_t>(std::numeric_limits<long long>::max()))
        throw std::invalid_argument("eagerload: page size " + std::to_string(size) + " on table \"" + k.table->name +
                                    "\": must be at least 1");
}

std::string keyset_token(const keyset& k, bool before, params values, bool inclusive) {
    page_key key;
    key.before = before;
    key.inclusive = inclusive;
    key.shape = k.shape;
    key.values = std::move(values);
    return encode_page_token(key);
}

select_spec keyset_select(const select_spec& s, const keyset& k, const page_key* key, long long limit) {
    select_spec out = s;
    const bool before = key && key->before;
    // A page before runs in reverse order, nearest row first; the caller reverses it.
    out.order.clear();
    for (std::size_t i = 0; i < k.columns.size(); ++i)
        out.order.push_back({k.table->columns[k.columns[i]].name, k.descending[i] != before});
    out.limit = limit;
    out.offset.reset();
    if (!key) return out;
    if (key->values.size() != k.columns.size())
        throw std::invalid_argument("eagerload: a page key of table \"" + k.table->name + "\" needs " +
                                    std::to_string(k.columns.size()) + " values");
    for (std::size_t i = 0; i < k.columns.size(); ++i)
        if (key->values[i].k == param::kind::null)
            throw std::invalid_argument("eagerload: the order key \"" + k.table->name + "\".\"" +
                                        k.table->columns[k.columns[i]].name + "\" of a page is NULL");
    // (k1 > v1) OR (k1 = v1 AND k2 < v2) OR ... : each key in its own direction, so
    // mixed directions work on every backend (row values compare all one way). The
    // leading k1 >= v1 lets an index on k1 bound the scan.
    using op = cond_node::op;
    auto column = [&](std::size_t i, op o) {
        const column_info& c = k.table->columns[k.columns[i]];
        return cond_node::on_column(o, c.name, c.type, {key->values[i]});
    };
    auto strict = [&](std::size_t i) { return (k.descending[i] != before) ? op::lt : op::gt; };
    cond_ptr any;
    for (std::size_t i = 0; i < k.columns.size(); ++i) {
        op o = strict(i);
        if (key->inclusive && i + 1 == k.columns.size()) o = o == op::lt ? op::le : op::ge;  // the row itself too
        cond_ptr term = column(i, o);
        for (std::size_t j = i; j-- > 0;) term = cond_node::logical(op::and_, column(j, op::eq), term);
        any = any ? cond_node::logical(op::or_, any, term) : term;
    }
    if (k.columns.size() > 1) any = cond_node::logical(op::and_, column(0, strict(0) == op::lt ? op::le : op::ge), any);
    out.where = out.where ? cond_node::logical(op::and_, out.where, any) : any;
    return out;
}

}  // namespace eagerload::detail
