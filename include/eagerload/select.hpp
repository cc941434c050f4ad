#pragma once
// Typed queries over one model, and what to load with it:
//
//   auto q = eagerload::select<Task>()
//                .where(col<&Task::project_id> == 7 && col<&Task::priority> >= 3)
//                .order_by(desc<&Task::priority>, asc<&Task::id>)
//                .limit(10);
//   std::vector<Task> tasks = q.all(db);     // one statement
//   long long n = q.count(db);               // one statement
//
//   auto page = eagerload::select<Project>()
//                   .join(owner)                                   // same statement
//                   .prefetch(tasks, select<Task>().limit_per_parent(10).join(assignee));  // +1
//   static_assert(decltype(page)::statements == 2);
//   for (const auto& p : page.load(db)) ... p[owner].name ... p[tasks] ...
//
//   Task t = eagerload::get<Task>(db, 42);   // throws eagerload::not_found
//   std::optional<Task> u = eagerload::find<Task>(db, 42);
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/loads.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/graph.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/plan.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

template <class T, bool Filtered = false, class... Loads>
class select_query;

namespace detail {
template <class Q>
std::vector<typename Q::node_type> load_graph(const Q& q, const database& db);
template <class Q>
void append_plan(const Q& q, dialect d, std::vector<std::string>& out);
void check_nested(const select_spec& s, bool per_parent, bool joined);
}  // namespace detail

template <class T, bool Filtered, class... Loads>
class select_query {
    static_assert(detail::check_model<T>());
    template <class, bool, class...>
    friend class select_query;

public:
    using model_type = T;
    using node_type = node<T, Loads...>;
    using loads_type = std::tuple<Loads...>;
    // Whether where() was called: a prefetched single relation with a filter may be absent.
    static constexpr bool filtered = Filtered;
    // Statements load() runs: this one, plus one per prefetched level (fewer only when a
    // level has no parent rows).
    static constexpr std::size_t statements = 1 + (Loads::statements + ... + 0);

    select_query() { spec_.table = &detail::table_of<T>(); }

    // Filters rows; a second where() is ANDed with the first.
    template <class M>
    select_query<T, true, Loads...> where(condition<M> c) const {
        static_assert(std::is_same_v<M, T>, "eagerload: where(): the condition filters another model than "
                                            "the one this query selects");
        select_query<T, true, Loads...> q(spec_, per_parent_, loads_);
        q.spec_.where = detail::combine(detail::cond_node::op::and_, condition<T>{spec_.where}, std::move(c)).node;
        return q;
    }

    // Sort keys, appended to any given before.
    template <class... Terms>
    select_query order_by(Terms... terms) const {
        static_assert(sizeof...(Terms) > 0, "eagerload: order_by() needs at least one asc<...> or desc<...>");
        static_assert((std::is_same_v<typename Terms::model_type, T> && ...),
                      "eagerload: order_by(): a sort key is a column of another model than the one this "
                      "query selects");
        select_query q = *this;
        (q.spec_.order.push_back(terms.item()), ...);
        return q;
    }

    select_query limit(long long n) const { return with(&detail::select_spec::limit, "limit", n); }
    select_query offset(long long n) const { return with(&detail::select_spec::offset, "offset", n); }

    // On a prefetched level: at most n rows per parent ("top 10 tasks of each project"),
    // in SQL, in the level's single statement.
    select_query limit_per_parent(long long n) const { return with_per_parent(0, "limit_per_parent", n); }
    select_query offset_per_parent(long long n) const { return with_per_parent(1, "offset_per_parent", n); }

    // Loads a belongs_to or has_one relation in the same statement (LEFT JOIN).
    template <Relation R>
    auto join(R r) const {
        return join(r, select_query<typename R::target>{});
    }
    template <Relation R, class Q>
    auto join(R, Q nested) const {
        check_relation<R, Q>();
        static_assert(R::single, "eagerload: join() loads one related row per row (belongs_to, has_one): "
                                 "prefetch() a has_many or many_to_many, since joining a collection would "
                                 "multiply the rows");
        static_assert(!Q::filtered, "eagerload: a joined relation takes no where(): prefetch it to filter it");
        detail::check_nested(nested.spec_, nested.per_parent_[0] || nested.per_parent_[1], true);
        return add<detail::joined_load<R, Q>>(std::move(nested));
    }

    // Loads any relation with ONE further statement for all rows of this level.
    template <Relation R>
    auto prefetch(R r) const {
        return prefetch(r, select_query<typename R::target>{});
    }
    template <Relation R, class Q>
    auto prefetch(R, Q nested) const {
        check_relation<R, Q>();
        detail::check_nested(nested.spec_, nested.per_parent_[0] || nested.per_parent_[1], false);
        return add<detail::prefetched_load<R, Q>>(std::move(nested));
    }

    // The rows, as plain models (queries without join/prefetch).
    std::vector<T> all(const database& db) const {
        static_assert(sizeof...(Loads) == 0, "eagerload: this query loads relations: call load(db) for the graph");
        detail::params ps;
        const std::string text = sql_and_params(db.sql_dialect(), ps);
        return detail::fetch_rows<T>(db, text, ps, expected_rows());
    }

    // The typed graph: all statements run in one snapshot (REPEATABLE READ on
    // PostgreSQL); it returns the whole graph or throws.
    std::vector<node_type> load(const database& db) const { return detail::load_graph(*this, db); }

