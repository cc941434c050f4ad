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
    ~n_plus_one_detector();  // log mode: writes report() when something was found

    std::vector<n_plus_one> findings() const;
    // "" when nothing was found.
    std::string report() const;

    void before(std::string_view sql) override;
    void after(const statement_event&) override {}

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
    std::string advice(const std::string& shape, const site_state& s) const;
    std::string describe(const std::string& shape, const shape_state& st) const;

    detector_options options_;
    eagerload::source_location scope_;
    mutable std::mutex mutex_;
    std::map<std::string, shape_state> shapes_;
    std::vector<std::string> order_;  // shapes in first-seen order
    std::string last_table_;
};

}  // namespace eagerload
