#pragma once
// doctest helpers: statement budgets for a block of code. Each runs the block that
// follows it and fails the test case (CHECK: carries on; REQUIRE: stops it) when the
// block broke its budget, printing every statement that ran, numbered, with its
// duration, rows, connection and thread (what Django's assertNumQueries does, more).
// They count every statement on the handle, from every thread and pooled session.
//
//   EAGERLOAD_CHECK_STATEMENTS(db, 4) { dashboard.load(db); }          // exactly 4
//   EAGERLOAD_CHECK_AT_MOST(db, 5) { handler(db); }                    // at most 5
//   EAGERLOAD_CHECK_PLAN(db, dashboard.plan(db.sql_dialect())) {       // exactly the plan's
//       dashboard.load(db);                                            // statements, in order
//   }
//   EAGERLOAD_CHECK_NO_STATEMENTS(db) { render(page); }                // none: each is refused
//
// The NO_STATEMENTS form refuses each statement of its thread before it runs (it
// throws eagerload::statement_forbidden, see no_statements.hpp) and fails the check
// even if the block caught that exception.
#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eagerload/counter.hpp"
#include "eagerload/no_statements.hpp"
#include "eagerload/plan.hpp"

namespace eagerload::testing {

enum class budget_kind { exactly, at_most, plan, none };

class statement_check {
public:
    statement_check(const database& db, std::size_t expected, const char* file, int line, bool require,
                    budget_kind kind = budget_kind::exactly)
        : counter_(db), expected_(expected), file_(file), line_(line), require_(require), kind_(kind) {
        if (kind_ == budget_kind::none) guard_.emplace(db);
    }
    statement_check(const database& db, const plan& p, const char* file, int line, bool require)
        : statement_check(db, p.size(), file, line, require, budget_kind::plan) {
        plan_ = p.statements;
    }

    bool pending() const noexcept { return pending_; }

    // What a failed exact count reports: the counts, then every statement that ran, numbered.
    static std::string failure_message(std::size_t expected, const query_counter& counter) {
        return "expected " + std::to_string(expected) + " statement(s), " + std::to_string(counter.count()) +
               " ran:\n" + counter.report();
    }

    // Empty when the block kept its budget, else what the failure reports.
    std::string verdict() const {
        const std::size_t n = counter_.count();
        switch (kind_) {
        case budget_kind::exactly:
            return n == expected_ ? std::string() : failure_message(expected_, counter_);
        case budget_kind::at_most:
            return n <= expected_ ? std::string()
                                  : "expected at most " + std::to_string(expected_) + " statement(s), " +
                                        std::to_string(n) + " ran:\n" + counter_.report();
        case budget_kind::none: {
            const auto refused = guard_->attempts();
            if (n == 0 && refused.empty()) return {};
            std::string msg = "expected no statement, " + std::to_string(refused.size()) + " refused";
            msg += n ? ", " + std::to_string(n) + " ran (on other threads):\n" + counter_.report() : std::string(":\n");
            for (std::size_t i = 0; i < refused.size(); ++i)
                msg += "refused " + std::to_string(i + 1) + ": " + refused[i] + "\n";
            return msg;
        }
        case budget_kind::plan: {
            const std::vector<std::string> ran = counter_.statements();
            bool same = ran.size() == plan_.size();
            for (std::size_t i = 0; same && i < ran.size(); ++i) same = ran[i] == plan_[i];
            if (same) return {};
            std::string msg = "expected the plan's " + std::to_string(plan_.size()) + " statement(s), " +
                              std::to_string(ran.size()) + " ran";
            for (std::size_t i = 0; i < ran.size(); ++i)
                if (i >= plan_.size() || ran[i] != plan_[i]) {
                    msg += "; statement " + std::to_string(i + 1) + " is not the plan's";
                    break;
                }
            msg += ":\n" + counter_.report() + "the plan:\n";
            for (std::size_t i = 0; i < plan_.size(); ++i) msg += std::to_string(i + 1) + ": " + plan_[i] + "\n";
            return msg;
        }
        }
        return {};
    }

    void finish() {
        pending_ = false;
        const std::string msg = verdict();  // reads the guard's refused statements: before it goes
        guard_.reset();
        if (msg.empty()) return;
        if (require_) ADD_FAIL_AT(file_, line_, msg);
        else ADD_FAIL_CHECK_AT(file_, line_, msg);
    }

private:
    query_counter counter_;
    std::optional<no_statements> guard_;
    std::vector<std::string> plan_;
    std::size_t expected_;
    const char* file_;
    int line_;
    bool require_;
    budget_kind kind_;
    bool pending_ = true;
};

}  // namespace eagerload::testing

#define EAGERLOAD_BUDGET_IMPL_(...)                                                                  \
    for (::eagerload::testing::statement_check eagerload_check_(__VA_ARGS__); eagerload_check_.pending(); \
         eagerload_check_.finish())

// Runs the following block and checks it executed exactly `n` statements on `db`.
#define EAGERLOAD_CHECK_STATEMENTS(db, n) EAGERLOAD_BUDGET_IMPL_((db), (n), __FILE__, __LINE__, false)
// Same, but stops the test case on failure (each REQUIRE_ form below does).
#define EAGERLOAD_REQUIRE_STATEMENTS(db, n) EAGERLOAD_BUDGET_IMPL_((db), (n), __FILE__, __LINE__, true)
// At most `n` statements.
#define EAGERLOAD_CHECK_AT_MOST(db, n) \
    EAGERLOAD_BUDGET_IMPL_((db), (n), __FILE__, __LINE__, false, ::eagerload::testing::budget_kind::at_most)
#define EAGERLOAD_REQUIRE_AT_MOST(db, n) \
    EAGERLOAD_BUDGET_IMPL_((db), (n), __FILE__, __LINE__, true, ::eagerload::testing::budget_kind::at_most)
// Exactly the statements of `plan` (an eagerload::plan, from query.plan(db.sql_dialect())),
// in its order: count and SQL text known before the block runs.
#define EAGERLOAD_CHECK_PLAN(db, plan) EAGERLOAD_BUDGET_IMPL_((db), (plan), __FILE__, __LINE__, false)
#define EAGERLOAD_REQUIRE_PLAN(db, plan) EAGERLOAD_BUDGET_IMPL_((db), (plan), __FILE__, __LINE__, true)
// No statement: each one the block's thread tries is refused (statement_forbidden).
#define EAGERLOAD_CHECK_NO_STATEMENTS(db) \
    EAGERLOAD_BUDGET_IMPL_((db), 0, __FILE__, __LINE__, false, ::eagerload::testing::budget_kind::none)
#define EAGERLOAD_REQUIRE_NO_STATEMENTS(db) \
    EAGERLOAD_BUDGET_IMPL_((db), 0, __FILE__, __LINE__, true, ::eagerload::testing::budget_kind::none)
