#pragma once
// What a database handle shares between its copies: the session pool, the dialect's
// backend, and the active statement observers (counters, hooks, detectors).
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backend.hpp"
#include "eagerload/statement_log.hpp"
#include "statement_cache.hpp"

namespace eagerload::detail {

class database_state {
public:
    // `spec` is what open() connected to, empty for a pool the caller opened.
    database_state(const backend& be, std::unique_ptr<soci::connection_pool> owned, soci::connection_pool* pool,
                   std::size_t size, connection_spec spec, const open_options& options);

    const backend& be() const noexcept { return be_; }
    soci::connection_pool& pool() noexcept { return *pool_; }
    std::size_t size() const noexcept { return size_; }
    // For messages: `postgresql database "host=... password=***"`.
    const std::string& description() const noexcept { return description_; }
    // open_options::retry_reads.
    bool retries_reads() const noexcept { return retry_reads_; }
    // `text` (a message of SOCI or the client library) with every secret of the
    // connection string redacted, in any form.
    std::string scrub(std::string_view text) const;

    // A session of the pool for the caller alone, waiting at most the lease timeout
    // (then pool_timeout). A session marked suspect is checked first, and reopened if
    // its connection is gone (connection_error when it cannot be). When the calling
    // thread itself holds every session (eagerload leases, transactions), it throws
    // error at once: no other thread can give one back.
    std::size_t lease();
    void give_back(std::size_t slot) noexcept;
    // After a failure on `slot`: whether its connection is gone. If it is, every
    // session of the pool becomes suspect (a server restart or failover took them all).
    bool lost(std::size_t slot) noexcept;
    // Check `slot` before it is handed out again.
    void suspect(std::size_t slot) noexcept;
    [[noreturn]] void throw_lost(const std::exception& e, const std::string& sql) const;
    // Throws statement_timeout when `e` says the database cancelled the statement for
    // running too long; returns otherwise.
    void check_timeout(const std::exception& e, const std::string& sql) const;

    // Statement observers (eagerload/statement_log.hpp; src/statement_log.cpp).
    void add_observer(statement_observer* o, counter_scope scope);
    void remove_observer(statement_observer* o, counter_scope scope) noexcept;
    // Whether an observer sees this thread's statements here: all an unobserved statement pays.
    bool observed() const noexcept;
    void before_statement(std::string_view sql);  // may throw: an observer refused the statement
    void after_statement(const statement_event& e) noexcept;

    // The statement cache of `slot`'s session; nullptr when off.
    statement_cache* cache(std::size_t slot) noexcept { return caches_.empty() ? nullptr : caches_[slot].get(); }
    void add_cache_stats(statement_cache_stats& s) const noexcept;

    // The slot the calling thread pinned with a transaction, or npos.
    std::size_t pinned_slot() const;
    // Pins `slot` to `thread` until unpin(thread): any thread may end a transaction.
    void pin(std::thread::id thread, std::size_t slot);
    void unpin(std::thread::id thread) noexcept;
    // A statement failed on `slot`, pinned by a transaction: remember it (the first
    // failure's message, when known) so that commit() can tell whether it commits.
    void mark_failed(std::size_t slot, const std::string& what);
    // The failure recorded in `thread`'s transaction: nullopt when none failed.
    std::optional<std::string> failure(std::thread::id thread) const;
    // The transaction pinned on `slot` is over on the database's side (rolled back after
    // a failure or a deadlock, or ended by hand-written SQL): throws transaction_aborted
    // (connection_error when the connection is gone). `sql`: what was about to run.
    [[noreturn]] void throw_not_in_transaction(std::size_t slot, std::thread::id thread, const std::string& sql);

private:
    void reopen(std::size_t slot);

    const backend& be_;
    std::unique_ptr<soci::connection_pool> owned_;
    soci::connection_pool* pool_;
    std::size_t size_;
    std::chrono::milliseconds lease_timeout_;
    std::optional<std::chrono::milliseconds> statement_timeout_;
    bool retry_reads_ = false;
    std::string target_;  // to reopen sessions: holds the password, never put it in a message
    std::vector<std::string> secrets_;
    std::string description_;
    std::unique_ptr<std::atomic<bool>[]> suspect_;  // per slot: check the connection before use
    std::unique_ptr<std::atomic<std::thread::id>[]> holders_;  // per slot: the thread that leased it
    std::mutex observers_mutex_;
    std::vector<statement_observer*> observers_;
    std::atomic<std::size_t> active_observers_{0};

    // Open transactions: the thread that opened each and the slot it holds. Kept here,
    // not thread_local, so that a transaction ended on another thread unpins the
    // thread that opened it.
    struct pin_record {
        std::thread::id thread;
        std::size_t slot;
        bool failed = false;
        std::string failure;
    };
    mutable std::mutex pins_mutex_;
    std::vector<pin_record> pins_;
    std::atomic<std::size_t> pin_count_{0};  // lets statements outside transactions skip the lock

    // Per slot; declared last so that they are destroyed before the pool closes the
    // sessions (SQLite cannot close a connection with statements still prepared).
    std::vector<std::unique_ptr<statement_cache>> caches_;
};

// Opens `s` on `target` as every eagerload session is opened: the backend's set-up,
// then the options that apply to sessions (statement_timeout).
void open_session(const backend& be, soci::session& s, const std::string& target, const open_options& options);

// A session for one statement: the thread's pinned one (inside a transaction) or a
// pooled one, given back on destruction. An exception that leaves the lease marks
// the transaction it ran in as failed. Inside a transaction that the database already
// ended (rolled back after a failure or a deadlock), it throws transaction_aborted
// instead of letting `sql` run outside it.
class session_lease {
public:
    explicit session_lease(database_state& st, const std::string& sql = {});
    ~session_lease();
    session_lease(const session_lease&) = delete;
    session_lease& operator=(const session_lease&) = delete;
    soci::session& session() noexcept { return st_.pool().at(slot_); }
    statement_cache* cache() noexcept { return st_.cache(slot_); }
    std::size_t slot() const noexcept { return slot_; }

    // Call from the catch block of a statement the database refused, before throwing
    // database_error: records the failure (with its message) in the transaction.
    void statement_failed(const std::exception& e, const std::string& sql);

private:
    database_state& st_;
    std::size_t slot_;
    bool owned_;
    bool reported_ = false;
    int uncaught_;
};

}  // namespace eagerload::detail
