#pragma once
// One test suite, every backend: EAGERLOAD_TEST("name") defines the body once and
// registers it as "name [sqlite]", "name [postgresql]" and "name [mariadb]".
// PostgreSQL comes from $EAGERLOAD_TEST_POSTGRES, MariaDB from $EAGERLOAD_TEST_MARIADB
// (scripts/test.sh starts throwaway servers); when one is missing, its cases FAIL:
// they never skip silently.
//
// What differs between the databases is declared ONCE, in backend_quirks (backend.cpp), and a
// test body asks ctx.quirks() instead of comparing dialects. A quirk is a documented
// behaviour of the database, not a workaround for eagerload.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "eagerload/database.hpp"

namespace eagerload_test {

struct backend_quirks {
    eagerload::dialect dialect;
    // The identifier quote character in the SQL eagerload renders: " or `.
    char quote;
    // Default text comparison ignores case ('abc' = 'ABC'): MariaDB's default
    // collations (utf8mb4_general_ci, ...). SQLite (BINARY) and PostgreSQL
    // (deterministic collations) compare exactly.
    bool text_compares_case_insensitively;
    // A reader's open transaction makes a writer on another connection wait (SQLite's
    // rollback journal: one writer, no writes while a read lock is held). Where false,
    // readers see a snapshot (MVCC) and writers go ahead.
    bool readers_block_writers;
    // A failed statement aborts the whole transaction: every later statement fails
    // and COMMIT rolls back (PostgreSQL). SQLite and MariaDB undo the failed statement only.
    bool failed_statement_aborts_transaction;
    // START TRANSACTION ... READ ONLY makes writes fail. SQLite has no read-only
    // transactions.
    bool read_only_transactions;
    // A literal that a timestamp column of eagerload's DDL accepts but that is no
    // timestamp eagerload can read: SQLite stores any text, PostgreSQL has 'infinity',
    // MariaDB's DATETIME takes the zero date (sql_mode without NO_ZERO_DATE).
    const char* bad_timestamp_literal;
    // The statement that lets this session write a row whose foreign key refers to
    // nothing, as fmt text with {table} and {column} (PostgreSQL names the constraint
    // <table>_<column>_fkey; SQLite and MariaDB switch checking off per session).
    const char* allow_dangling_foreign_key;
    // The column type of a timestamp in hand-written DDL. MariaDB's TIMESTAMP converts
    // to and from the session time zone, stops in 2038 and auto-updates: DATETIME.
    const char* timestamp_ddl_type;
    // Significant digits a decimal column of eagerload's DDL stores exactly: SQLite's
    // NUMERIC affinity turns a longer number into a REAL (a double); PostgreSQL's NUMERIC
    // keeps any; MariaDB's DECIMAL(65,30) keeps 65.
    int decimal_digits_stored;
};

const backend_quirks& quirks_of(eagerload::dialect d);

// A fresh, empty database for one test case: a temporary-file SQLite database, a
// private schema in the test PostgreSQL database, or a database of its own on the test
// MariaDB server (each dropped afterwards).
class context {
public:
    explicit context(eagerload::dialect d);
    ~context();
    context(const context&) = delete;
    context& operator=(const context&) = delete;

    eagerload::dialect dialect() const noexcept { return dialect_; }
    const backend_quirks& quirks() const noexcept { return quirks_of(dialect_); }
    // `name` quoted as an identifier, as eagerload renders it on this backend.
    std::string quoted(std::string_view name) const;
    // Another handle on the same database, with its own pool.
    eagerload::database open(std::size_t pool_size) const;

    eagerload::database db;

private:
    eagerload::dialect dialect_;
    std::string target_;  // sqlite path, postgresql conninfo with search_path, mariadb conn with db=
    std::string scratch_; // the postgresql schema or mariadb database to drop
};

}  // namespace eagerload_test

#define EAGERLOAD_TEST_CAT2_(a, b) a##b
#define EAGERLOAD_TEST_CAT_(a, b) EAGERLOAD_TEST_CAT2_(a, b)
#define EAGERLOAD_TEST_IMPL_(fn, name)                                                   \
    static void fn(::eagerload_test::context& ctx, ::eagerload::database& db);           \
    TEST_CASE(name " [sqlite]") {                                                        \
        ::eagerload_test::context ctx(::eagerload::dialect::sqlite);                     \
        fn(ctx, ctx.db);                                                                 \
    }                                                                                    \
    TEST_CASE(name " [postgresql]") {                                                    \
        ::eagerload_test::context ctx(::eagerload::dialect::postgresql);                 \
        fn(ctx, ctx.db);                                                                 \
    }                                                                                    \
    TEST_CASE(name " [mariadb]") {                                                       \
        ::eagerload_test::context ctx(::eagerload::dialect::mariadb);                    \
        fn(ctx, ctx.db);                                                                 \
    }                                                                                    \
    static void fn([[maybe_unused]] ::eagerload_test::context& ctx, [[maybe_unused]] ::eagerload::database& db)
#define EAGERLOAD_TEST(name) EAGERLOAD_TEST_IMPL_(EAGERLOAD_TEST_CAT_(eagerload_test_body_, __LINE__), name)
