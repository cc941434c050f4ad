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
//   auto cards = eagerload::select<Task>().only<&Task::title>()     // projection.hpp
//                    .aggregate(agg::count(comments));              // aggregate.hpp
//
//   Task t = eagerload::get<Task>(db, 42);   // throws eagerload::not_found
//   std::optional<Task> u = eagerload::find<Task>(db, 42);
#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/aggregate.hpp"
#include "eagerload/database.hpp"
#include "eagerload/detail/call_site.hpp"
#include "eagerload/detail/key_condition.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/loads.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/detail/statement_cache.hpp"
#include "eagerload/detail/unused_loads.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/graph.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/plan.hpp"
#include "eagerload/projection.hpp"
#include "eagerload/relation.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

namespace detail {
// What a query's type records about how it was built: what join(), prefetch() and
// load() check at compile time.
enum query_flag : unsigned {
    filtered = 1,    // where()
    ordered = 2,     // order_by()
    limited = 4,     // limit() or offset()
    per_parent = 8,  // limit_per_parent() or offset_per_parent()
    nullable_order = 16,  // order_by() with a std::optional member: no keyed pages
};
}  // namespace detail

template <class T, unsigned Flags = 0, class... Loads>
class select_query;
template <class Node>
struct keyed_page;  // page.hpp

namespace detail {
// `q` with relation R loaded (joined or prefetched), described by `nested`.
template <class R>
query_tree with_relation(const query_tree& q, load_tree::kind how, query_tree&& nested) {
    using Owner = typename R::owner;
    using Target = typename R::target;
    if constexpr (R::kind == relation_kind::many_to_many) {
        using J = typename R::through;
        return with_relation(q, how, static_cast<std::uint8_t>(R::kind), field_index<Owner, R::owner_key>,
                             &table_of<Target>(), field_index<Target, R::target_key>, &table_of<J>(),
                             field_index<J, R::through_owner_key>,
                             field_index<J, R::through_target_key>, std::move(nested));
    } else {
        return with_relation(q, how, static_cast<std::uint8_t>(R::kind), field_index<Owner, R::owner_key>,
                             &table_of<Target>(), field_index<Target, R::target_key>, nullptr, 0, 0, std::move(nested));
    }
}

template <class Node>
std::vector<Node> load_graph(const query_tree& q, const database& db, std::size_t expected_rows);
template <class Q>
keyed_page<typename Q::node_type> load_page(const Q& q, const database& db, std::size_t size, std::string_view token);
template <class Q>
keyed_page<typename Q::node_type> load_page_at(const Q& q, const database& db, std::size_t size,
                                               const typename Q::model_type& row, bool before);
template <class Row>
std::vector<Row> fetch_view_rows(const database& db, const std::string& sql, const params& ps, const level_spec& l,
                                 std::size_t expected_rows);
}  // namespace detail

// T is the model, or a view of it (a projected query: only<...>()); M is the model.
template <class T, unsigned Flags, class... Loads>
class select_query {
    using M = detail::model_of<T>;
    static constexpr bool model_ok = detail::check_model<M>();
    template <class, unsigned, class...>
    friend class select_query;

public:
    using model_type = M;
    using row_type = T;  // what all() returns: M, or view<M, columns...>
    using node_type = node<T, Loads...>;
    static constexpr unsigned flags = Flags;
    // Whether where() was called: a prefetched single relation with a filter may be absent.
    static constexpr bool filtered = (Flags & detail::filtered) != 0;
    // Statements load() runs: this one, plus one per prefetched level (fewer only when a
    // level has no parent rows).
    static constexpr std::size_t statements = 1 + (Loads::statements + ... + 0);

    select_query() { tree_.spec.table = &detail::table_of<M>(); }

