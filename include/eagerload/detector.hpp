#pragma once
// The N+1 detector: watches a scope (a request, a test) and reports each statement
// shape (its SQL text with literals as ?; eagerload binds every value, so the shape is
// the text) that ran more than `threshold` times, how often, from where (the
// std::source_location of the application's select/load/get/count call), and, when
// the shape is a key lookup matching a declared relation (relation_names.hpp), the
// relation to load eagerly and how:
//
//   {
//       eagerload::n_plus_one_detector detect(db);          // log mode: reports to stderr at scope end
//       handle_request(db);
//   }
//   eagerload::n_plus_one_detector strict(db, {.mode = eagerload::detector_mode::raise});  // tests
//
// In raise mode the statement that crosses the threshold throws n_plus_one_error
// (before it runs), naming the shape and the advice.
//
// With unused_loads = true the same scope also reports unused eager loads: every
// relation or aggregate a load() on this thread joined, prefetched or aggregated (for
// owner rows it returned) and that no node[...] on this thread read on a node of that
// load before the scope ended, by path (projects.tasks.assignee) and the load's call
// site, with the .join/.prefetch/.aggregate to drop (docs/testing.md, "Unused eager
// loads"). Raise mode throws unused_load_error when the scope ends (unless an
// exception is already on its way). Off, the read path costs a thread-local flag test.
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eagerload/detail/call_site.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/statement_log.hpp"

namespace eagerload {
namespace detail {
struct loaded_relation;  // detail/unused_loads.hpp
}

enum class detector_mode { log, raise };

struct detector_options {
    std::size_t threshold = 5;  // a shape may run this many times; one more is reported
    detector_mode mode = detector_mode::log;
    // Shapes never reported: a shape containing any of these strings (a table name as
    // quoted in SQL, a whole statement) is a known case.
    std::vector<std::string> safelist{};
    // Log mode: where report() goes when the scope ends with findings (default stderr).
    std::function<void(const std::string&)> write{};
    counter_scope scope = counter_scope::this_thread;
    // Also report relations loaded in the scope and never read (this thread's loads and reads).
    // The safelist silences one by its path or a tail of it ("tasks.assignee").
    bool unused_loads = false;
};

// One repeated shape.
struct n_plus_one {
    std::string shape;
    std::size_t count = 0;
    struct site {
        std::string file;
        unsigned line = 0;
        std::string function;
        std::size_t count = 0;
        std::string advice;  // "" when the shape matches no declared relation
    };
    std::vector<site> sites;  // by call site, in first-seen order ("" file: call site unknown)
};

class n_plus_one_error : public error {
public:
    using error::error;
};

// A relation (or aggregate) loaded eagerly and never read in the scope, per path and call site.
struct unused_load {
    std::string path;         // projects.tasks.assignee; projects.count(tasks) for an aggregate
    std::string relation;     // assignee (the declared name, EAGERLOAD_NAME_RELATIONS); count(tasks)
    bool joined = false;      // join()
    bool aggregated = false;  // aggregate(); neither: prefetch()
    std::string file;      // the load() call ("" when unknown)
    unsigned line = 0;
    std::string function;
    std::size_t loads = 0;  // how many loads from that call site loaded it
    std::string advice;     // "drop .join(assignee) from the query that loads tasks"
};

class unused_load_error : public error {
public:
    using error::error;
};

// A shape's table and key column when it is a key lookup ("... FROM t WHERE t.c = ?"):
// empty strings otherwise.
struct key_lookup {
    std::string table, column;
};
key_lookup lookup_of(std::string_view sql);
// The SQL text with numeric and quoted literals replaced by ?.
std::string shape_of(std::string_view sql);

class n_plus_one_detector : public statement_observer {
public:
    explicit n_plus_one_detector(const database& db, detector_options options = {},
                                 eagerload::source_location scope = eagerload::source_location::current());
    // Log mode: writes report() when something was found. Raise mode with unused_loads:
    // throws unused_load_error when a loaded relation was never read.
    ~n_plus_one_detector() noexcept(false);

    std::vector<n_plus_one> findings() const;
    // Relations loaded so far in the scope and not read since (empty without unused_loads).
    std::vector<unused_load> unused_loads() const;
    // "" when nothing was found.
    std::string report() const;

    void before(std::string_view sql) override;
    void after(const statement_event&) override {}
    // For select_query::load() (detail/unused_loads.hpp): a relation it loaded.
    void loaded(const detail::loaded_relation& r, const eagerload::source_location& where);

private:
    struct site_state {
        std::string file, function;
        unsigned line = 0;
        std::size_t count = 0;
        std::string previous_table;  // the table read just before this site's first statement of the shape
    };
    struct shape_state {
        std::size_t count = 0;
        std::vector<site_state> sites;
    };
    struct load_event {  // one load() of a loaded_state's relation
        const void* id = nullptr;
        std::vector<const void*> owners;
        std::size_t reads_before = 0;
    };
    struct loaded_state {
        std::string path, relation, owner_table, file, function;
        int kind = 0;  // detail::load_kind
        unsigned line = 0;
        std::vector<load_event> loads;
    };
    std::string unused_report(const std::vector<unused_load>& found) const;
    std::string advice(const std::string& shape, const site_state& s) const;
    std::string describe(const std::string& shape, const shape_state& st) const;

    detector_options options_;
    eagerload::source_location scope_;
    mutable std::mutex mutex_;
    std::map<std::string, shape_state> shapes_;
    std::vector<std::string> order_;  // shapes in first-seen order
    std::string last_table_;
    std::vector<loaded_state> loaded_;  // unused_loads: by path and call site, first-seen order
    std::size_t reads_from_ = 0;        // detail::reads_recorded() when the scope opened
    int uncaught_ = 0;                  // std::uncaught_exceptions() when the scope opened
};

}  // namespace eagerload
