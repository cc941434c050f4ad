#pragma once
// doctest helpers: assert how many statements a block runs, and on failure print
// every statement that ran (what Django's assertNumQueries does).
//
//   EAGERLOAD_CHECK_STATEMENTS(db, 4) { dashboard.load(db); }
//   EAGERLOAD_REQUIRE_STATEMENTS(db, 1) { select<User>().all(db); }
#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include "eagerload/counter.hpp"

namespace eagerload::testing {

class statement_check {
public:
    statement_check(const database& db, std::size_t expected, const char* file, int line, bool require)
        : counter_(db), expected_(expected), file_(file), line_(line), require_(require) {}

    bool pending() const noexcept { return pending_; }

    // What a failed check reports: the counts, then every statement that ran, numbered.
    static std::string failure_message(std::size_t expected, const query_counter& counter) {
        return "expected " + std::to_string(expected) + " statement(s), " + std::to_string(counter.count()) +
               " ran:\n" + counter.report();
    }

    void finish() {
        pending_ = false;
        if (counter_.count() == expected_) return;
        const std::string msg = failure_message(expected_, counter_);
        if (require_) ADD_FAIL_AT(file_, line_, msg);
        else ADD_FAIL_CHECK_AT(file_, line_, msg);
    }

private:
    query_counter counter_;
    std::size_t expected_;
    const char* file_;
    int line_;
    bool require_;
    bool pending_ = true;
};

}  // namespace eagerload::testing

#define EAGERLOAD_STATEMENTS_IMPL_(db, n, require)                                                         \
    for (::eagerload::testing::statement_check eagerload_check_((db), (n), __FILE__, __LINE__, require); \
         eagerload_check_.pending(); eagerload_check_.finish())

// Runs the following block and checks it executed exactly `n` statements on `db`.
#define EAGERLOAD_CHECK_STATEMENTS(db, n) EAGERLOAD_STATEMENTS_IMPL_(db, n, false)
// Same, but stops the test case on failure.
#define EAGERLOAD_REQUIRE_STATEMENTS(db, n) EAGERLOAD_STATEMENTS_IMPL_(db, n, true)