    // Filters rows; a second where() is ANDed with the first.
    template <class C>
    select_query<T, Flags | detail::filtered, Loads...> where(condition<C> c) const {
        static_assert(std::is_same_v<C, M>, "eagerload: where(): the condition filters another model than "
                                            "the one this query selects");
        select_query<T, Flags | detail::filtered, Loads...> q(tree_);
        if constexpr (std::is_same_v<C, M>)
            q.tree_.spec.where =
                detail::combine(detail::cond_node::op::and_, condition<M>{tree_.spec.where}, std::move(c)).node;
        return q;
    }

    // Sort keys, appended to any given before.
    template <class... Terms>
    select_query<T, Flags | detail::ordered | ((Terms::nullable || ...) ? detail::nullable_order : 0u), Loads...>
    order_by(Terms... terms) const {
        static_assert(sizeof...(Terms) > 0, "eagerload: order_by() needs at least one asc<...> or desc<...>");
        static_assert((std::is_same_v<typename Terms::model_type, M> && ...),
                      "eagerload: order_by(): a sort key is a column of another model than the one this "
                      "query selects");
        select_query<T, Flags | detail::ordered | ((Terms::nullable || ...) ? detail::nullable_order : 0u), Loads...> q(
            tree_);
        (q.tree_.spec.order.push_back(terms.item()), ...);
        return q;
    }

    // What a query was built with is part of its type (so that misuse is a compile
    // error): to decide a limit at run time, pass std::nullopt for "none".
    auto limit(std::optional<long long> n) const { return with<detail::limited>(&detail::select_spec::limit, "limit", n); }
    auto offset(std::optional<long long> n) const {
        return with<detail::limited>(&detail::select_spec::offset, "offset", n);
    }

    // On a prefetched level: at most n rows per parent ("top 10 tasks of each project"),
    // in SQL, in the level's single statement.
    auto limit_per_parent(std::optional<long long> n) const {
        return with<detail::per_parent>(&detail::select_spec::limit_per_parent, "limit_per_parent", n);
    }
    auto offset_per_parent(std::optional<long long> n) const {
        return with<detail::per_parent>(&detail::select_spec::offset_per_parent, "offset_per_parent", n);
    }

