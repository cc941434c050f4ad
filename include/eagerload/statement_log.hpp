#pragma once
// The statement log: a hook that sees every statement eagerload executes on a database
// (reads and writes, every backend, pooled sessions on any thread), after it ran, with
// its SQL, bound values, duration, row count, connection and thread.
//
//   eagerload::statement_hook hook(db, eagerload::log_lines(stderr, {.slow = 50ms}));
//
//   eagerload::statement_hook hook(db, [](const eagerload::statement_event& e) {
//       spdlog::info("{} ms, {} rows: {}", e.milliseconds(), e.rows, e.sql);
//   });
//
// A hook is called on the thread that ran the statement, while that statement's
// session is still leased: keep it short, and never run statements from it. With no
// hook, counter or detector installed on a database, its statements pay one relaxed
// atomic load and a check of a thread-local list (docs/testing.md, measured).
//
// Transaction control (BEGIN, COMMIT, ROLLBACK) and session set-up are not reported:
// what is reported is what a load's plan counts.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include "eagerload/database.hpp"

namespace eagerload {

// Which statements a hook, counter or detector sees.
enum class counter_scope {
    database,    // every statement on the handle, from every thread
    this_thread  // only this thread's statements on the handle (no lock, nothing on other threads)
};

// One executed statement.
struct statement_event {
    std::string_view sql;
    std::span<const detail::param> values;  // bound, in placeholder order: see format_values()
    std::chrono::nanoseconds duration{0};   // from just before execution to the last row fetched
    std::size_t rows = 0;                   // rows returned (queries) or changed (other statements)
    bool returns_rows = false;              // a query (fetch) or not (execute)
    bool failed = false;                    // it threw (the exception reaches the caller as usual)
    std::size_t connection = 0;             // the session's slot in the handle's pool: 0 .. pool_size-1
    std::thread::id thread;
    std::size_t thread_number = 0;  // 1, 2, ...: the order in which threads first ran a statement

    double milliseconds() const noexcept { return std::chrono::duration<double, std::milli>(duration).count(); }
};

enum class show_values {
    redacted,  // "[2 values: int, text(11)]": types and lengths, never a value (the default)
    shown,     // "[1, 'alice@example.com']": each value, text cut at 64 characters
    none       // nothing
};

// The bound values as a log shows them ("" when there are none or `how` is none).
std::string format_values(std::span<const detail::param> values, show_values how);

// One line: "eagerload: 0.412 ms, 20 rows, connection 0, thread 1: SELECT ... [values]".
// A statement at or over `slow` (when non-zero) is marked "SLOW ".
std::string format_line(const statement_event& e, show_values how = show_values::redacted,
                        std::chrono::nanoseconds slow = {});

// Anything that watches statements: query_counter, statement_hook, the N+1 detector and
// the test budgets derive from it. Derived classes call watch() last in their
// constructor and unwatch() first in their destructor.
class statement_observer {
public:
    statement_observer() = default;
    statement_observer(const statement_observer&) = delete;
    statement_observer& operator=(const statement_observer&) = delete;

    // Before the statement runs, on its thread: may throw to refuse it.
    virtual void before(std::string_view sql);
    // After it ran (or failed), on its thread.
    virtual void after(const statement_event& e) = 0;

protected:
    ~statement_observer();
    void watch(const database& db, counter_scope scope);
    void unwatch() noexcept;

private:
    std::optional<database> db_;  // keeps the handle's state alive while watched
    counter_scope scope_ = counter_scope::database;
    bool watching_ = false;
};

// Calls `fn` after every statement in `scope`, for its lifetime.
class statement_hook : public statement_observer {
public:
    using function = std::function<void(const statement_event&)>;
    statement_hook(const database& db, function fn, counter_scope scope = counter_scope::database);
    ~statement_hook();
    void after(const statement_event& e) override;

private:
    function fn_;
};

struct log_options {
    // Only statements that took at least this long are written (zero: every statement).
    std::chrono::nanoseconds slow{0};
    show_values values = show_values::redacted;
};

// The ready sink: writes format_line() of each statement to `out` (one fputs per line:
// lines from several threads do not interleave).
statement_hook::function log_lines(std::FILE* out = stderr, log_options options = {});
// The same, to any line consumer (a logger, a vector in a test).
statement_hook::function log_lines(std::function<void(const std::string&)> write, log_options options = {});

}  // namespace eagerload
