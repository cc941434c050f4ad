#pragma once
// Strings that break SQL built by pasting values: the one corpus of the tests that
// send text to the database (reads in query/select_test.cpp, every write in
// write/hostile_write_test.cpp). Each must be stored and read back verbatim.
#include <string>
#include <vector>

namespace eagerload_test {

inline std::vector<std::string> hostile_strings() {
    return {"it's",
            "\"quoted\"",
            "back\\slash",
            "'; DROP TABLE users; --",
            "ünïcødé ✓ 日本 😀",
            "",
            "a:p1 :p2",
            "line\nbreak\ttab",
            "{1,2}",
            "[\"json\"]",
            "NULL",
            "percent % _ like",
            "/* comment */ -- dash # hash",
            "\u2018curly\u2019 \u201cquotes\u201d \u02bcmodifier",
            "\U0001F600\U0001F680\U00010348 4-byte",
            std::string("ctl \x01\x02\x1b\x7f end"),
            "`backtick` $1 ? :name",
            "\\'; SELECT 1; --"};
}

// A NUL inside a value: only where the database's text can hold one (backend_quirks::text_holds_nul).
inline std::string string_with_nul() { return std::string("before\0after", 12); }

// One megabyte of text.
inline std::string megabyte_string() {
    std::string s;
    s.reserve(1 << 20);
    while (s.size() < (1 << 20)) s += "0123456789abcdef'\"\\";
    s.resize(1 << 20);
    return s;
}

}  // namespace eagerload_test
