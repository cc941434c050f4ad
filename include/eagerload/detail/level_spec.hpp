#pragma once
// One statement of a load, described once and read by everything downstream: the
// renderer (src/sql.cpp) selects `columns` in order, the execution layer fetches them
// with their types, and the row reader (detail/row_reader.hpp) finds each model's
// fields at its segment's `first` column. Adding a column to a level means adding it
// here, nowhere else.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/select_spec.hpp"

namespace eagerload::detail {

// One model's columns in a level's rows: the level's own model (segments[0]) or a
// relation joined into the same statement (LEFT JOIN table AS j<index>).
struct segment {
    const table_info* table;
    std::size_t parent;         // the segment it is joined to; npos for segments[0]
    std::size_t column;         // joined: this table's column matched ...
    std::size_t parent_column;  // ... against this column of the parent segment
    std::size_t first;          // its first result column
    std::size_t end;            // one past the last segment joined below it (depth first)
    std::size_t key_column = npos;  // the result column of its primary key
    // A projected segment (.only<...>()): the result column of each of the table's
    // columns, npos where not loaded. Empty: every column, in order, from `first`.
    std::vector<std::size_t> fields;
    std::size_t aggregates = npos;  // the result column of its first aggregate
};

// An aggregate of a relation per row (aggregate.hpp): a correlated subquery in the
// SELECT list, over the rows `related` describes (an exists node: the related table,
// how it correlates with the row, and the aggregate's filter).
enum class aggregate_fn : std::uint8_t { count, sum, min, max, exists };
constexpr const char* aggregate_fn_name(aggregate_fn f) {
    switch (f) {
    case aggregate_fn::count: return "count";
    case aggregate_fn::sum: return "sum";
    case aggregate_fn::min: return "min";
    case aggregate_fn::max: return "max";
    case aggregate_fn::exists: return "exists";
    }
    return "?";
}
struct aggregate_item {
    aggregate_fn fn = aggregate_fn::count;
    cond_ptr related;
    std::string column;  // sum, min, max: the related model's column
    // Its result column's type and name, for the row path and messages: a table of
    // two columns, the owner's key and the aggregate ("count(tasks)").
    const table_info* info = nullptr;
};
struct aggregate_column {
    aggregate_item item;
    std::size_t segment;        // the segment whose rows it aggregates over
    std::size_t result_column;  // its position in the SELECT list
};

struct level_spec {
    select_spec base;
    std::vector<segment> segments;
    // The result layout, in SELECT order. A column whose `segment` is npos is the
    // parent key read from the join table of a many_to_many level.
    std::vector<column_source> columns;
    // Aggregate columns, in SELECT order; each segment's are contiguous.
    std::vector<aggregate_column> aggregates;

    // Prefetched levels: rows whose match column is in the parents' key list; through
    // a join table (many_to_many), rows reached from join rows whose owner column is.
    bool prefetch = false;
    const table_info* through = nullptr;
    std::size_t match_column = 0;           // of base.table, or of `through` (owner side)
    std::size_t through_target_column = 0;  // of `through`

    // The type of the parent keys the level matches (that of its match column).
    col_type key_type() const { return (through ? through : base.table)->columns[match_column].type; }

    // Starts the layout: the parent key column (many_to_many), then segments[0]. `keys`:
    // the columns (of s.table) the loader reads besides s.only, when s is projected.
    void begin(const select_spec& s, std::span<const std::size_t> keys = {});
    // Appends a joined model's segment and its columns (`only`: its projection, empty
    // for every column; `keys` as above); returns its index.
    std::size_t join(const table_info* t, std::size_t parent, std::size_t column, std::size_t parent_column,
                     std::span<const std::size_t> only = {}, std::span<const std::size_t> keys = {});
    // Appends an aggregate over segment s's rows (call for all of s's, one after the other).
    void aggregate(std::size_t s, aggregate_item a);
    // Marks the end of segment s's subtree: call after everything joined below it.
    void close(std::size_t s) noexcept { segments[s].end = segments.size(); }
};

// A query's values, as one untyped tree behind the typed select_query: its own select
// and, per load (in the order of the query's Loads), what the layout needs of it. Built
// by the query's builder calls (a push_back each); everything that reads it (layouts,
// plan, explain, index advice) is compiled code, not one instantiation per query type.
struct load_tree;
struct query_tree {
    select_spec spec;
    std::vector<load_tree> loads;
    // Out of line (src/load.cpp): every builder call copies the tree, and inlining that
    // copy into every query function of a program is a large part of its code.
    query_tree();
    query_tree(const query_tree&);
    query_tree(query_tree&&) noexcept;
    query_tree& operator=(const query_tree&);
    query_tree& operator=(query_tree&&) noexcept;
    ~query_tree();
};
struct load_tree {
    load_tree();
    load_tree(const load_tree&);
    load_tree(load_tree&&) noexcept;
    load_tree& operator=(const load_tree&);
    load_tree& operator=(load_tree&&) noexcept;
    ~load_tree();
    enum class kind : std::uint8_t { joined, prefetched, aggregated } how = kind::joined;
    std::uint8_t relation = 0;  // the relation's relation_kind (relation.hpp), for the tools
    // The relation's columns (an aggregate's too): the owner's key column, the target's
    // table and key column; a many_to_many's join table and its two key columns.
    std::size_t owner_column = 0;
    const table_info* target = nullptr;
    std::size_t target_column = 0;
    const table_info* through = nullptr;
    std::size_t through_owner_column = 0, through_target_column = 0;
    query_tree nested;         // joined, prefetched: the nested query
    aggregate_item aggregate;  // aggregated
};

// What a builder call changes in the tree, compiled (src/load.cpp) rather than inlined
// into every query expression of a program; each returns the new tree.
// `q` with one more joined or prefetched relation (its columns, and the nested query).
query_tree with_relation(const query_tree& q, load_tree::kind how, std::uint8_t relation, std::size_t owner_column,
                         const table_info* target,
                         std::size_t target_column, const table_info* through, std::size_t through_owner_column,
                         std::size_t through_target_column, query_tree&& nested);
// `q`, whose last load (with_relation(..., aggregated, ...)) is the aggregate `a` of that relation.
query_tree with_aggregate(query_tree&& q, aggregate_item a);
// `q` with spec.*field = n, after checking n >= 0 (std::invalid_argument naming `what` and the table).
query_tree with_limit(const query_tree& q, std::optional<long long> select_spec::*field, const char* what,
                      std::optional<long long> n);

// The layout of the root statement of a load (or of all()), and of a level prefetched
// through `load` (src/load.cpp).
level_spec root_level(const query_tree& q);
level_spec prefetch_level_spec(const load_tree& load);
// Every statement a load of `q` runs, in order (plan()).
void append_plan(const query_tree& q, dialect d, std::vector<std::string>& out);

// `key_list` is the encoded key list (prefetched levels only); placeholders are
// numbered in text order.
std::string render_level(const level_spec& s, dialect d, const std::string* key_list, params& ps);

// The single parameter value that carries a level's parent keys, in the dialect's form.
std::string encode_keys(dialect d, std::span<const long long> keys);
std::string encode_keys(dialect d, std::span<const std::string_view> keys);

}  // namespace eagerload::detail
