#pragma once
// Variant I_tree (compile-cost prototype): select_query<T, Filtered, Loads...> is a typed
// facade over ONE untyped runtime value, detail::query_tree (filters, order, limits and
// the nested levels, each with its relation's runtime description). Copying, moving and
// destroying a query is then the same non-template code for every query type, adding a
// relation is a push_back, and every statement is rendered from the tree by compiled
// code (level_of, prefetch_spec_of, append_plan: declared here, defined in src/ in a
// real implementation; this prototype is for -c only).
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

// A relation at run time: built once per relation type.
struct relation_info {
    relation_kind kind;
    bool single;
    col_type key_type;
    const table_info* target;
    const table_info* through;
    std::string owner_column, target_column, through_owner_column, through_target_column;
};

template <class R>
const relation_info& relation_of() {
    static const relation_info info = [] {
        relation_info i{R::kind, R::single, column_traits<member_type_of<R::owner_key>>::type,
                        &table_of<typename R::target>(), nullptr, column_of<R::owner_key>().name,
                        column_of<R::target_key>().name, {}, {}};
        if constexpr (R::kind == relation_kind::many_to_many) {
            i.through = &table_of<typename R::through>();
            i.through_owner_column = column_of<R::through_owner_key>().name;
            i.through_target_column = column_of<R::through_target_key>().name;
        }
        return i;
    }();
    return info;
}

struct query_tree {
    select_spec spec;
    std::optional<long long> per_parent[2];
    const relation_info* via = nullptr;  // nested levels: the relation from the parent
    bool prefetched = false;
    std::vector<query_tree> loads;
};

// Compiled (src/): statements from the tree.
level_spec level_of(const query_tree& t);
level_spec prefetch_spec_of(const query_tree& nested);
void append_plan(const query_tree& t, dialect d, std::vector<std::string>& out);
void check_nested(const select_spec& s, bool per_parent, bool joined);
[[noreturn]] void throw_negative(const table_info& t, const char* what, long long n);

template <class Q>
std::vector<typename Q::node_type> load_graph(const Q& q, const database& db);

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
    static constexpr bool filtered = Filtered;
    static constexpr std::size_t statements = 1 + (Loads::statements + ... + 0);

    select_query() { tree_.spec.table = &detail::table_of<T>(); }

    template <class M>
    select_query<T, true, Loads...> where(condition<M> c) const {
        static_assert(std::is_same_v<M, T>, "eagerload: where(): the condition filters another model than "
                                            "the one this query selects");
        select_query<T, true, Loads...> q(tree_);
        q.tree_.spec.where =
            detail::combine(detail::cond_node::op::and_, condition<T>{tree_.spec.where}, std::move(c)).node;
        return q;
    }

    template <class... Terms>
    select_query order_by(Terms... terms) const {
        static_assert(sizeof...(Terms) > 0, "eagerload: order_by() needs at least one asc<...> or desc<...>");
        static_assert((std::is_same_v<typename Terms::model_type, T> && ...),
                      "eagerload: order_by(): a sort key is a column of another model than the one this "
                      "query selects");
        select_query q = *this;
        (q.tree_.spec.order.push_back(terms.item()), ...);
        return q;
    }

    select_query limit(long long n) const { return with(&detail::select_spec::limit, "limit", n); }
    select_query offset(long long n) const { return with(&detail::select_spec::offset, "offset", n); }
    select_query limit_per_parent(long long n) const { return with_per_parent(0, "limit_per_parent", n); }
    select_query offset_per_parent(long long n) const { return with_per_parent(1, "offset_per_parent", n); }

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
        return add<detail::joined_load<R, Q>, R>(std::move(nested.tree_), false);
    }

    template <Relation R>
    auto prefetch(R r) const {
        return prefetch(r, select_query<typename R::target>{});
    }
    template <Relation R, class Q>
    auto prefetch(R, Q nested) const {
        check_relation<R, Q>();
        return add<detail::prefetched_load<R, Q>, R>(std::move(nested.tree_), true);
    }

    std::vector<T> all(const database& db) const {
        static_assert(sizeof...(Loads) == 0, "eagerload: this query loads relations: call load(db) for the graph");
        detail::params ps;
        const std::string text = detail::render_level(detail::level_of(tree_), db.sql_dialect(), nullptr, ps);
        return detail::fetch_rows<T>(db, text, ps, expected_rows());
    }

    std::vector<node_type> load(const database& db) const { return detail::load_graph(*this, db); }

    std::optional<T> first(const database& db) const {
        auto rows = limit(1).all(db);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }

    long long count(const database& db) const {
        detail::params ps;
        const std::string text = detail::render_count(tree_.spec, db.sql_dialect(), ps);
        return detail::fetch_scalar(db, text, ps);
    }

    std::string sql(dialect d) const {
        detail::params ps;
        return detail::render_level(detail::level_of(tree_), d, nullptr, ps);
    }
    detail::params parameters(dialect d) const {
        detail::params ps;
        detail::render_level(detail::level_of(tree_), d, nullptr, ps);
        return ps;
    }

    eagerload::plan plan(dialect d) const {
        eagerload::plan p;
        detail::append_plan(tree_, d, p.statements);
        return p;
    }

    // --- for the loader -----------------------------------------------------------
    const detail::query_tree& tree() const noexcept { return tree_; }
    const detail::select_spec& spec() const noexcept { return tree_.spec; }
    std::size_t expected_rows() const noexcept {
        return tree_.spec.limit ? static_cast<std::size_t>(*tree_.spec.limit) : 0;
    }

private:
    explicit select_query(detail::query_tree t) : tree_(std::move(t)) {}

    template <class L, class R>
    auto add(detail::query_tree nested, bool prefetched) const {
        static_assert(detail::load_index<typename L::relation, Loads...>() == detail::npos,
                      "eagerload: this relation is already loaded by this query; to load it twice (say, with "
                      "two filters), declare a second relation with its own Tag type");
        detail::check_nested(nested.spec, nested.per_parent[0] || nested.per_parent[1], !prefetched);
        nested.via = &detail::relation_of<R>();
        nested.prefetched = prefetched;
        select_query<T, Filtered, Loads..., L> q(tree_);
        q.tree_.loads.push_back(std::move(nested));
        return q;
    }

    template <class R, class Q>
    static constexpr void check_relation() {
        static_assert(std::is_same_v<typename R::owner, T>,
                      "eagerload: join()/prefetch(): this relation starts from another model than the one this "
                      "query selects");
        static_assert(std::is_same_v<typename Q::model_type, typename R::target>,
                      "eagerload: join()/prefetch(): the nested query must select the relation's target model");
    }

    select_query with(std::optional<long long> detail::select_spec::*field, const char* what, long long n) const {
        if (n < 0) detail::throw_negative(detail::table_of<T>(), what, n);
        select_query q = *this;
        q.tree_.spec.*field = n;
        return q;
    }
    select_query with_per_parent(int i, const char* what, long long n) const {
        if (n < 0) detail::throw_negative(detail::table_of<T>(), what, n);
        select_query q = *this;
        q.tree_.per_parent[i] = n;
        return q;
    }

    detail::query_tree tree_;
};

template <class T>
select_query<T> select() {
    return select_query<T>{};
}

template <class T, class K>
std::optional<T> find(const database& db, const K& key) {
    return select<T>().where(col<model<T>::key> == key).first(db);
}

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
