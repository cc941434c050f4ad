#pragma once
// The per-session statement cache (src/statement_cache.hpp holds the cache itself):
// what the header side needs of it. A level's SQL text is the same for every key-list
// length, so each session prepares it once and reuses it (PostgreSQL: PQprepare /
// PQexecPrepared; SQLite: a kept sqlite3_stmt). open_options::statement_cache_size
// bounds it per session; 0 switches it off.
#include <cstddef>
#include <string>

#include "eagerload/errors.hpp"

namespace eagerload {
class database;
}

namespace eagerload::detail {

// What the caches of a database's sessions did, summed over its sessions.
struct statement_cache_stats {
    std::size_t prepares = 0;   // statements prepared (a miss, or prepared again after a schema change)
    std::size_t reuses = 0;     // executions of a statement prepared before
    std::size_t evictions = 0;  // statements dropped to stay within the bound
    std::size_t entries = 0;    // statements held now
};
statement_cache_stats statement_cache_stats_of(const database& db);

// A cached statement the database refused to run because the tables under it changed
// (PostgreSQL 0A000 "cached plan must not change result type") inside a transaction,
// which the failure aborted: the statement is prepared again on its next use, so the
// transaction can be retried. Outside a transaction the backend retries at once.
struct stale_statement : database_error {
    using database_error::database_error;
};

// Whether this thread runs inside a transaction on `db` (then a load is not the
// owner of its snapshot and cannot retry it).
bool in_transaction(const database& db);

// open_options::retry_reads.
bool retries_reads(const database& db);

// Runs the read f() (it opens its own snapshot when it needs one). Outside a caller's
// transaction it runs f() once more, on a fresh snapshot and a checked session, when
// - a cached statement went stale (always: nothing was read that could be kept), or
// - the connection broke (connection_error), if open_options::retry_reads is on.
// Inside the caller's transaction nothing is retried: the transaction decides.
template <class F>
auto retry_read(const database& db, F&& f) -> decltype(f()) {
    if (in_transaction(db)) return f();
    try {
        return f();
    } catch (const stale_statement&) {
    } catch (const connection_error&) {
        if (!retries_reads(db)) throw;
    }
    return f();
}

}  // namespace eagerload::detail