    // Loads a belongs_to or has_one relation in the same statement (LEFT JOIN).
    template <class R>
    auto join(R r) const {
        if constexpr (!Relation<R>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: join(relation): the argument is not a relation (belongs_to, has_one, has_many "
                          "or many_to_many value); a column or any other value cannot be joined");
            return *this;
        } else {
            return join(r, select_query<typename R::target>{});
        }
    }
    template <class R, class Q>
    auto join(R, Q nested) const {
        if constexpr (!check_relation<R, Q>()) {
            return *this;
        } else if constexpr (!R::single) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: join() loads one related row per row (belongs_to, has_one): prefetch() a "
                          "has_many or many_to_many, since joining a collection would multiply the rows");
            return *this;
        } else if constexpr ((Q::flags & detail::filtered) != 0) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: a joined relation takes no where(): prefetch it to filter it");
            return *this;
        } else if constexpr ((Q::flags & (detail::ordered | detail::limited | detail::per_parent)) != 0) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: a joined relation takes no order_by(), limit(), offset() or "
                          "limit_per_parent(): it loads one row per parent row; prefetch it to order or limit it");
            return *this;
        } else {
            return add<detail::joined_load<R, typename Q::node_type>>(
                detail::with_relation<R>(tree_, detail::load_tree::kind::joined, std::move(nested.tree_)));
        }
    }

    // Loads any relation with ONE further statement for all rows of this level.
    template <class R>
    auto prefetch(R r) const {
        if constexpr (!Relation<R>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: prefetch(relation): the argument is not a relation (belongs_to, has_one, "
                          "has_many or many_to_many value); a column or any other value cannot be prefetched");
            return *this;
        } else {
            return prefetch(r, select_query<typename R::target>{});
        }
    }
    template <class R, class Q>
    auto prefetch(R, Q nested) const {
        if constexpr (!check_relation<R, Q>()) {
            return *this;
        } else if constexpr ((Q::flags & detail::limited) != 0) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: prefetch(): limit()/offset() on a prefetched level would cut across all "
                          "parents: use limit_per_parent()/offset_per_parent()");
            return *this;
        } else {
            return add<detail::prefetched_load<R, typename Q::node_type, Q::filtered>>(
                detail::with_relation<R>(tree_, detail::load_tree::kind::prefetched, std::move(nested.tree_)));
        }
    }

    // --- projections and aggregates (projection.hpp, aggregate.hpp) ---------------------
    // Loads only these columns of M, and its key (and the keys its relations need): rows
    // and nodes become view<M, Ps...>, whose loaded columns are read with [col<...>].
    template <auto... Ps>
    auto only() const {
        if constexpr (sizeof...(Ps) == 0) {
            static_assert(detail::dependent_false<T>, "eagerload: only<...>() needs at least one column");
            return *this;
        } else if constexpr (detail::view_traits<T>::is_view) {
            static_assert(detail::dependent_false<T>,
                          "eagerload: only<...>() is already applied to this query: name every column in one call");
            return *this;
        } else if constexpr (!(detail::data_member_pointer<Ps> && ...)) {
            static_assert(detail::dependent_false<T>, "eagerload: only<...>() takes member pointers (&Model::column)");
            return *this;
        } else if constexpr (!(std::is_same_v<detail::class_of<Ps>, M> && ...)) {
            static_assert(detail::dependent_false<T>,
                          "eagerload: only<...>(): a column is a member of another model than the one this query selects");
            return *this;
        } else {
            select_query<view<M, Ps...>, Flags, Loads...> q(tree_);
            auto& only = q.tree_.spec.only;
            only = {detail::field_index<M, Ps>...};
            std::sort(only.begin(), only.end());
            only.erase(std::unique(only.begin(), only.end()), only.end());
            return q;
        }
    }

    // Loads an aggregate of a relation (agg::count, sum, min, max, exists) per row, in this
    // level's own statement; read it with node[the same aggregate].
    template <class A>
    auto aggregate(A a) const {
        if constexpr (!detail::aggregate_value<A>) {
            static_assert(detail::dependent_false<A>,
                          "eagerload: aggregate(...) takes agg::count(relation), agg::sum<column>(relation), "
                          "agg::min/max<column>(relation) or agg::exists(relation)");
            return *this;
        } else if constexpr (!std::is_same_v<typename A::relation::owner, M>) {
            static_assert(detail::dependent_false<A>,
                          "eagerload: aggregate(): its relation starts from another model than the one this query "
                          "selects");
            return *this;
        } else if constexpr (detail::load_index<A, Loads...>() != detail::npos) {
            static_assert(detail::dependent_false<A>,
                          "eagerload: this aggregate is already loaded by this query; to load it twice (say, with two "
                          "filters), declare a second relation with its own Tag type");
            return *this;
        } else {
            return select_query<T, Flags, Loads..., detail::aggregate_load<A>>(detail::with_aggregate(
                detail::with_relation<typename A::relation>(tree_, detail::load_tree::kind::aggregated, {}), a.item()));
        }
    }

    // The rows, as plain models (queries without join/prefetch).
    std::vector<T> all(const database& db, eagerload::source_location where = eagerload::source_location::current()) const {
        const detail::call_site site(where);  // for the N+1 detector
        static_assert(sizeof...(Loads) == 0, "eagerload: this query loads relations: call load(db) for the graph");
        static_assert((Flags & detail::per_parent) == 0,
                      "eagerload: limit_per_parent()/offset_per_parent() apply to prefetched levels: use limit()/offset() on the query you load");
        const detail::level_spec level = detail::root_level(tree_);
        detail::params ps;
        const std::string text = detail::render_level(level, db.sql_dialect(), nullptr, ps);
        return detail::retry_read(db, [&] {
            if constexpr (detail::view_traits<T>::is_view)
                return detail::fetch_view_rows<T>(db, text, ps, level, expected_rows());
            else
                return detail::fetch_rows<M>(db, text, ps, level.columns, expected_rows());
        });
    }

    // The typed graph: all statements run in one snapshot (REPEATABLE READ on
    // PostgreSQL); it returns the whole graph or throws.
    std::vector<node_type> load(const database& db, eagerload::source_location where = eagerload::source_location::current()) const {
        const detail::call_site site(where);
        static_assert((Flags & detail::per_parent) == 0,
                      "eagerload: limit_per_parent()/offset_per_parent() apply to prefetched levels: use limit()/offset() on the query you load");
        std::vector<node_type> graph = detail::load_graph<node_type>(tree_, db, expected_rows());
        if (detail::tracking_reads != 0) [[unlikely]]
            detail::note_loaded_graph(tree_, graph, where);  // the unused-load detector (detector.hpp)
        return graph;
    }

    // --- keyed pages (page.hpp) ----------------------------------------------------
    // `size` rows after the row a token names (token "": the first page), in this
    // query's order with the primary key as the last tie-breaker, and the tokens of
    // the pages after and before it. Relations load for the page's rows only.
    keyed_page<node_type> page(const database& db, std::size_t size, std::string_view token = {},
                               eagerload::source_location where = eagerload::source_location::current()) const {
        check_pageable();
        const detail::call_site site(where);
        return noted(detail::load_page(*this, db, size, token), where);
    }
    // The page after (before) `row`, by its order-key values.
    keyed_page<node_type> page_after(const database& db, std::size_t size, const T& row,
                                     eagerload::source_location where = eagerload::source_location::current()) const {
        check_pageable();
        const detail::call_site site(where);
        return noted(detail::load_page_at(*this, db, size, row, false), where);
    }
    keyed_page<node_type> page_before(const database& db, std::size_t size, const T& row,
                                      eagerload::source_location where = eagerload::source_location::current()) const {
        check_pageable();
        const detail::call_site site(where);
        return noted(detail::load_page_at(*this, db, size, row, true), where);
    }

    std::optional<T> first(const database& db, eagerload::source_location where = eagerload::source_location::current()) const {
        auto rows = limit(1).all(db, where);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }

    // Counts this level's rows (relations are not loaded).
    long long count(const database& db, eagerload::source_location where = eagerload::source_location::current()) const {
        const detail::call_site site(where);
        detail::params ps;
        const std::string text = detail::render_count(tree_.spec, db.sql_dialect(), ps);
        return detail::retry_read(db, [&] { return detail::fetch_scalar(db, text, ps); });
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
        detail::append_plan(tree_, d, p.statements);
        return p;
    }

    // --- for the loader -----------------------------------------------------------
    const detail::select_spec& spec() const noexcept { return tree_.spec; }
    // Its values and those of every nested query, in the order of Loads.
    const detail::query_tree& tree() const noexcept { return tree_; }
    // The most rows this level can return, 0 when unbounded: sizes fetch buffers.
    std::size_t expected_rows() const noexcept {
        return tree_.spec.limit ? static_cast<std::size_t>(*tree_.spec.limit) : 0;
    }

