#include "statement_cache.hpp"

#include "database_state.hpp"
#include "eagerload/database.hpp"

namespace eagerload::detail {

void statement_cache::use_connection(const void* conn) {
    if (conn == connection_) return;
    clear();
    connection_ = conn;
}

cached_statement* statement_cache::find(const std::string& sql) {
    const auto it = index_.find(sql);
    if (it == index_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second.get();
}

cached_statement* statement_cache::insert(const std::string& sql, std::unique_ptr<cached_statement> st) {
    prepares_.fetch_add(1, std::memory_order_relaxed);
    erase(sql, true);
    while (!lru_.empty() && lru_.size() >= capacity_) {
        lru_.back().second->evicted();
        index_.erase(lru_.back().first);
        lru_.pop_back();
        evictions_.fetch_add(1, std::memory_order_relaxed);
    }
    lru_.emplace_front(sql, std::move(st));
    index_.emplace(sql, lru_.begin());
    entries_.store(lru_.size(), std::memory_order_relaxed);
    return lru_.front().second.get();
}

void statement_cache::erase(const std::string& sql, bool release) {
    const auto it = index_.find(sql);
    if (it == index_.end()) return;
    if (release) it->second->second->evicted();
    lru_.erase(it->second);
    index_.erase(it);
    entries_.store(lru_.size(), std::memory_order_relaxed);
}

void statement_cache::clear() noexcept {
    index_.clear();
    lru_.clear();
    entries_.store(0, std::memory_order_relaxed);
}

void statement_cache::add_to(statement_cache_stats& s) const noexcept {
    s.prepares += prepares_.load(std::memory_order_relaxed);
    s.reuses += reuses_.load(std::memory_order_relaxed);
    s.evictions += evictions_.load(std::memory_order_relaxed);
    s.entries += entries_.load(std::memory_order_relaxed);
}

statement_cache_stats statement_cache_stats_of(const database& db) {
    statement_cache_stats s;
    db.state().add_cache_stats(s);
    return s;
}

bool in_transaction(const database& db) { return db.state().pinned_slot() != npos; }

bool retries_reads(const database& db) { return db.state().retries_reads(); }

}  // namespace eagerload::detail
