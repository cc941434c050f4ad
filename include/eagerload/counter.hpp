#pragma once
// Counts the statements eagerload *executes* on a database (every pooled session and
// thread), records each one (SQL, duration, rows, connection, thread), and stops
// counting when it goes out of scope:
//
//   eagerload::query_counter counter(db);
//   auto users = eagerload::select<User>().all(db);
//   assert(counter.count() == 1);
//
// Counters nest: each counts what ran during its own lifetime. Transaction control
// (BEGIN, COMMIT, ROLLBACK) and session set-up are not counted: a load's count is the
// number of data statements its plan says. A statement that failed is counted.
//
// counter_scope::this_thread counts only the statements of the thread that made the
// counter: what a server handling many requests on one handle wants per request. It
// costs no lock and nothing on other threads' statements.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/statement_log.hpp"

namespace eagerload {

// What a counter keeps of each statement.
struct statement_record {
    std::string sql;
    std::chrono::nanoseconds duration{0};
    std::size_t rows = 0;
    bool failed = false;
    std::size_t connection = 0;
    std::size_t thread_number = 0;
};

class query_counter : public statement_observer {
public:
    explicit query_counter(const database& db, counter_scope scope = counter_scope::database);
    ~query_counter();

    std::size_t count() const;
    std::vector<std::string> statements() const;
    std::vector<statement_record> records() const;
    void reset();
    // What a failed budget prints, one statement a line, numbered in the order they
    // finished: "1: SELECT ... -- 0.215 ms, 20 rows, connection 0, thread 1\n".
    std::string report() const;

    void after(const statement_event& e) override;

private:
    mutable std::mutex mutex_;
    std::vector<statement_record> records_;
};

// report()'s form of a list of records.
std::string report(const std::vector<statement_record>& records);

}  // namespace eagerload
