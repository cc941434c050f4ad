#pragma once
// The execution layer's interface: the compiled back end (src/execute.cpp) runs a
// statement with bound parameters and hands rows back in column-major batches; the
// typed front end turns batches into structs. No SOCI type crosses this boundary, so
// SOCI's headers stay out of every user translation unit.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "eagerload/detail/value.hpp"
#include "eagerload/timestamp.hpp"

namespace eagerload {
class database;
}

namespace eagerload::detail {

struct table_info;

// One fetched column, batch-sized, already converted to the member's type by the
// execution layer (which throws conversion_error for a value the member cannot hold
// exactly): integers, booleans and integer enums in `ints` (range-checked, booleans 0
// or 1, enums one of their listed values), a text enum's index in its list in `ints`,
// doubles and floats in `reals` (a float's value exactly), text, raw bytes and exact
// decimal text in `texts`, timestamps in `times`; nulls[i] != 0 marks a NULL.
struct column_data {
    col_type type;
    const value_domain* domain = nullptr;  // enums: the values a stored value must be one of
    std::vector<long long> ints;
    std::vector<double> reals;
    std::vector<std::string> texts;
    std::vector<timestamp> times;
    std::vector<unsigned char> nulls;
};

struct result_batch {
    std::size_t rows = 0;
    std::vector<column_data> columns;
};

// Where a result column comes from: its type, and what error messages name.
struct column_source {
    const table_info* table;
    std::size_t column;
    std::size_t segment = 0;  // in a level_spec: the segment it belongs to
    std::size_t key = npos;   // the result column holding the row's key, for messages
};

// A non-owning callable for fetch(): cheaper to instantiate than std::function, and
// the callable (a lambda at the call site) outlives the call.
class batch_sink {
public:
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, batch_sink>)
    batch_sink(F&& f) noexcept  // NOLINT: implicit by design
        : obj_(const_cast<void*>(static_cast<const void*>(&f))),
          call_([](void* o, result_batch& b) { (*static_cast<std::remove_reference_t<F>*>(o))(b); }) {}
    void operator()(result_batch& b) const { call_(obj_, b); }

private:
    void* obj_;
    void (*call_)(void*, result_batch&);
};

// Runs a query; `sink` is called once per batch of rows (possibly never).
// `expected_rows` (the query's limit, 0 when unknown) sizes the batches.
void fetch(const database& db, const std::string& sql, const params& ps, std::span<const column_source> columns,
           const batch_sink& sink, std::size_t expected_rows = 0);

// Runs a statement that returns no rows; returns how many rows it changed.
std::size_t execute(const database& db, const std::string& sql, const params& ps = {});

// Runs a query that returns one integer (count(*) and friends).
long long fetch_scalar(const database& db, const std::string& sql, const params& ps);

// Cold paths: each names table, column and the row's key.
[[noreturn]] void throw_null(const table_info& t, std::size_t column, const result_batch& b,
                             std::size_t key_column, std::size_t row);
// A value the member cannot hold exactly. `key` is the row's key as text ("" when unknown).
[[noreturn]] void throw_conversion(const column_source& c, std::string_view key, std::string_view db_value,
                                   std::string_view db_type);

}  // namespace eagerload::detail
