#pragma once
// A scope in which running a statement is an error (django-zen-queries'
// queries_disabled()): for rendering code that must work on what was loaded, never
// touch the database.
//
//   {
//       eagerload::no_statements guard(db);      // this thread, this handle
//       render(page);                            // a lazy lookup here throws statement_forbidden
//   }
//
// The statement is refused before it runs, with an exception naming it; the guard also
// remembers every statement it refused (attempts()), in case the code under it caught
// the exception.
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "eagerload/errors.hpp"
#include "eagerload/statement_log.hpp"

namespace eagerload {

class statement_forbidden : public error {
public:
    explicit statement_forbidden(const std::string& sql);
    const std::string& sql() const noexcept { return sql_; }

private:
    std::string sql_;
};

class no_statements : public statement_observer {
public:
    explicit no_statements(const database& db, counter_scope scope = counter_scope::this_thread);
    ~no_statements();
    void before(std::string_view sql) override;  // throws statement_forbidden
    void after(const statement_event&) override {}
    std::vector<std::string> attempts() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> attempts_;
};

}  // namespace eagerload
