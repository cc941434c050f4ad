#include "backend.hpp"
#include "statistics.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include "eagerload/detail/execute.hpp"

namespace eagerload_test {
namespace {

using eagerload::dialect;

// Every backend and its quirks, declared once (see backend_quirks).
constexpr backend_quirks sqlite_quirks{
    .dialect = dialect::sqlite,
    .quote = '"',
    .text_compares_case_insensitively = false,
    .readers_block_writers = true,
    .failed_statement_aborts_transaction = false,
    .read_only_transactions = false,
    .bad_timestamp_literal = "'someday'",
    .allow_dangling_foreign_key = "PRAGMA foreign_keys = OFF",
    .timestamp_ddl_type = "timestamp",
    .decimal_digits_stored = 15,
    .row_level_locks = false,
    .lock_wait_one_second = nullptr,
    .integer_key_ddl_type = "INTEGER",
    .upsert_statements = 2,
    .text_holds_nul = true,
    .upsert_misses_rows_committed_while_it_runs = false,
    .upsert_conflicts_on_any_unique_key = false,
    .keeps_prepared_statements = true,
    .steps_prepare_changed_statements = true,
    .change_column_to_bigint = "ALTER TABLE {table} ADD COLUMN el_new BIGINT; UPDATE {table} SET el_new = {column}; "
                               "ALTER TABLE {table} DROP COLUMN {column}; "
                               "ALTER TABLE {table} RENAME COLUMN el_new TO {column}",
    .session_id_sql = nullptr,
    .kill_session_sql = nullptr,
    .kill_session_returns_row = false,
    .many_rows_sql = nullptr,
    .numbers_200k_sql = nullptr,
    .pause_60s_condition = nullptr,
    .session_paused_sql = nullptr,
};
constexpr backend_quirks postgresql_quirks{
    .dialect = dialect::postgresql,
    .quote = '"',
    .text_compares_case_insensitively = false,
    .readers_block_writers = false,
    .failed_statement_aborts_transaction = true,
    .read_only_transactions = true,
    .bad_timestamp_literal = "'infinity'",
    .allow_dangling_foreign_key = "ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_fkey",
    .timestamp_ddl_type = "timestamp",
    .decimal_digits_stored = 1000,
    .row_level_locks = true,
    .lock_wait_one_second = "SET lock_timeout = 1000",
    .integer_key_ddl_type = "bigint",
    .upsert_statements = 1,
    .text_holds_nul = false,
    .upsert_misses_rows_committed_while_it_runs = true,
    .upsert_conflicts_on_any_unique_key = false,
    .keeps_prepared_statements = true,
    .steps_prepare_changed_statements = false,
    .change_column_to_bigint = "ALTER TABLE {table} ALTER COLUMN {column} TYPE BIGINT",
    .session_id_sql = "SELECT CAST(pg_backend_pid() AS bigint)",
    .kill_session_sql = "SELECT CAST(CAST(pg_terminate_backend(CAST(:p1 AS integer)) AS integer) AS bigint)",
    .kill_session_returns_row = true,
    .many_rows_sql = "SELECT CAST(g AS bigint), repeat('x', 50) || g FROM generate_series(1, :p1) AS g",
    .numbers_200k_sql = "generate_series(1, 200000) AS s(g)",
    .pause_60s_condition = "(SELECT true FROM pg_sleep(60))",
    .session_paused_sql = "SELECT count(*) FROM pg_stat_activity WHERE pid = CAST(:p1 AS integer) AND wait_event = 'PgSleep'",
};
constexpr backend_quirks mariadb_quirks{
    .dialect = dialect::mariadb,
    .quote = '`',
    .text_compares_case_insensitively = true,
    .readers_block_writers = false,
    .failed_statement_aborts_transaction = false,
    .read_only_transactions = true,
    .bad_timestamp_literal = "'0000-00-00 00:00:00'",
    .allow_dangling_foreign_key = "SET foreign_key_checks = 0",
    .timestamp_ddl_type = "DATETIME",
    .decimal_digits_stored = 65,
    .row_level_locks = true,
    .lock_wait_one_second = "SET SESSION innodb_lock_wait_timeout = 1",
    .integer_key_ddl_type = "bigint",
    .upsert_statements = 2,
    .text_holds_nul = false,
    .upsert_misses_rows_committed_while_it_runs = false,
    .upsert_conflicts_on_any_unique_key = true,
    .keeps_prepared_statements = true,
    .steps_prepare_changed_statements = false,
    .change_column_to_bigint = "ALTER TABLE {table} MODIFY {column} BIGINT NOT NULL",
    .session_id_sql = "SELECT CONNECTION_ID()",
    .kill_session_sql = "KILL CONNECTION :p1",
    .kill_session_returns_row = false,
    .many_rows_sql = "SELECT seq, CONCAT(REPEAT('x', 50), seq) FROM seq_1_to_2000000 WHERE seq <= :p1",  // the Sequence engine
    .numbers_200k_sql = "(SELECT seq AS g FROM seq_1_to_200000) AS s",
    .pause_60s_condition = "SLEEP(60) = 0",
    .session_paused_sql = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = :p1 AND STATE = 'User sleep'",
};

std::string unique_name() {
    static std::atomic<int> n{0};
    std::random_device rd;
    return "el_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + std::to_string(rd() % 100000);
}

// The server a backend's cases run against, from the environment. Missing: the case
// fails with how to get one.
std::string server_from_env(dialect d) {
    const bool pg = d == dialect::postgresql;
    const char* var = pg ? "EAGERLOAD_TEST_POSTGRES" : "EAGERLOAD_TEST_MARIADB";
    const char* env = std::getenv(var);
    if (!env || !*env)
        throw std::runtime_error(std::string(var) + " is not set: run the suite with `bash scripts/test.sh`, which starts " +
                                 (pg ? "a throwaway PostgreSQL" : "a throwaway MariaDB (SOCI MySQL form without db=, "
                                                                  "e.g. \"user=root host=127.0.0.1 port=3306\")") +
                                 " and sets it");
    return env;
}

eagerload::database admin(dialect d) {
    const std::string base = server_from_env(d);
    return d == dialect::postgresql ? eagerload::database::postgresql(base) : eagerload::database::mariadb(base);
}

}  // namespace

long long session_id(const eagerload::database& db) {
    return eagerload::detail::fetch_scalar(db, quirks_of(db.sql_dialect()).session_id_sql, {});
}

void kill_session(const eagerload::database& admin, long long id) {
    const backend_quirks& q = quirks_of(admin.sql_dialect());
    const eagerload::detail::params ps{eagerload::detail::param::integer(id)};
    if (q.kill_session_returns_row) (void)eagerload::detail::fetch_scalar(admin, q.kill_session_sql, ps);
    else eagerload::detail::execute(admin, q.kill_session_sql, ps);
}

const backend_quirks& quirks_of(dialect d) {
    switch (d) {
    case dialect::sqlite: return sqlite_quirks;
    case dialect::postgresql: return postgresql_quirks;
    case dialect::mariadb: return mariadb_quirks;
    }
    throw std::invalid_argument("eagerload_test: no quirks declared for this dialect");
}

context::context(eagerload::dialect d) : db(eagerload::database::open("sqlite::memory:")), dialect_(d) {
    switch (d) {
    case dialect::sqlite:
        // A file, so that handles with several pooled sessions see the same data.
        target_ = (std::filesystem::temp_directory_path() / (unique_name() + ".db")).string();
        db = eagerload::database::sqlite(target_);
        return;
    case dialect::postgresql: {
        const std::string base = server_from_env(d);
        scratch_ = unique_name();
        eagerload::detail::execute(admin(d), "CREATE SCHEMA " + scratch_);
        target_ = base + " options='-c search_path=" + scratch_ + "'";
        db = eagerload::database::postgresql(target_);
        return;
    }
    case dialect::mariadb: {
        const std::string base = server_from_env(d);
        scratch_ = unique_name();
        eagerload::detail::execute(admin(d), "CREATE DATABASE " + scratch_ +
                                                 " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        target_ = base + " db=" + scratch_;
        db = eagerload::database::mariadb(target_);
        return;
    }
    }
}

context::~context() {
    try {
        if (dialect_ == dialect::sqlite) {
            std::filesystem::remove(target_);
        } else if (!scratch_.empty()) {
            db = eagerload::database::open("sqlite::memory:");  // close our sessions first
            eagerload::detail::execute(admin(dialect_), dialect_ == dialect::postgresql
                                                            ? "DROP SCHEMA " + scratch_ + " CASCADE"
                                                            : "DROP DATABASE " + scratch_);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "test cleanup failed: %s\n", e.what());
    }
}

std::string context::quoted(std::string_view name) const {
    const char q = quirks().quote;
    std::string out(1, q);
    for (char c : name) {
        if (c == q) out += q;
        out += c;
    }
    out += q;
    return out;
}

void analyze(const eagerload::database& db, std::string_view table) {
    std::string quoted_table(1, quirks_of(db.sql_dialect()).quote);
    quoted_table += table;
    quoted_table += quirks_of(db.sql_dialect()).quote;
    // MariaDB spells it ANALYZE TABLE (its ANALYZE runs a statement and reports on it).
    eagerload::detail::execute(db, (db.sql_dialect() == dialect::mariadb ? "ANALYZE TABLE " : "ANALYZE ") + quoted_table);
}

eagerload::database context::open(std::size_t pool_size) const {
    eagerload::open_options o;
    o.pool_size = pool_size;
    return open(o);
}

eagerload::database context::open(const eagerload::open_options& o) const {
    switch (dialect_) {
    case dialect::sqlite: return eagerload::database::sqlite(target_, o);
    case dialect::postgresql: return eagerload::database::postgresql(target_, o);
    case dialect::mariadb: return eagerload::database::mariadb(target_, o);
    }
    throw std::invalid_argument("eagerload_test: unknown dialect");
}

}  // namespace eagerload_test
