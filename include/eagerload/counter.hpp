#pragma once
// Counts the statements eagerload *executes* on a database (every pooled session and
// thread), records their SQL, and stops counting when it goes out of scope:
//
//   eagerload::query_counter counter(db);
//   auto users = eagerload::select<User>().all(db);
//   assert(counter.count() == 1);
//
// Counters nest: each counts what ran during its own lifetime. Transaction control
// (BEGIN, COMMIT, ROLLBACK) and session set-up are not counted: a load's count is the
// number of data statements its plan says.
//
// counter_scope::this_thread counts only the statements of the thread that made the
// counter: what a server handling many requests on one handle wants per request. It
// costs no lock and nothing on other threads' statements.
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "eagerload/database.hpp"

namespace eagerload {

enum class counter_scope {
    database,    // every statement on the handle, from every thread
    this_thread  // only this thread's statements on the handle
};

class query_counter {
public:
    explicit query_counter(const database& db, counter_scope scope = counter_scope::database);
    ~query_counter();
    query_counter(const query_counter&) = delete;
    query_counter& operator=(const query_counter&) = delete;

    std::size_t count() const;
    std::vector<std::string> statements() const;
    void reset();
    // "1: SELECT ...\n2: SELECT ...\n": what a failed count assertion prints.
    std::string report() const;

    void record(const std::string& sql);  // called by the execution layer

private:
    database db_;
    counter_scope scope_;
    mutable std::mutex mutex_;
    std::vector<std::string> statements_;
};

}  // namespace eagerload
