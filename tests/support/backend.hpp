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
    // Writers lock rows, not the database: two transactions that lock two rows in
    // opposite order deadlock, and the database rolls one back (PostgreSQL, MariaDB/InnoDB).
    // SQLite has one writer at a time.
    bool row_level_locks;
    // The statement that bounds this session's wait for another transaction's row lock
    // to one second (row_level_locks only): PostgreSQL's lock_timeout (SQLSTATE 55P03),
    // MariaDB's innodb_lock_wait_timeout (error 1205, the statement alone rolled back).
    const char* lock_wait_one_second;
    // The 64-bit integer key type in hand-written DDL, as the database's own tools write
    // it: SQLite's `INTEGER PRIMARY KEY` (a rowid alias, 64-bit; SOCI read it through 32
    // bits), BIGINT elsewhere (PostgreSQL's integer is 32-bit).
    const char* integer_key_ddl_type;
    // Statements one upsert chunk takes: PostgreSQL returns every key from the upsert
    // itself (data-modifying CTE); SQLite and MariaDB read them in a second statement.
    int upsert_statements;
    // A text value of a single-row statement may hold a NUL character (SQLite). PostgreSQL
    // text cannot, and SOCI's MySQL backend cuts a statement at one: eagerload refuses
    // it there with a database_error before sending it. (Lists and bulk writes refuse it
    // on every backend: they travel as JSON or array text.)
    bool text_holds_nul;
    // An upsert that meets a conflicting row another transaction committed while the
    // upsert waited for it cannot see that row in its snapshot (PostgreSQL, READ
    // COMMITTED: one statement): eagerload throws instead of returning its key. SQLite
    // (one writer) and MariaDB (a locking read after the upsert) return the key.
    bool upsert_misses_rows_committed_while_it_runs;
    // An upsert takes a duplicate of ANY unique key of the table as its conflict, not
    // only of on<...> (MariaDB's ON DUPLICATE KEY UPDATE): on the whole composite key,
    // where nothing is read back, a row colliding on another unique key updates that
    // row. PostgreSQL and SQLite (ON CONFLICT (target)) raise unique_violation instead.
    bool upsert_conflicts_on_any_unique_key;
    // Sessions keep prepared statements in their statement cache (open_options::
    // statement_cache_size): every backend's native row path does (MariaDB's through
    // mysql_stmt_prepare); a backend reading through SOCI would not.
    bool keeps_prepared_statements;
    // A kept statement whose table changed is prepared again by the database inside its
    // next run (SQLite's sqlite3_step), unseen by the statement cache; the servers report
    // it, and eagerload prepares it again.
    bool steps_prepare_changed_statements;
    // Changes an INTEGER column to BIGINT in place: fmt text with {table} and {column},
    // statements separated by "; " (SQLite has no ALTER COLUMN: a new column replaces it).
    const char* change_column_to_bigint;
    // Servers only (nullptr on SQLite, which has no connection to lose): a query of one
    // row, this session's id on the server; the statement that ends the session whose id
    // is :p1 from another session, and whether it returns a row (PostgreSQL's is a
    // SELECT); and a query of :p1 rows (at most 2,000,000) of an integer and about 60
    // bytes of text, generated by the server: far more than the socket buffers hold.
    const char* session_id_sql;
    const char* kill_session_sql;
    bool kill_session_returns_row;
    const char* many_rows_sql;
    // Servers only: a FROM item of the integers 1 to 200,000 in a column `g`; a boolean
    // expression whose evaluation makes the server wait 60 s, in the middle of a
    // statement's rows; and a query of one row, 1 if session :p1 waits there, else 0.
    const char* numbers_200k_sql;
    const char* pause_60s_condition;
    const char* session_paused_sql;
};

const backend_quirks& quirks_of(eagerload::dialect d);

// This session's id on the server (a handle with a pool of one: its only session).
long long session_id(const eagerload::database& db);
// Ends session `id` of the server `admin` is on (another handle on it).
void kill_session(const eagerload::database& admin, long long id);

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
    // ... with these options.
    eagerload::database open(const eagerload::open_options& options) const;

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
