// libFuzzer target: parse_timestamp (src/timestamp.cpp) on any bytes, the text every
// backend's row path hands it for a timestamp column.
//
// Properties, each a crash when broken: parsing never reads out of bounds nor overflows
// (ASan, UBSan); whatever parses formats, and the formatted text parses back to the same
// instant at microseconds and formats the same again; and without a UTC offset or a leap
// second, the formatted text is the input's fields (T as a space, the fraction cut to
// six digits and left out when zero).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eagerload/timestamp.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "timestamp fuzz: %s\n", what);
    std::abort();
}

// The text format_timestamp must give for input `s` without an offset: its fields as they are.
std::string expected_text(std::string_view s) {
    std::string out(s.substr(0, 19));
    out[10] = ' ';
    std::string frac;
    if (s.size() > 20) frac = std::string(s.substr(20, 6));
    frac.resize(6, '0');
    if (frac != "000000") out += '.' + frac;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view s(reinterpret_cast<const char*>(data), size);
    eagerload::timestamp t;
    if (!eagerload::parse_timestamp(s, t)) return 0;
    const std::string text = eagerload::format_timestamp(t);  // an exception aborts: a finding
    eagerload::timestamp back;
    if (!eagerload::parse_timestamp(text, back)) fail("the formatted text does not parse");
    if (back != std::chrono::floor<std::chrono::microseconds>(t)) fail("the formatted text is another instant");
    if (eagerload::format_timestamp(back) != text) fail("formatting is not stable");
    const bool offset = s.find_first_of("+-Z", 19) != std::string_view::npos;
    const bool leap = s.substr(17, 2) == "60";
    if (!offset && !leap && text != expected_text(s)) fail("the formatted text is not the input's fields");
    return 0;
}
