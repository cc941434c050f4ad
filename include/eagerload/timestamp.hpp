#pragma once
// Timestamps: std::chrono::system_clock::time_point, stored as UTC `timestamp`
// (without time zone) at microsecond precision, the precision PostgreSQL keeps.
// With libstdc++ it counts nanoseconds in 64 bits: it holds 1677-09-21 00:12:43.145225
// to 2262-04-11 23:47:16.854775 UTC; a stored value outside that is no timestamp.
#include <chrono>
#include <string>
#include <string_view>

namespace eagerload {

using timestamp = std::chrono::system_clock::time_point;

// "YYYY-MM-DD HH:MM:SS" with ".ffffff" appended when the microseconds are not zero:
// the text form both backends store and compare (SQLite compares it as text).
std::string format_timestamp(timestamp t);

// Parses "YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}][offset]", the offset being Z, +HH, +HH:MM,
// +HHMM or +HH:MM:SS (or -): a timestamp with time zone is read as the UTC instant it
// is, whatever the session's time zone. Returns false on bad input, and on an instant
// a timestamp cannot hold (a load then throws conversion_error).
bool parse_timestamp(std::string_view text, timestamp& out) noexcept;

// A timestamp from calendar fields, in UTC: handy for tests and data generators.
// Throws std::invalid_argument for a bad date, std::out_of_range beyond the range above.
timestamp make_timestamp(int year, unsigned month, unsigned day, unsigned hour = 0,
                         unsigned minute = 0, unsigned second = 0, unsigned microsecond = 0);

}  // namespace eagerload
