// libFuzzer target: the lists eagerload encodes into ONE text parameter, decoded as the
// database decodes them. The library only encodes (nothing it reads back is JSON or an
// array); a wrong escape would make the database read other keys, or fail. So the target
// encodes fuzzed lists with every backend's encoder (src/backend.hpp: encode_keys for a
// level's parent keys, encode_list for in-lists, json_rows for bulk inserts) and decodes
// the text with the reference decoders of reference_decode.hpp (JSON per RFC 8259 for
// SQLite's json_each and MariaDB's JSON_TABLE, PostgreSQL's array input syntax): the
// decoded list must be the input list, value for value, byte for byte.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "backend.hpp"
#include "reference_decode.hpp"

using eagerload::dialect;
using eagerload::detail::param;
namespace ref = eagerload::fuzz;

namespace {

[[noreturn]] void fail(const char* what, dialect d) {
    std::fprintf(stderr, "key_encoding fuzz: %s (%s)\n", what, eagerload::to_string(d));
    std::abort();
}

bool same(const param& a, const ref::value& b) {
    switch (a.k) {
    case param::kind::null: return b.k == ref::value::kind::null;
    case param::kind::integer: return b.k == ref::value::kind::number && ref::same_integer(a.i, b.s);
    case param::kind::real: return b.k == ref::value::kind::number && ref::same_double(a.d, b.s);
    case param::kind::text: return b.k == ref::value::kind::text && b.s == a.s;
    }
    return false;
}

bool same(const std::vector<param>& in, const std::vector<ref::value>& out) {
    if (in.size() != out.size()) return false;
    for (std::size_t i = 0; i < in.size(); ++i)
        if (!same(in[i], out[i])) return false;
    return true;
}

std::optional<std::vector<ref::value>> decode(dialect d, std::string_view text) {
    return d == dialect::postgresql ? ref::decode_pg_array(text) : ref::decode_json_array(text);
}

param fuzzed_param(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: return param{};
    case 1: return param::integer(in.ConsumeIntegral<long long>());
    case 2: return param::real(in.ConsumeFloatingPoint<double>());
    default: return param::text(in.ConsumeRandomLengthString(64));
    }
}

// PostgreSQL takes text parameters as C strings: a NUL would cut the list. Values with a
// NUL are issue 8's "values" item (another change); the target leaves them out there.
bool has_nul(const param& p) { return p.k == param::kind::text && p.s.find('\0') != std::string::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const auto d = static_cast<dialect>(in.ConsumeIntegralInRange(0, 2));
    const auto& be = eagerload::detail::backend_for(d);
    const bool pg = d == dialect::postgresql;
    switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: {  // a level's integer parent keys
        std::vector<long long> keys;
        while (in.remaining_bytes() > 0 && keys.size() < 256) keys.push_back(in.ConsumeIntegral<long long>());
        std::vector<param> as_params;
        for (long long k : keys) as_params.push_back(param::integer(k));
        const auto out = decode(d, be.encode_keys(std::span<const long long>(keys)));
        if (!out || !same(as_params, *out)) fail("integer keys decode to other keys", d);
        break;
    }
    case 1: {  // a level's text parent keys
        std::vector<std::string> keys;
        while (in.remaining_bytes() > 0 && keys.size() < 64) {
            keys.push_back(in.ConsumeRandomLengthString(64));
            if (pg && keys.back().find('\0') != std::string::npos) return 0;
        }
        std::vector<std::string_view> views(keys.begin(), keys.end());
        std::vector<param> as_params;
        for (const auto& k : keys) as_params.push_back(param::text(k));
        const auto out = decode(d, be.encode_keys(std::span<const std::string_view>(views)));
        if (!out || !same(as_params, *out)) fail("text keys decode to other keys", d);
        break;
    }
    case 2: {  // an in-list of values (where(col.in(...)))
        std::vector<param> items;
        while (in.remaining_bytes() > 0 && items.size() < 64) {
            items.push_back(fuzzed_param(in));
            if (pg && has_nul(items.back())) return 0;
        }
        std::string text;
        try {
            text = be.encode_list(eagerload::detail::col_type::text, items);
        } catch (const std::invalid_argument&) {
            // JSON has no NaN or infinity: SQLite and MariaDB refuse them, clearly.
            bool non_finite = false;
            for (const auto& p : items) non_finite |= p.k == param::kind::real && !std::isfinite(p.d);
            if (pg || !non_finite) fail("an encodable list refused", d);
            return 0;
        }
        const auto out = decode(d, text);
        if (!out || !same(items, *out)) fail("an in-list decodes to other values", d);
        break;
    }
    default: {  // bulk rows for SQLite and MariaDB (column-major in, row arrays out)
        if (pg) return 0;  // PostgreSQL binds one array per column: encode_list above
        const std::size_t ncols = in.ConsumeIntegralInRange<std::size_t>(1, 4);
        std::vector<std::vector<param>> columns(ncols);
        while (in.remaining_bytes() > 0 && columns[0].size() < 32)
            for (auto& c : columns) {
                param p = fuzzed_param(in);
                if (p.k == param::kind::real && !std::isfinite(p.d)) p = param::real(0.5);
                c.push_back(std::move(p));
            }
        const auto out = ref::decode_json_rows(eagerload::detail::json_rows(columns, "fuzz"));
        if (!out || out->size() != columns[0].size()) fail("bulk rows decode to another row count", d);
        for (std::size_t r = 0; r < out->size(); ++r) {
            if ((*out)[r].size() != ncols) fail("a bulk row decodes to another column count", d);
            for (std::size_t c = 0; c < ncols; ++c)
                if (!same(columns[c][r], (*out)[r][c])) fail("a bulk value decodes to another value", d);
        }
        break;
    }
    }
    return 0;
}
