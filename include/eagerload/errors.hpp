#pragma once
// Every error eagerload throws derives from eagerload::error. Messages name the table,
// column and key involved, so a failed load can be diagnosed from the message alone.
#include <stdexcept>
#include <string>

namespace eagerload {

struct error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The database refused a statement (missing table or column, constraint, syntax...).
// what() holds the database's message and the statement; sql() the statement alone.
struct database_error : error {
    database_error(const std::string& message, std::string sql);
    const std::string& sql() const noexcept { return sql_; }

private:
    std::string sql_;
};

// The database cancelled a statement that ran longer than its statement timeout
// (PostgreSQL: SQLSTATE 57014, see open_options::statement_timeout). what() names the
// database, the timeout and the statement.
struct statement_timeout : database_error {
    using database_error::database_error;
};

// commit() did not commit: a statement failed inside the transaction and the database
// aborted it (PostgreSQL aborts a transaction on any failed statement; its COMMIT then
// rolls back and reports success). Every write of the transaction is gone. what()
// names the database and the first statement that failed; sql() is "COMMIT".
struct transaction_aborted : database_error {
    using database_error::database_error;
};

// The database could not be reached. The message names the target, password redacted.
struct connection_error : error {
    using error::error;
};

// No session of the pool became free within open_options::lease_timeout. The message
// names the target, the pool size and the timeout.
struct pool_timeout : error {
    using error::error;
};

// A NULL arrived for a member that is not std::optional.
struct null_value_error : error {
    using error::error;
};

// A value the member's type cannot hold (text "abc" into an int64_t member, ...).
struct conversion_error : error {
    using error::error;
};

// get<T>(db, key) found no row.
struct not_found : error {
    using error::error;
};

}  // namespace eagerload
