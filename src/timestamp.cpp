#include "eagerload/timestamp.hpp"

#include <cstdint>
#include <stdexcept>

namespace eagerload {
namespace {

using std::chrono::days;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::sys_days;

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    out = v;
    return true;
}

// The instant `us` after the epoch as a timestamp, if one can hold it: system_clock counts
// nanoseconds in 64 bits with libstdc++ (1677-09-21 to 2262-04-11), and a duration_cast
// beyond that overflows (undefined behaviour, in practice a wrapped instant).
bool to_timestamp(microseconds us, timestamp& out) noexcept {
    constexpr auto lo = std::chrono::ceil<microseconds>(timestamp::duration::min());
    constexpr auto hi = std::chrono::floor<microseconds>(timestamp::duration::max());
    if (us < lo || us > hi) return false;
    out = timestamp{duration_cast<timestamp::duration>(us)};
    return true;
}

void put(char* p, unsigned v, int width) {
    for (int i = width - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
}

}  // namespace

std::string format_timestamp(timestamp t) {
    const auto us = std::chrono::floor<microseconds>(t.time_since_epoch());
    const auto day = std::chrono::floor<days>(us);
    const std::chrono::year_month_day ymd{sys_days{day}};
    const int year = static_cast<int>(ymd.year());
    if (year < 1 || year > 9999) throw std::out_of_range("eagerload: timestamp outside years 1..9999");
    auto rest = (us - day).count();  // microseconds into the day
    const auto micro = static_cast<unsigned>(rest % 1000000);
    rest /= 1000000;
    char buf[27] = "0000-00-00 00:00:00.000000";
    put(buf, static_cast<unsigned>(year), 4);
    put(buf + 5, static_cast<unsigned>(ymd.month()), 2);
    put(buf + 8, static_cast<unsigned>(ymd.day()), 2);
    put(buf + 11, static_cast<unsigned>(rest / 3600), 2);
    put(buf + 14, static_cast<unsigned>(rest / 60 % 60), 2);
    put(buf + 17, static_cast<unsigned>(rest % 60), 2);
    if (micro == 0) return std::string(buf, 19);
    put(buf + 20, micro, 6);
    return std::string(buf, 26);
}

bool parse_timestamp(std::string_view s, timestamp& out) noexcept {
    unsigned y, mo, d, h, mi, se;
    if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d) || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
        return false;
    std::size_t pos = 19;
    std::int64_t frac_us = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::int64_t scale = 100000;
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            frac_us += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start || pos - start > 9) return false;
    }
    // A UTC offset (timestamp with time zone, in any session time zone): Z, +HH,
    // +HH:MM, +HHMM or +HH:MM:SS (historical zones); the instant is converted to UTC.
    const std::string_view tail = s.substr(pos);
    std::int64_t offset_s = 0;
    if (!tail.empty() && tail != "Z") {
        unsigned oh = 0, om = 0, os = 0;
        if ((tail[0] != '+' && tail[0] != '-') || !digits(tail, 1, 2, oh)) return false;
        std::string_view rest = tail.substr(3);
        if (rest.size() == 2 && digits(rest, 0, 2, om)) rest = {};
        else if (rest.size() >= 3 && rest[0] == ':' && digits(rest, 1, 2, om)) rest = rest.substr(3);
        if (rest.size() == 3 && rest[0] == ':' && digits(rest, 1, 2, os)) rest = {};
        if (!rest.empty() || oh > 23 || om > 59 || os > 59) return false;
        offset_s = (tail[0] == '-' ? -1 : 1) * static_cast<std::int64_t>(oh * 3600 + om * 60 + os);
    }
    const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(y)}, std::chrono::month{mo},
                                          std::chrono::day{d}};
    if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return false;
    // Years 0..9999 in microseconds fit 64 bits; a timestamp may not hold them.
    const microseconds us = sys_days{ymd}.time_since_epoch() + std::chrono::hours{h} + std::chrono::minutes{mi} +
                            std::chrono::seconds{se} + microseconds{frac_us} - std::chrono::seconds{offset_s};
    return to_timestamp(us, out);
}

timestamp make_timestamp(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                         unsigned second, unsigned microsecond) {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                          std::chrono::day{day}};
    if (!ymd.ok()) throw std::invalid_argument("eagerload: make_timestamp: invalid date");
    const microseconds us = sys_days{ymd}.time_since_epoch() + std::chrono::hours{hour} +
                            std::chrono::minutes{minute} + std::chrono::seconds{second} + microseconds{microsecond};
    timestamp t;
    if (!to_timestamp(us, t))
        throw std::out_of_range("eagerload: make_timestamp: outside the range a timestamp holds (1677-09-21 to 2262-04-11)");
    return t;
}

}  // namespace eagerload