    std::optional<T> first(const database& db) const {
        auto rows = limit(1).all(db);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }

    // Counts this level's rows (relations are not loaded).
    long long count(const database& db) const {
        detail::params ps;
        const std::string text = detail::render_count(spec_, db.sql_dialect(), ps);
        return detail::fetch_scalar(db, text, ps);
    }

    // This level's statement, as text with :pN placeholders.
    std::string sql(dialect d) const {
        detail::params ps;
        return sql_and_params(d, ps);
    }
    // The values bound to :p1, :p2, ... in order.
    detail::params parameters(dialect d) const {
        detail::params ps;
        sql_and_params(d, ps);
        return ps;
    }

    // Every statement load() runs, in order, before it runs.
    eagerload::plan plan(dialect d) const {
        eagerload::plan p;
        detail::append_plan(*this, d, p.statements);
        return p;
    }

    // --- for the loader -----------------------------------------------------------
    const detail::select_spec& spec() const noexcept { return spec_; }
    const std::tuple<Loads...>& loads() const noexcept { return loads_; }
    // The most rows this level can return, 0 when unbounded: sizes fetch buffers.
    std::size_t expected_rows() const noexcept { return spec_.limit ? static_cast<std::size_t>(*spec_.limit) : 0; }
    const std::optional<long long>& limit_per_parent_value() const noexcept { return per_parent_[0]; }
    const std::optional<long long>& offset_per_parent_value() const noexcept { return per_parent_[1]; }

    detail::level_spec level() const {
        detail::level_spec l;
        l.base = spec_;
        l.limit_per_parent = per_parent_[0];
        l.offset_per_parent = per_parent_[1];
        int counter = 0;
        collect_joins(detail::quote_identifier(spec_.table->name), counter, l.joins);
        return l;
    }

    template <class Out>
    void collect_joins(const std::string& parent, int& counter, Out& out) const {
        std::apply([&](const auto&... l) { (collect_join(l, parent, counter, out), ...); }, loads_);
    }

private:
    select_query(const detail::select_spec& s, const std::optional<long long> (&pp)[2], std::tuple<Loads...> l)
        : spec_(s), per_parent_{pp[0], pp[1]}, loads_(std::move(l)) {}

    template <class L, class Q>
    auto add(Q nested) const {
        static_assert(detail::load_index<typename L::relation, Loads...>() == detail::npos,
                      "eagerload: this relation is already loaded by this query; to load it twice (say, with "
                      "two filters), declare a second relation with its own Tag type");
        return select_query<T, Filtered, Loads..., L>(spec_, per_parent_,
                                                       std::tuple_cat(loads_, std::tuple<L>(L{std::move(nested)})));
    }

    template <class R, class Q>
    static constexpr void check_relation() {
        static_assert(std::is_same_v<typename R::owner, T>,
                      "eagerload: join()/prefetch(): this relation starts from another model than the one this "
                      "query selects");
        static_assert(std::is_same_v<typename Q::model_type, typename R::target>,
                      "eagerload: join()/prefetch(): the nested query must select the relation's target model");
    }

    template <class L, class Out>
    static void collect_join(const L& l, const std::string& parent, int& counter, Out& out) {
        if constexpr (!L::prefetched) {
            using R = typename L::relation;
            std::string name = "j";  // (not "j" + ...: GCC 12 warns falsely, -Wrestrict)
            name += std::to_string(++counter);
            const std::string alias = detail::quote_identifier(name);
            out.push_back(detail::join_spec{&detail::table_of<typename R::target>(), alias,
                                            detail::column_of<R::target_key>().name, parent,
                                            detail::column_of<R::owner_key>().name});
            l.q.collect_joins(alias, counter, out);
        }
    }

    std::string sql_and_params(dialect d, detail::params& ps) const {
        return detail::render_level(level(), d, nullptr, ps);
    }

    select_query with(std::optional<long long> detail::select_spec::*field, const char* what, long long n) const {
        check_non_negative(what, n);
        select_query q = *this;
        q.spec_.*field = n;
        return q;
    }
    select_query with_per_parent(int i, const char* what, long long n) const {
        check_non_negative(what, n);
        select_query q = *this;
        q.per_parent_[i] = n;
        return q;
    }
    static void check_non_negative(const char* what, long long n) {
        if (n < 0)
            throw std::invalid_argument("eagerload: " + std::string(what) + "(" + std::to_string(n) + ") on table " +
                                        std::string(model<T>::table) + ": must not be negative");
    }

    detail::select_spec spec_;
    std::optional<long long> per_parent_[2];
    std::tuple<Loads...> loads_;
};

template <class T>
select_query<T> select() {
    return select_query<T>{};
}

// The row whose primary key equals `key`, if any.
template <class T, class K>
std::optional<T> find(const database& db, const K& key) {
    return select<T>().where(col<model<T>::key> == key).first(db);
}

// The row whose primary key equals `key`; throws not_found naming table and key.
template <class T, class K>
T get(const database& db, const K& key) {
    if (auto row = find<T>(db, key)) return std::move(*row);
    const auto& t = detail::table_of<T>();
    throw not_found("eagerload: no row in table \"" + t.name + "\" with " + t.columns[t.key].name + " = " +
                    detail::describe(detail::to_param<detail::column_traits<
                                         detail::member_type_of<model<T>::key>>::type>(key)));
}

}  // namespace eagerload

#include "eagerload/detail/loader.hpp"
