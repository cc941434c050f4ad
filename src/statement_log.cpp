// Statement observers: the registry in database_state, the query counter, hooks and the
// line sink. The execution layer (src/execute.cpp) reports through statement_probe.
#include "eagerload/statement_log.hpp"

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <mutex>

#include "database_state.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "statement_probe.hpp"

namespace eagerload {
namespace detail {
namespace {

// This thread's counter_scope::this_thread observers, by database.
thread_local std::vector<std::pair<const database_state*, statement_observer*>> thread_observers;

std::size_t this_thread_number() {
    static std::atomic<std::size_t> next{1};
    thread_local const std::size_t n = next.fetch_add(1, std::memory_order_relaxed);
    return n;
}

}  // namespace

void database_state::add_observer(statement_observer* o, counter_scope scope) {
    if (scope == counter_scope::this_thread) {
        thread_observers.emplace_back(this, o);
        return;
    }
    std::lock_guard lock(observers_mutex_);
    observers_.push_back(o);
    active_observers_.store(observers_.size(), std::memory_order_release);
}

void database_state::remove_observer(statement_observer* o, counter_scope scope) noexcept {
    if (scope == counter_scope::this_thread) {
        std::erase(thread_observers, std::pair<const database_state*, statement_observer*>(this, o));
        return;
    }
    std::lock_guard lock(observers_mutex_);
    std::erase(observers_, o);
    active_observers_.store(observers_.size(), std::memory_order_release);
}

bool database_state::observed() const noexcept {
    if (active_observers_.load(std::memory_order_relaxed) != 0) return true;
    for (const auto& entry : thread_observers)
        if (entry.first == this) return true;
    return false;
}

void database_state::before_statement(std::string_view sql) {
    // Copies: an observer may remove itself (or others) when it throws.
    for (const auto& [st, o] : std::vector(thread_observers))
        if (st == this) o->before(sql);
    if (active_observers_.load(std::memory_order_acquire) == 0) return;
    std::lock_guard lock(observers_mutex_);
    for (statement_observer* o : observers_) o->before(sql);
}

void database_state::after_statement(const statement_event& e) noexcept {
    for (const auto& [st, o] : thread_observers)
        if (st == this) o->after(e);
    if (active_observers_.load(std::memory_order_acquire) == 0) return;
    std::lock_guard lock(observers_mutex_);
    for (statement_observer* o : observers_) o->after(e);
}

statement_probe::statement_probe(database_state& st, const std::string& sql, const params& ps, bool returns_rows)
    : st_(st.observed() ? &st : nullptr), sql_(sql), ps_(ps), returns_rows_(returns_rows),
      uncaught_(std::uncaught_exceptions()) {
    if (!st_) return;
    st_->before_statement(sql_);
    start_ = std::chrono::steady_clock::now();  // again when leased
}

statement_probe::~statement_probe() {
    if (!st_) return;
    statement_event e;
    e.sql = sql_;
    e.values = ps_;
    e.duration = std::chrono::steady_clock::now() - start_;
    e.rows = rows_;
    e.returns_rows = returns_rows_;
    e.failed = std::uncaught_exceptions() > uncaught_;
    e.connection = slot_;
    e.thread = std::this_thread::get_id();
    e.thread_number = this_thread_number();
    st_->after_statement(e);
}

}  // namespace detail

// --- observers -------------------------------------------------------------------------

void statement_observer::before(std::string_view) {}

statement_observer::~statement_observer() { unwatch(); }

void statement_observer::watch(const database& db, counter_scope scope) {
    db_.emplace(db);
    scope_ = scope;
    db.state().add_observer(this, scope);
    watching_ = true;
}

void statement_observer::unwatch() noexcept {
    if (!watching_) return;
    db_->state().remove_observer(this, scope_);
    watching_ = false;
}

statement_hook::statement_hook(const database& db, function fn, counter_scope scope) : fn_(std::move(fn)) {
    watch(db, scope);
}
statement_hook::~statement_hook() { unwatch(); }
void statement_hook::after(const statement_event& e) { fn_(e); }

// --- formatting ------------------------------------------------------------------------

namespace {
const char* type_name(const detail::param& p) {
    switch (p.k) {
    case detail::param::kind::null: return "null";
    case detail::param::kind::integer: return "int";
    case detail::param::kind::real: return "real";
    case detail::param::kind::text: return "text";
    case detail::param::kind::blob: return "blob";
    case detail::param::kind::decimal: return "decimal";
    }
    return "?";
}
}  // namespace

std::string format_values(std::span<const detail::param> values, show_values how) {
    if (values.empty() || how == show_values::none) return {};
    std::string out = "[";
    if (how == show_values::redacted) {
        out += std::to_string(values.size());
        out += values.size() == 1 ? " value: " : " values: ";
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ", ";
        const detail::param& p = values[i];
        if (how == show_values::redacted) {
            out += type_name(p);
            if (p.k == detail::param::kind::text || p.k == detail::param::kind::blob) {
                out += '(';
                out += std::to_string(p.s.size());
                out += ')';
            }
        } else if (p.k == detail::param::kind::text && p.s.size() > 64) {
            out += detail::describe(detail::param::text(p.s.substr(0, 64)));
            out += "...";
        } else {
            out += detail::describe(p);
        }
    }
    out += ']';
    return out;
}

std::string format_line(const statement_event& e, show_values how, std::chrono::nanoseconds slow) {
    char head[160];
    std::snprintf(head, sizeof head, "eagerload: %s%s%.3f ms, %zu row%s, connection %zu, thread %zu: ",
                  slow.count() > 0 && e.duration >= slow ? "SLOW " : "", e.failed ? "FAILED " : "", e.milliseconds(),
                  e.rows, e.rows == 1 ? "" : "s", e.connection, e.thread_number);
    std::string out = head;
    out += e.sql;
    const std::string values = format_values(e.values, how);
    if (!values.empty()) {
        out += ' ';
        out += values;
    }
    return out;
}

statement_hook::function log_lines(std::function<void(const std::string&)> write, log_options options) {
    return [write = std::move(write), options](const statement_event& e) {
        if (options.slow.count() > 0 && e.duration < options.slow) return;
        write(format_line(e, options.values, options.slow));
    };
}

statement_hook::function log_lines(std::FILE* out, log_options options) {
    return log_lines(
        [out](const std::string& line) {
            std::string l = line;
            l += '\n';
            std::fputs(l.c_str(), out);
        },
        options);
}

// --- the counter -------------------------------------------------------------------------

query_counter::query_counter(const database& db, counter_scope scope) { watch(db, scope); }
query_counter::~query_counter() { unwatch(); }

void query_counter::after(const statement_event& e) {
    statement_record r{std::string(e.sql), e.duration, e.rows, e.failed, e.connection, e.thread_number};
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(r));
}

