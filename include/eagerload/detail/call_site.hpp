#pragma once
// Where the application called eagerload: the outermost select/load/get/count call on
// this thread, captured with std::source_location by those calls and read by the N+1
// detector (eagerload/detector.hpp). Costs a thread-local read and write per call.
#include <version>
#ifdef __cpp_lib_source_location
#include <source_location>
#endif

namespace eagerload {
#ifdef __cpp_lib_source_location
using source_location = std::source_location;
#else
// A standard library without std::source_location (libstdc++ 12 under Clang 14, which
// lacks __builtin_source_location): call sites are unknown, everything else works.
struct source_location {
    static constexpr source_location current() noexcept { return {}; }
    constexpr const char* file_name() const noexcept { return ""; }
    constexpr const char* function_name() const noexcept { return ""; }
    constexpr unsigned line() const noexcept { return 0; }
    constexpr unsigned column() const noexcept { return 0; }
};
#endif
}  // namespace eagerload

namespace eagerload::detail {

class call_site {
public:
    explicit call_site(const source_location& where) noexcept : outermost_(current_ == nullptr) {
        if (outermost_) current_ = &where;
    }
    ~call_site() {
        if (outermost_) current_ = nullptr;
    }
    call_site(const call_site&) = delete;
    call_site& operator=(const call_site&) = delete;

    // The application's call that the running statement belongs to; null when the
    // statement does not come from one of those calls.
    static const source_location* current() noexcept { return current_; }

private:
    bool outermost_;
    inline static thread_local const source_location* current_ = nullptr;
};

}  // namespace eagerload::detail