private:
    explicit select_query(detail::query_tree t) : tree_(std::move(t)) {}

    // A page's relations, for the unused-load detector (detector.hpp).
    template <class Page>
    Page noted(Page p, const eagerload::source_location& where) const {
        if (detail::tracking_reads != 0) [[unlikely]]
            detail::note_loaded_graph(tree_, p.rows, where);
        return p;
    }

    static constexpr void check_pageable() {
        static_assert((Flags & detail::limited) == 0,
                      "eagerload: page(): a keyed page sets its own limit: drop limit()/offset() from the query");
        static_assert((Flags & detail::per_parent) == 0,
                      "eagerload: limit_per_parent()/offset_per_parent() apply to prefetched levels");
        static_assert((Flags & detail::nullable_order) == 0,
                      "eagerload: page(): an order_by() key is a std::optional member; NULLs sort first on some "
                      "databases and last on others, so keyed pages take non-null order keys only");
    }

    // `t`: this query's tree with L's load appended.
    template <class L>
    auto add(detail::query_tree t) const {
        if constexpr (detail::load_index<typename L::relation, Loads...>() != detail::npos) {
            static_assert(detail::dependent_false<L>,
                          "eagerload: this relation is already loaded by this query; to load it twice (say, with "
                          "two filters), declare a second relation with its own Tag type");
            return *this;
        } else {
            return select_query<T, Flags, Loads..., L>(std::move(t));
        }
    }

    // One message for the first thing wrong with (R, Q); false stops the caller.
    template <class R, class Q>
    static constexpr bool check_relation() {
        if constexpr (!Relation<R>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: join()/prefetch(): the first argument is not a relation (belongs_to, has_one, "
                          "has_many or many_to_many value); a column or any other value cannot be loaded");
            return false;
        } else if constexpr (!R::valid) {
            return false;  // reported where the relation is declared
        } else if constexpr (!std::is_same_v<typename R::owner, M>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: join()/prefetch(): this relation starts from another model than the one this "
                          "query selects");
            return false;
        } else if constexpr (!requires { typename Q::model_type; Q::flags; }) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: join()/prefetch(): the second argument must be a query, "
                          "select<Target>()...");
            return false;
        } else if constexpr (!std::is_same_v<typename Q::model_type, typename R::target>) {
            static_assert(detail::dependent_false<R>,
                          "eagerload: join()/prefetch(): the nested query must select the relation's target model");
            return false;
        } else {
            return true;
        }
    }

    std::string sql_and_params(dialect d, detail::params& ps) const {
        return detail::render_level(detail::root_level(tree_), d, nullptr, ps);
    }

    template <unsigned Flag>
    select_query<T, Flags | Flag, Loads...> with(std::optional<long long> detail::select_spec::*field, const char* what,
                                                 std::optional<long long> n) const {
        return select_query<T, Flags | Flag, Loads...>(detail::with_limit(tree_, field, what, n));
    }

    detail::query_tree tree_;  // its values, untyped (detail/level_spec.hpp)
};

