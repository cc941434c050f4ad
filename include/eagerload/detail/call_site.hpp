#pragma once
// Where the application called eagerload: the outermost select/load/get/count call on
// this thread, captured with std::source_location by those calls and read by the N+1
// detector (eagerload/detector.hpp). Costs a thread-local read and write per call.
#include <source_location>

namespace eagerload::detail {

class call_site {
public:
    explicit call_site(const std::source_location& where) noexcept : outermost_(current_ == nullptr) {
        if (outermost_) current_ = &where;
    }
    ~call_site() {
        if (outermost_) current_ = nullptr;
    }
    call_site(const call_site&) = delete;
    call_site& operator=(const call_site&) = delete;

    // The application's call that the running statement belongs to; null when the
    // statement does not come from one of those calls.
    static const std::source_location* current() noexcept { return current_; }

private:
    bool outermost_;
    inline static thread_local const std::source_location* current_ = nullptr;
};

}  // namespace eagerload::detail
