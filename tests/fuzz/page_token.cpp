// libFuzzer target: page tokens (include/eagerload/page_token.hpp, src/page.cpp), the
// opaque text a client hands back for the next page.
//
// The first byte picks what the rest is. Properties, each a crash when broken:
//   - any text: decode_page_token returns or throws invalid_page_token, nothing else; a
//     text it accepts is canonical: encode_page_token of what it decoded is that text;
//   - a page key built from the bytes (side, shape, up to 64 values of every kind):
//     decode(encode(k)) == k, value for value, byte for byte (reals by their bits);
//     and the token altered in one character (any other character), or cut short by
//     one or more characters, throws invalid_page_token.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "eagerload/page_token.hpp"

namespace {

using eagerload::invalid_page_token;
using eagerload::detail::page_key;
using eagerload::detail::param;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "page_token fuzz: %s\n", what);
    std::abort();
}

bool same(const param& a, const param& b) {
    if (a.k != b.k) return false;
    switch (a.k) {
    case param::kind::null: return true;
    case param::kind::integer: return a.i == b.i;
    case param::kind::real: return std::memcmp(&a.d, &b.d, sizeof a.d) == 0;
    default: return a.s == b.s;
    }
}

bool same(const page_key& a, const page_key& b) {
    if (a.before != b.before || a.inclusive != b.inclusive || a.shape != b.shape || a.values.size() != b.values.size())
        return false;
    for (std::size_t i = 0; i < a.values.size(); ++i)
        if (!same(a.values[i], b.values[i])) return false;
    return true;
}

void any_text(std::string_view text) {
    page_key k;
    try {
        k = eagerload::detail::decode_page_token(text);
    } catch (const invalid_page_token&) {
        return;
    }
    if (eagerload::detail::encode_page_token(k) != text) fail("an accepted token is not what its key encodes to");
}

void rejects(const std::string& token, const char* what) {
    try {
        (void)eagerload::detail::decode_page_token(token);
    } catch (const invalid_page_token&) {
        return;
    }
    fail(what);
}

void round_trip(FuzzedDataProvider& in) {
    page_key k;
    k.before = in.ConsumeBool();
    k.inclusive = in.ConsumeBool();
    k.shape = in.ConsumeIntegral<std::uint64_t>();
    const std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 64);
    for (std::size_t i = 0; i < n && in.remaining_bytes() > 0; ++i) {
        switch (in.ConsumeIntegralInRange<int>(0, 5)) {
        case 0: k.values.emplace_back(); break;
        case 1: k.values.push_back(param::integer(in.ConsumeIntegral<long long>())); break;
        case 2: {
            const std::uint64_t bits = in.ConsumeIntegral<std::uint64_t>();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            k.values.push_back(param::real(d));
            break;
        }
        case 3: k.values.push_back(param::text(in.ConsumeRandomLengthString(256))); break;
        case 4: k.values.push_back(param::blob(in.ConsumeRandomLengthString(256))); break;
        default: k.values.push_back(param::decimal(in.ConsumeRandomLengthString(64))); break;
        }
    }
    const std::size_t where = in.ConsumeIntegral<std::size_t>();
    const unsigned char with = in.ConsumeIntegral<unsigned char>();
    const std::size_t cut = in.ConsumeIntegral<std::size_t>();

    const std::string token = eagerload::detail::encode_page_token(k);
    page_key back;
    try {
        back = eagerload::detail::decode_page_token(token);
    } catch (const invalid_page_token&) {
        fail("a token encode made does not decode");
    }
    if (!same(back, k)) fail("decode(encode(k)) is not k");

    std::string altered = token;
    const std::size_t at = where % token.size();
    altered[at] = static_cast<char>(with);
    if (altered != token) rejects(altered, "a token altered in one character decodes");
    rejects(token.substr(0, cut % token.size()), "a token cut short decodes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    if (data[0] & 1) {
        any_text(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    } else {
        FuzzedDataProvider in(data + 1, size - 1);
        round_trip(in);
    }
    return 0;
}
