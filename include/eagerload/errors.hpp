#pragma once
// Every error eagerload throws derives from eagerload::error. Messages name the table,
// column and key involved, so a failed load can be diagnosed from the message alone.
#include <stdexcept>
#include <string>
#include <utility>

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

// A write broke a constraint. table() and constraint() are what the database named
// (either may be empty where the database does not say); what() has its message, which
// names the conflicting key where the database gives it, and the statement.
struct constraint_violation : database_error {
    constraint_violation(const std::string& message, std::string sql, std::string table, std::string constraint)
        : database_error(message, std::move(sql)), table_(std::move(table)), constraint_(std::move(constraint)) {}
    const std::string& table() const noexcept { return table_; }
    const std::string& constraint() const noexcept { return constraint_; }

private:
    std::string table_, constraint_;
};

// A duplicate value of a primary key or unique constraint.
struct unique_violation : constraint_violation {
    using constraint_violation::constraint_violation;
};
// A foreign key without its referenced row, or a referenced row still referred to.
struct foreign_key_violation : constraint_violation {
    using constraint_violation::constraint_violation;
};
// NULL written to a NOT NULL column.
struct not_null_violation : constraint_violation {
    using constraint_violation::constraint_violation;
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

// update(db, row) of a model with a version member found the row at another version
// than the object's: someone else wrote it since it was read. Nothing was written.
// what() names the table, the key and the version the object holds.
struct stale_row : error {
    stale_row(const std::string& message, std::string table, std::string key)
        : error(message), table_(std::move(table)), key_(std::move(key)) {}
    const std::string& table() const noexcept { return table_; }
    // The row's key as the message shows it: 42, or 'abc' for a text key; a composite
    // key names every column: order_id = 1, line_no = 2.
    const std::string& key() const noexcept { return key_; }

private:
    std::string table_, key_;
};

// get<T>(db, key) found no row.
struct not_found : error {
    using error::error;
};

}  // namespace eagerload
