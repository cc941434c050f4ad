#pragma once
// What a database handle shares between its copies: the session pool, the dialect's
// backend, and the active query counters.
#include <soci/soci.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backend.hpp"
#include "eagerload/counter.hpp"

namespace eagerload::detail {

class database_state {
public:
    database_state(const backend& be, std::unique_ptr<soci::connection_pool> owned, soci::connection_pool* pool,
                   std::size_t size)
        : be_(be), owned_(std::move(owned)), pool_(pool), size_(size) {}

    const backend& be() const noexcept { return be_; }
    soci::connection_pool& pool() noexcept { return *pool_; }
    std::size_t size() const noexcept { return size_; }

    void add_counter(query_counter* c, counter_scope scope);
    void remove_counter(query_counter* c, counter_scope scope);
    void record(const std::string& sql);

    // The slot the calling thread pinned with a transaction, or npos.
    std::size_t pinned_slot() const;
    // Pins `slot` to `thread` until unpin(thread): any thread may end a transaction.
    void pin(std::thread::id thread, std::size_t slot);
    void unpin(std::thread::id thread) noexcept;

private:
    const backend& be_;
    std::unique_ptr<soci::connection_pool> owned_;
    soci::connection_pool* pool_;
    std::size_t size_;
    std::mutex counters_mutex_;
    std::vector<query_counter*> counters_;
    std::atomic<std::size_t> active_counters_{0};

    // Open transactions: the thread that opened each and the slot it holds. Kept here,
    // not thread_local, so that a transaction ended on another thread unpins the
    // thread that opened it.
    struct pin_record {
        std::thread::id thread;
        std::size_t slot;
    };
    mutable std::mutex pins_mutex_;
    std::vector<pin_record> pins_;
    std::atomic<std::size_t> pin_count_{0};  // lets statements outside transactions skip the lock
};

// A session for one statement: the thread's pinned one (inside a transaction) or a
// pooled one, given back on destruction.
class session_lease {
public:
    explicit session_lease(database_state& st);
    ~session_lease();
    session_lease(const session_lease&) = delete;
    session_lease& operator=(const session_lease&) = delete;
    soci::session& session() noexcept { return st_.pool().at(slot_); }

private:
    database_state& st_;
    std::size_t slot_;
    bool owned_;
};

}  // namespace eagerload::detail
