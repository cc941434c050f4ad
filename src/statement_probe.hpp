#pragma once
// What the execution layer does around each statement for the observers
// (eagerload/statement_log.hpp): nothing at all when none is installed; otherwise
// asks them before (they may refuse), times it, counts its rows and reports it after,
// also when it fails.
#include <chrono>
#include <cstddef>
#include <exception>
#include <string>

#include "eagerload/detail/execute.hpp"

namespace eagerload::detail {

class database_state;

class statement_probe {
public:
    // Asks the observers (which may throw to refuse the statement): construct it before
    // leasing a session.
    statement_probe(database_state& st, const std::string& sql, const params& ps, bool returns_rows);
    ~statement_probe();
    statement_probe(const statement_probe&) = delete;
    statement_probe& operator=(const statement_probe&) = delete;

    // The statement starts on session `slot`.
    void leased(std::size_t slot) {
        if (!st_) return;
        slot_ = slot;
        start_ = std::chrono::steady_clock::now();
    }
    // `sink` itself when unobserved, else a sink that counts rows on the way.
    batch_sink rows(const batch_sink& sink) {
        if (!st_) return sink;
        counting_.inner = &sink;
        return batch_sink(counting_);
    }
    // A statement without rows: how many it changed.
    std::size_t changed(std::size_t n) noexcept {
        rows_ = n;
        return n;
    }

private:
    struct counting_sink {
        const batch_sink* inner = nullptr;
        std::size_t* rows = nullptr;
        void operator()(result_batch& b) const {
            *rows += b.rows;
            (*inner)(b);
        }
    };
    database_state* st_;  // null: unobserved
    std::size_t slot_ = 0;
    const std::string& sql_;
    const params& ps_;
    bool returns_rows_;
    int uncaught_;
    std::size_t rows_ = 0;
    counting_sink counting_{nullptr, &rows_};
    std::chrono::steady_clock::time_point start_;
};

}  // namespace eagerload::detail
