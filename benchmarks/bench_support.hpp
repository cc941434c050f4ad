#pragma once
// Helpers shared by the Google Benchmark programs: environment flags, process memory
// from /proc, and whether --benchmark_filter selects a name.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace bench_support {

inline bool env_flag(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::string(v) != "0";
}

// A field of /proc/self/status (VmRSS, VmHWM, ...) in MiB; -1 when unreadable.
inline double status_mb(const char* field) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(f, line)) {
        if (line.rfind(prefix, 0) == 0) {
            std::istringstream in(line.substr(prefix.size()));
            double kb = 0;
            in >> kb;
            return kb / 1024.0;
        }
    }
    return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0): then VmHWM is this benchmark's peak.
inline bool reset_peak_rss() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
    f.flush();
    return static_cast<bool>(f);
}

// Whether a benchmark of this name would run under --benchmark_filter (a regex searched
// in the name; a leading '-' negates it), so that data no selected benchmark needs is
// not generated.
inline bool selected(const std::string& name) {
    std::string filter = benchmark::GetBenchmarkFilter();
    if (filter.empty() || filter == "." || filter == "all") return true;
    bool negate = false;
    if (filter.front() == '-') negate = true, filter.erase(0, 1);
    try {
        return std::regex_search(name, std::regex(filter, std::regex::extended)) != negate;
    } catch (const std::regex_error&) {
        return true;  // Google Benchmark reports the bad filter itself
    }
}

}  // namespace bench_support
