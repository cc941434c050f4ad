#pragma once
// EXPLAIN per level: each statement of a query's plan run under the database's EXPLAIN
// (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (FORMAT JSON), MariaDB EXPLAIN
// FORMAT=JSON), reported per level: which tables it scans fully, which it reads through
// an index (and which), and the estimated rows where the database gives them.
//
//   for (const auto& level : eagerload::explain(dashboard, db)) ...
//   std::fputs(eagerload::to_string(eagerload::explain(dashboard, db)).c_str(), stdout);
//
// The root statement is explained with the query's own values. A prefetched level's
// parent keys are only known when the level above has run: it is explained with a
// sample list of `sample_keys` keys, 1..N (as text for text keys), bound as the one list
// parameter the level runs with. Nothing is loaded.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eagerload/explain_report.hpp"
#include "eagerload/select.hpp"

namespace eagerload {

namespace detail {
struct explain_input {
    std::string sql;
    params ps;
    std::string keys;
};
std::vector<level_explain> explain_statements(const database& db, const std::vector<explain_input>& in);

inline void explain_loads(const query_tree& q, dialect d, std::size_t sample, std::vector<explain_input>& out) {
    for (const load_tree& load : q.loads) {
        if (load.how == load_tree::kind::aggregated) continue;  // a column of its level
        if (load.how == load_tree::kind::prefetched) {
            const level_spec spec = prefetch_level_spec(load);
            std::vector<long long> ints;
            std::vector<std::string> texts;
            std::vector<std::string_view> views;
            for (std::size_t i = 1; i <= sample; ++i) {
                ints.push_back(static_cast<long long>(i));
                texts.push_back(std::to_string(i));
            }
            for (const auto& t : texts) views.push_back(t);
            const bool text = spec.key_type() == col_type::text;
            const std::string list = text ? encode_keys(d, std::span<const std::string_view>(views))
                                          : encode_keys(d, std::span<const long long>(ints));
            explain_input e;
            e.sql = render_level(spec, d, &list, e.ps);
            e.keys = std::to_string(sample);
            e.keys += sample == 1 ? " sample key" : " sample keys";
            if (sample) {
                e.keys += " 1..";
                e.keys += std::to_string(sample);
            }
            if (text) e.keys += " (as text)";
            out.push_back(std::move(e));
        }
        explain_loads(load.nested, d, sample, out);
    }
}
}  // namespace detail

template <class Q>
std::vector<level_explain> explain(const Q& q, const database& db, std::size_t sample_keys = 10) {
    std::vector<detail::explain_input> in(1);
    in[0].sql = detail::render_level(detail::root_level(q.tree()), db.sql_dialect(), nullptr, in[0].ps);
    detail::explain_loads(q.tree(), db.sql_dialect(), sample_keys, in);
    return detail::explain_statements(db, in);
}


}  // namespace eagerload