std::size_t query_counter::count() const {
    std::lock_guard lock(mutex_);
    return records_.size();
}

std::vector<std::string> query_counter::statements() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    out.reserve(records_.size());
    for (const auto& r : records_) out.push_back(r.sql);
    return out;
}

std::vector<statement_record> query_counter::records() const {
    std::lock_guard lock(mutex_);
    return records_;
}

void query_counter::reset() {
    std::lock_guard lock(mutex_);
    records_.clear();
}

std::string query_counter::report() const { return eagerload::report(records()); }

std::string report(const std::vector<statement_record>& records) {
    std::string out;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const statement_record& r = records[i];
        char tail[160];
        std::snprintf(tail, sizeof tail, " -- %s%.3f ms, %zu row%s, connection %zu, thread %zu\n",
                      r.failed ? "FAILED, " : "", std::chrono::duration<double, std::milli>(r.duration).count(), r.rows,
                      r.rows == 1 ? "" : "s", r.connection, r.thread_number);
        out += std::to_string(i + 1);
        out += ": ";
        out += r.sql;
        out += tail;
    }
    return out;
}

}  // namespace eagerload

// --- no_statements -----------------------------------------------------------------------

#include "eagerload/no_statements.hpp"

namespace eagerload {

statement_forbidden::statement_forbidden(const std::string& sql)
    : error("eagerload: a statement ran inside a no_statements scope (this code must not touch the database: "
            "load what it needs before it runs):\n  statement: " +
            sql),
      sql_(sql) {}

no_statements::no_statements(const database& db, counter_scope scope) { watch(db, scope); }
no_statements::~no_statements() { unwatch(); }

void no_statements::before(std::string_view sql) {
    std::string s(sql);
    {
        std::lock_guard lock(mutex_);
        attempts_.push_back(s);
    }
    throw statement_forbidden(s);
}

std::vector<std::string> no_statements::attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
}

}  // namespace eagerload
