#pragma once
// A bounded, least-recently-used cache of prepared statements for ONE session, keyed
// by SQL text. The backend that prepared a statement owns what it holds (a
// sqlite3_stmt*, a PostgreSQL statement name); the cache only orders, bounds and
// counts. A cache is used by the thread that holds its session's lease; its counters
// may be read from any thread.
#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "eagerload/detail/statement_cache.hpp"

namespace eagerload::detail {

class cached_statement {
public:
    virtual ~cached_statement() = default;  // frees client-side resources (sqlite3_finalize)
    // Dropped to stay within the bound, on a live connection: free server-side resources too.
    virtual void evicted() noexcept {}
};

class statement_cache {
public:
    explicit statement_cache(std::size_t capacity) : capacity_(capacity) {}
    statement_cache(const statement_cache&) = delete;
    statement_cache& operator=(const statement_cache&) = delete;

    // The connection the cached statements belong to. A different one (the session
    // reconnected) drops them all first: they died with the old connection.
    void use_connection(const void* conn);
    // The statement prepared for `sql`, most recently used now; nullptr if none.
    cached_statement* find(const std::string& sql);
    // Keeps a statement just prepared, evicting the least recently used beyond the bound.
    cached_statement* insert(const std::string& sql, std::unique_ptr<cached_statement> st);
    // Drops the statement for `sql` (it went stale), calling evicted() when `release`.
    void erase(const std::string& sql, bool release);
    // Drops every statement without evicted(): the connection is gone or closing.
    void clear() noexcept;
    // A name unique on this connection (PostgreSQL statement names).
    std::string next_name() { return "el_s" + std::to_string(++names_); }

    void count_reuse() noexcept { reuses_.fetch_add(1, std::memory_order_relaxed); }
    void add_to(statement_cache_stats& s) const noexcept;

private:
    using entry = std::pair<std::string, std::unique_ptr<cached_statement>>;
    std::size_t capacity_;
    std::list<entry> lru_;  // most recently used first
    std::unordered_map<std::string, std::list<entry>::iterator> index_;
    const void* connection_ = nullptr;
    std::size_t names_ = 0;
    std::atomic<std::size_t> prepares_{0}, reuses_{0}, evictions_{0}, entries_{0};
};

}  // namespace eagerload::detail