template <class T>
select_query<T> select() {
    return select_query<T>{};
}

// The row whose primary key equals `key`, if any. A composite key takes every key
// column's value, in key order: find<OrderLine>(db, std::tuple{order_id, line_no}) or
// find<OrderLine>(db, order_id, line_no).
template <class T, class K>
std::optional<T> find(const database& db, const K& key, eagerload::source_location where = eagerload::source_location::current()) {
    if constexpr (!detail::whole_key<T, K>()) {
        static_assert(detail::dependent_false<K>, "eagerload: find<T>(db, key): the key's shape does not match "
                                                  "model<T>::key (one value, or every column of a composite key)");
        return std::nullopt;
    } else {
        return select<T>().where(detail::key_condition<T>(key)).first(db, where);
    }
}
// (No call site for the N+1 detector from these: a defaulted argument cannot follow a pack.)
template <class T, class K1, class K2, class... Ks>
std::optional<T> find(const database& db, const K1& k1, const K2& k2, const Ks&... ks) {
    return find<T>(db, std::forward_as_tuple(k1, k2, ks...), eagerload::source_location{});
}

// The row whose primary key equals `key`; throws not_found naming table and key.
template <class T, class K>
T get(const database& db, const K& key, eagerload::source_location where = eagerload::source_location::current()) {
    if (auto row = find<T>(db, key, where)) return std::move(*row);
    if constexpr (detail::whole_key<T, K>())
        throw not_found("eagerload: no row in table \"" + detail::table_of<T>().name + "\" with " +
                        detail::describe_key<T>(key));
    else
        throw not_found("");  // not reached: find() reported the misuse
}
template <class T, class K1, class K2, class... Ks>
T get(const database& db, const K1& k1, const K2& k2, const Ks&... ks) {
    return get<T>(db, std::forward_as_tuple(k1, k2, ks...), eagerload::source_location{});
}

}  // namespace eagerload

#include "eagerload/detail/loader.hpp"
#include "eagerload/page.hpp"
