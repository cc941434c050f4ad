#include "eagerload/database.hpp"


#include <algorithm>
#include <exception>
#include <limits>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "connection_string.hpp"
#include "database_state.hpp"
#include "eagerload/errors.hpp"

namespace eagerload {
namespace detail {
namespace {


std::string trimmed(std::string s) {
    constexpr std::size_t max = 1000;
    if (s.size() > max) {
        s.resize(max);
        s += "... [truncated]";
    }
    return s;
}

}  // namespace

database_state::database_state(const backend& be, std::unique_ptr<soci::connection_pool> owned,
                               soci::connection_pool* pool, std::size_t size, connection_spec spec,
                               const open_options& options)
    : be_(be),
      owned_(std::move(owned)),
      pool_(pool),
      size_(size),
      lease_timeout_(options.lease_timeout),
      statement_timeout_(options.statement_timeout),
      retry_reads_(options.retry_reads),
      target_(std::move(spec.target)),
      secrets_(std::move(spec.secrets)),
      suspect_(std::make_unique<std::atomic<bool>[]>(size)),
      holders_(std::make_unique<std::atomic<std::thread::id>[]>(size)) {
    if (options.statement_cache_size > 0)
        for (std::size_t i = 0; i < size; ++i)
            caches_.push_back(std::make_unique<statement_cache>(options.statement_cache_size));
    description_ = to_string(be.kind());
    description_ += " database ";
    if (!owned_) {
        description_ += "(a SOCI pool opened by the caller)";
    } else {
        description_ += '"';
        description_ += spec.description;
        description_ += '"';
    }
}

std::string database_state::scrub(std::string_view text) const { return redact_text(text, secrets_); }

std::size_t database_state::lease() {
    // SOCI waits on a condition variable: -1 is forever, else whole milliseconds (an int).
    const auto ms = lease_timeout_.count();
    const int timeout = ms >= std::numeric_limits<int>::max() ? -1 : static_cast<int>(ms);
    std::size_t slot = 0;
    if (!pool_->try_lease(slot, 0)) {
        // Every session is taken. If this thread holds them all, none can come back while it waits.
        const auto me = std::this_thread::get_id();
        std::size_t mine = 0;
        for (std::size_t i = 0; i < size_; ++i)
            if (holders_[i].load(std::memory_order_acquire) == me) ++mine;
        if (mine == size_)
            throw error("eagerload: this thread already holds every session of " + description_ + " (pool_size = " +
                        std::to_string(size_) +
                        "), in a transaction or a leased_session, and asks for another: it would wait for itself "
                        "forever. Inside a transaction, eagerload's statements already run on its session; for "
                        "hand-written SOCI use transaction::session() (or a leased_session, which is that session "
                        "inside the thread's transaction). Or raise pool_size");
        if (!pool_->try_lease(slot, timeout))
            throw pool_timeout("eagerload: no session of " + description_ + " became free within lease_timeout (" +
                               std::to_string(ms) + " ms): every session of the pool (pool_size = " +
                               std::to_string(size_) +
                               ") is in use, by other threads' statements and transactions, or by this thread itself "
                               "if it holds one (leased from soci_pool()) while asking for another. Raise pool_size "
                               "or lease_timeout, or hold sessions for less time");
    }
    holders_[slot].store(std::this_thread::get_id(), std::memory_order_release);
    if (suspect_[slot].load(std::memory_order_acquire) && suspect_[slot].exchange(false)) {
        try {
            if (!pool_->at(slot).is_connected()) reopen(slot);  // PostgreSQL: one round trip
        } catch (...) {
            suspect_[slot].store(true, std::memory_order_release);
            give_back(slot);
            throw;
        }
    }
    return slot;
}

void database_state::give_back(std::size_t slot) noexcept {
    holders_[slot].store(std::thread::id(), std::memory_order_release);
    try {
        pool_->give_back(slot);
    } catch (...) {  // only for a slot that was not leased: a bug of ours, nothing to undo
    }
}

bool database_state::lost(std::size_t slot) noexcept {
    try {
        if (pool_->at(slot).is_connected()) return false;
    } catch (...) {
    }
    for (std::size_t i = 0; i < size_; ++i) suspect_[i].store(true, std::memory_order_release);
    return true;
}

void database_state::add_cache_stats(statement_cache_stats& s) const noexcept {
    for (const auto& c : caches_) c->add_to(s);
}

void database_state::suspect(std::size_t slot) noexcept { suspect_[slot].store(true, std::memory_order_release); }

void database_state::reopen(std::size_t slot) {
    soci::session& s = pool_->at(slot);
    if (statement_cache* c = cache(slot)) c->clear();  // its statements died with the connection
    try {
        if (owned_) {  // reopen as open() did, with the same set-up
            s.close();
            open_options o;
            o.statement_timeout = statement_timeout_;
            o.statement_cache_size = 0;  // only opens the session: the cache is ours already
            open_session(be_, s, target_, o);
        } else {  // the caller's session: SOCI reconnects with its last parameters
            s.reconnect();
        }
    } catch (const std::exception& e) {
        s.close();  // half set up (the connection opened, a set-up statement failed): start over next time
        throw connection_error("eagerload: lost the connection to " + description_ +
                               ", and cannot reconnect: " + trimmed(scrub(e.what())));
    }
}

void database_state::throw_lost(const std::exception& e, const std::string& sql) const {
    throw connection_error("eagerload: lost the connection to " + description_ +
                           " (this call is not retried; the session is replaced before its next use): " +
                           trimmed(scrub(e.what())) + "\n  statement: " + trimmed(sql));
}

void database_state::check_timeout(const std::exception& e, const std::string& sql) const {
    // PostgreSQL: SQLSTATE 57014 (query_canceled) is a statement timeout, or a
    // cancel request (pg_cancel_backend): the message tells them apart. MariaDB's
    // max_statement_time error is mapped to 57014 too (its message names it).
    // SOCI's error carries the SQLSTATE; the native PostgreSQL row path throws
    // statement_timeout for 57014 (see throw_statement_error).
    const bool cancelled = be_.error_state(e) == "57014" || dynamic_cast<const statement_timeout*>(&e);
    if (!cancelled) return;
    const std::string what = e.what();
    if (!statement_timeout_ && what.find("statement timeout") == std::string::npos &&
        what.find("max_statement_time") == std::string::npos) {
        if (const auto* st = dynamic_cast<const statement_timeout*>(&e))  // a cancel request: a plain database_error
            throw database_error(what, st->sql());
        return;
    }
    const std::string limit =
        statement_timeout_ ? "statement_timeout (" + std::to_string(statement_timeout_->count()) + " ms)"
                           : std::string("the server's statement_timeout");
    throw statement_timeout("eagerload: " + description_ + " cancelled the statement: it ran longer than " + limit +
                                ": " + trimmed(scrub(what)) + "\n  statement: " + trimmed(sql),
                            sql);
}

void open_session(const backend& be, soci::session& s, const std::string& target, const open_options& options) {
    be.open(s, target);
    if (options.statement_timeout && !be.set_statement_timeout(s, *options.statement_timeout))
        throw error(std::string("eagerload: open_options::statement_timeout is not supported on ") + be.name());
}

std::size_t database_state::pinned_slot() const {
    if (pin_count_.load(std::memory_order_acquire) == 0) return npos;
    const auto me = std::this_thread::get_id();
    std::lock_guard lock(pins_mutex_);
    for (const pin_record& p : pins_)
        if (p.thread == me) return p.slot;
    return npos;
}

void database_state::pin(std::thread::id thread, std::size_t slot) {
    std::lock_guard lock(pins_mutex_);
    pins_.push_back({thread, slot, false, {}});
    pin_count_.store(pins_.size(), std::memory_order_release);
}

void database_state::unpin(std::thread::id thread) noexcept {
    std::lock_guard lock(pins_mutex_);
    std::erase_if(pins_, [thread](const pin_record& p) { return p.thread == thread; });
    pin_count_.store(pins_.size(), std::memory_order_release);
}

void database_state::mark_failed(std::size_t slot, const std::string& what) {
    std::lock_guard lock(pins_mutex_);
    for (pin_record& p : pins_)
        if (p.slot == slot) {
            if (!p.failed) p.failure = what;
            p.failed = true;
        }
}

std::optional<std::string> database_state::failure(std::thread::id thread) const {
    std::lock_guard lock(pins_mutex_);
    for (const pin_record& p : pins_)
        if (p.thread == thread && p.failed) return p.failure;
    return std::nullopt;
}

void database_state::throw_not_in_transaction(std::size_t slot, std::thread::id thread, const std::string& sql) {
    const bool commit = sql == "COMMIT";
    const bool gone = lost(slot);
    if (gone && !commit)
        throw connection_error("eagerload: lost the connection to " + description_ +
                               " inside a transaction: the transaction was rolled back (the session is replaced "
                               "before its next use)");
    const std::optional<std::string> first = failure(thread);
    const std::string why =
        gone    ? "the connection to the database was lost (the transaction went with it)"
        : first ? "a statement failed inside it and the database rolled the whole transaction back (PostgreSQL does "
                  "on any failure, MariaDB on a deadlock or a lock wait timeout)"
                : "it is no longer open on its session: the database rolled it back or hand-written SQL on "
                  "transaction::session() ended it (MariaDB also ends it at any DDL statement)";
    std::string what = commit ? "eagerload: COMMIT did not commit on " + description_ + ": " + why +
                                    "; every write of the transaction was rolled back."
                              : "eagerload: the transaction on " + description_ + " is over: " + why +
                                    ". Its writes are not committed; nothing more runs in it (roll it back).";
    if (first && !first->empty()) what += "\n  first failure: " + *first;
    if (!commit) what += "\n  refused: " + trimmed(sql);
    throw transaction_aborted(what, sql);
}

session_lease::session_lease(database_state& st, const std::string& sql)
    : st_(st), slot_(st.pinned_slot()), owned_(slot_ == npos), uncaught_(std::uncaught_exceptions()) {
    if (owned_) {
        slot_ = st.lease();
    } else if (!st.be().in_transaction(st.pool().at(slot_), st.failure(std::this_thread::get_id()).has_value())) {
        // Not inside the transaction any more: on MariaDB the statement would run (and
        // commit) on its own, outside any transaction.
        reported_ = true;
        st.throw_not_in_transaction(slot_, std::this_thread::get_id(), sql);
    }
}

session_lease::~session_lease() {
    if (!reported_ && std::uncaught_exceptions() > uncaught_) {
        // A failure statement_failed() did not see. Inside a transaction it may have
        // aborted it (PostgreSQL): commit() checks before it claims success. A pooled
        // session is checked before its next use.
        if (owned_) {
            st_.suspect(slot_);
        } else {
            try {
                st_.mark_failed(slot_, "");
            } catch (...) {  // out of memory: commit() then sees no failure and commits as before
            }
        }
    }
    if (owned_) st_.give_back(slot_);
}

void session_lease::statement_failed(const std::exception& e, const std::string& sql) {
    reported_ = true;
    if (!owned_) st_.mark_failed(slot_, trimmed(st_.scrub(e.what())) + "\n  statement: " + trimmed(sql));
    if (st_.lost(slot_)) st_.throw_lost(e, sql);
    st_.check_timeout(e, sql);
}

}  // namespace detail

namespace {
std::shared_ptr<detail::database_state> open_state(const detail::backend& be, std::string_view text,
                                                   open_options options);
}

database database::open(std::string_view url, open_options options) {
    const std::size_t colon = url.find(':');
    const detail::backend* be = colon == std::string_view::npos ? nullptr : detail::backend_for_scheme(url.substr(0, colon));
    if (!be) {
        // Name the scheme only when it looks like one: the text may be a mistyped secret.
        const std::string_view scheme = colon == std::string_view::npos ? std::string_view() : url.substr(0, colon);
        const bool plausible = !scheme.empty() && scheme.size() <= 20 &&
                               std::all_of(scheme.begin(), scheme.end(), [](char c) {
                                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-';
                               });
        throw error(std::string("eagerload: database::open: ") +
                    (plausible ? "unknown URL scheme \"" + std::string(scheme) + "\""
                               : std::string("the URL does not start with a known scheme")) +
                    ": expected one of " + detail::known_urls());
    }
    // "postgresql://..." is a URI as a whole; "postgresql:host=..." is the backend's own form.
    const std::string_view rest = url.substr(colon + 1);
    return database(open_state(*be, rest.starts_with("//") ? url : rest, options));
}

namespace {

std::shared_ptr<detail::database_state> open_state(const detail::backend& be, std::string_view text,
                                                   open_options options) {
    if (options.pool_size == 0) throw error("eagerload: open_options::pool_size must be at least 1");
    if (options.lease_timeout.count() < 0)
        throw error("eagerload: open_options::lease_timeout must not be negative (milliseconds::max() waits forever)");
    if (options.statement_timeout && options.statement_timeout->count() <= 0)
        throw error("eagerload: open_options::statement_timeout must be positive (leave it unset for the database's "
                    "default)");
    if (options.statement_timeout && options.statement_timeout->count() > std::numeric_limits<int>::max())
        throw error("eagerload: open_options::statement_timeout is too long (at most 2147483647 ms)");
    detail::connection_spec spec;
    try {
        spec = be.parse_connection(text);
    } catch (const detail::connection_string_error& e) {  // its message holds no value of the text
        throw error(std::string("eagerload: malformed ") + be.name() + " connection string: " + e.what() +
                    ". Expected forms: " + be.url_example());
    }
    auto pool = std::make_unique<soci::connection_pool>(options.pool_size);
    for (std::size_t i = 0; i < options.pool_size; ++i) {
        try {
            detail::open_session(be, pool->at(i), spec.target, options);
        } catch (const std::exception& e) {
            throw connection_error("eagerload: cannot connect to " + std::string(to_string(be.kind())) +
                                   " database \"" + spec.description + "\": " +
                                   detail::trimmed(detail::redact_text(e.what(), spec.secrets)));
        }
    }
    soci::connection_pool* raw = pool.get();
    return std::make_shared<detail::database_state>(be, std::move(pool), raw, options.pool_size, std::move(spec),
                                                    options);
}

}  // namespace

database database::sqlite(std::string path, open_options options) {
    return database(open_state(detail::sqlite_backend(), path, options));
}

database database::postgresql(std::string conninfo, open_options options) {
    return database(open_state(detail::postgresql_backend(), conninfo, options));
}

database database::mariadb(std::string conn, open_options options) {
    return database(open_state(detail::mariadb_backend(), conn, options));
}

database database::from_pool(soci::connection_pool& pool, std::size_t size, dialect d,
                             std::chrono::milliseconds lease_timeout) {
    if (size == 0) throw error("eagerload: database::from_pool: size must be at least 1");
    if (lease_timeout.count() < 0)
        throw error("eagerload: database::from_pool: lease_timeout must not be negative (milliseconds::max() waits "
                    "forever)");
    const detail::backend& be = detail::backend_for(d);
    // eagerload reads rows from each session's native connection: a session of another
    // backend would be cast to the wrong type.
    for (std::size_t i = 0; i < size; ++i) {
        soci::session& s = pool.at(i);
        if (!s.get_backend())
            throw error("eagerload: database::from_pool: session " + std::to_string(i) +
                        " is not open: open every session of the pool (pool.at(i).open(...)) before handing it over");
        const std::string name = s.get_backend_name();
        if (name != be.soci_name())
            throw error("eagerload: database::from_pool: session " + std::to_string(i) + " is a SOCI \"" + name +
                        "\" session, but the pool was named a " + be.name() + " one (SOCI backend \"" +
                        be.soci_name() + "\"): pass the dialect of the database the pool is connected to");
    }
    open_options o;
    o.pool_size = size;
    o.lease_timeout = lease_timeout;  // and the default statement cache
    return database(std::make_shared<detail::database_state>(be, nullptr, &pool, size, detail::connection_spec{}, o));
}

dialect database::sql_dialect() const noexcept { return state_->be().kind(); }
std::size_t database::pool_size() const noexcept { return state_->size(); }
soci::connection_pool& database::soci_pool() const noexcept { return state_->pool(); }

// --- transactions ---------------------------------------------------------------

transaction::transaction(const database& db, isolation level, bool read_only)
    : db_(db), slot_(detail::npos), thread_(std::this_thread::get_id()) {
    auto& st = db_.state();
    if (st.pinned_slot() != detail::npos)
        throw error("eagerload: a transaction is already open on " + st.description() +
                    " in this thread: one transaction per thread and database (commit or roll back the first)");
    slot_ = st.lease();
    try {
        st.pin(thread_, slot_);
    } catch (...) {
        st.give_back(slot_);
        throw;
    }
    try {
        st.be().begin(st.pool().at(slot_), level, read_only);
    } catch (const std::exception& e) {
        st.unpin(thread_);
        const bool lost = st.lost(slot_);
        st.give_back(slot_);
        if (lost) st.throw_lost(e, "BEGIN");
        throw database_error("eagerload: cannot begin a transaction on " + st.description() + ": " +
                                 detail::trimmed(st.scrub(e.what())),
                             "BEGIN");
    }
}

void transaction::finish(const char* sql) {
    if (!active_) throw error("eagerload: the transaction was already committed or rolled back");
    active_ = false;
    auto& st = db_.state();
    st.unpin(thread_);  // the opening thread's pin, whichever thread ends the transaction
    struct give_back {
        detail::database_state& st;
        std::size_t slot;
        ~give_back() { st.give_back(slot); }
    } guard{st, slot_};
    const bool commit = std::string_view(sql) == "COMMIT";
    try {
        st.pool().at(slot_) << sql;
    } catch (const std::exception& e) {
        if (!st.lost(slot_))
            throw database_error("eagerload: " + std::string(sql) + " failed on " + st.description() + ": " +
                                     detail::trimmed(st.scrub(e.what())),
                                 sql);
        // A transaction whose connection is gone never commits: a ROLLBACK did its job.
        if (commit)
            throw connection_error("eagerload: lost the connection to " + st.description() +
                                   " during COMMIT: whether the transaction committed is unknown (" +
                                   detail::trimmed(st.scrub(e.what())) + ")");
    }
}

void transaction::commit() {
    if (!active_) throw error("eagerload: the transaction was already committed or rolled back");
    auto& st = db_.state();
    const std::optional<std::string> failure = st.failure(thread_);
    // Ask the session whether the transaction is still open before claiming it committed:
    // PostgreSQL aborts it at any failed statement (and its COMMIT then rolls back while
    // reporting success); MariaDB rolls it back at a deadlock or a lock wait timeout and
    // goes on in autocommit (its COMMIT then "succeeds" with the earlier writes gone).
    // Free on SQLite and PostgreSQL; on MariaDB a round trip only after a failure.
    if (!st.be().in_transaction(st.pool().at(slot_), failure.has_value())) {
        try {
            st.throw_not_in_transaction(slot_, thread_, "COMMIT");
        } catch (...) {
            try {
                finish("ROLLBACK");
            } catch (const std::exception&) {  // the transaction is over either way
            }
            throw;
        }
    }
    if (!failure) return finish("COMMIT");
    try {
        finish("COMMIT");
    } catch (const database_error& e) {  // e.g. SQLite rolled back by itself (disk full, I/O error)
        const std::string first = failure->empty() ? std::string("(its message was not recorded)") : *failure;
        throw transaction_aborted("eagerload: COMMIT did not commit on " + st.description() +
                                      ": a statement failed inside the transaction and COMMIT failed (" + e.what() +
                                      "); every write of the transaction was rolled back.\n  first failure: " + first,
                                  "COMMIT");
    }
}
void transaction::rollback() { finish("ROLLBACK"); }

soci::session& transaction::session() const {
    if (!active_) throw error("eagerload: transaction::session(): the transaction was already committed or rolled back");
    return db_.state().pool().at(slot_);
}

// --- hand-written SOCI --------------------------------------------------------------

leased_session::leased_session(const database& db) : db_(db), slot_(db.state().pinned_slot()), owned_(false) {
    auto& st = db_.state();
    if (slot_ == detail::npos) {
        slot_ = st.lease();
        owned_ = true;
    }
    session_ = &st.pool().at(slot_);
}

leased_session::~leased_session() {
    if (owned_) db_.state().give_back(slot_);
}

transaction::~transaction() {
    if (!active_) return;
    try {
        finish("ROLLBACK");
    } catch (...) {  // a destructor must not throw; the session reports the failure on next use
    }
}

}  // namespace eagerload
