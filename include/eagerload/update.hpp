#pragma once
// Updating and deleting rows, typed from member pointers like the reads. Every value is
// a bound parameter; each call is ONE statement, counted by query_counter, run in the
// caller's transaction when there is one; each returns the number of rows it changed.
//
//   update(db, order);                                   // every column but the key, by key
//   update(db, order, only<&Order::status>);             // only the named members, by key
//   update<Product>()                                    // by a typed where, typed assignments
//       .set<&Product::status>("shipped")
//       .add<&Product::stock>(-1)                         // stock = stock + (-1)
//       .where(col<&Product::id> == 7)
//       .execute(db);
//   erase<Order>(db, 42);                                // by key
//
// A model may declare a version member (optimistic concurrency):
//   template <> struct eagerload::model<Order> { ...; static constexpr auto version = &Order::version; };
// then update(db, order) writes only while the row is at order.version, bumps it in
// the row and in `order`, and throws stale_row when another write moved it on (a
// composite key too: the WHERE names every key column and the version).
//   erase(db, col<&Order::status> == "cancelled");       // by a typed where
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/key_condition.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/model.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

namespace detail {

// One "column = value" or "column = column + value" of an UPDATE.
struct assignment {
    std::size_t column;
    param value;
    bool add = false;
};

// UPDATE table SET ... [, version = version + 1] [WHERE ...]; appends the bound values
// to ps. `version`: the version column's index, npos for none.
std::string render_update(const table_info& t, dialect d, const std::vector<assignment>& set, const cond_node* where,
                          params& ps, std::size_t version = npos);
// Runs a versioned update by key (its WHERE holds every key column and the version);
// when it changes nothing, tells a stale row (stale_row) from a missing one (returns 0).
// `key`: the row's key values, in the order of t.key_columns().
std::size_t update_versioned(const database& db, const table_info& t, std::size_t version, const std::string& sql,
                             const params& ps, const params& key, long long expected);

template <auto P>
assignment assign(const member_type_of<P>& v) {
    return {field_index<class_of<P>, P>, member_param(v)};
}

template <class T, class K>
condition<T> key_equals(const K& key) {
    return key_condition<T>(key);  // every column of a composite key (detail/key_condition.hpp)
}

// A model's optimistic-concurrency version: model<T>::version = &T::member, an integer.
template <class T>
constexpr bool has_version() {
    return requires { model<T>::version; };
}
template <class T>
constexpr std::size_t version_index() {
    if constexpr (has_version<T>()) {
        static_assert(data_member_pointer<model<T>::version> && std::is_same_v<class_of<model<T>::version>, T> &&
                          field_index<T, model<T>::version> != npos,
                      "eagerload: model<T>::version must point to a member of T listed in BOOST_HANA_ADAPT_STRUCT");
        static_assert(std::is_integral_v<member_type_of<model<T>::version>> &&
                          !std::is_same_v<member_type_of<model<T>::version>, bool>,
                      "eagerload: model<T>::version must be an integer member (int32_t or int64_t)");
        return field_index<T, model<T>::version>;
    } else {
        return npos;
    }
}

// UPDATE ... WHERE every key column = :k [AND version = :v], bumping the row's
// version; then the object's version, when the update changed the row.
template <class T, class R>
std::size_t update_by_key(const database& db, R& row, std::vector<assignment> set) {
    const auto& t = table_of<T>();
    params ps;
    if constexpr (has_version<T>()) {
        constexpr std::size_t v = version_index<T>();
        const auto where = row_key_condition(row) && col<model<T>::version> == row.*model<T>::version;
        const std::string sql = render_update(t, db.sql_dialect(), set, where.node.get(), ps, v);
        const params key = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return params{member_param(row.*key_member<T, I>())...};
        }(std::make_index_sequence<key_size<T>>{});
        const std::size_t n =
            update_versioned(db, t, v, sql, ps, key, static_cast<long long>(row.*model<T>::version));
        if constexpr (!std::is_const_v<R>)  // else: reported by update()
            if (n > 0) ++(row.*model<T>::version);
        return n;
    } else {
        const auto where = row_key_condition(row);
        const std::string sql = render_update(t, db.sql_dialect(), set, where.node.get(), ps);
        return execute(db, sql, ps);
    }
}
// DELETE FROM table [WHERE ...].
std::string render_delete(const table_info& t, dialect d, const cond_node* where, params& ps);

}  // namespace detail

// The members an update by key writes: only<&Order::status, &Order::total>.
template <auto... Members>
struct members_list {};
template <auto... Members>
inline constexpr members_list<Members...> only{};

// Writes every column of `row` but its key to the row with that key. With a version
// member (model<T>::version), only while the row is still at the object's version:
// the version is bumped in the row and in `row`; a row that moved on throws stale_row
// (pass a non-const object: its version is bumped).
template <class T>
std::size_t update(const database& db, T& row) {
    using M = std::remove_const_t<T>;
    static_assert(!(std::is_const_v<T> && detail::has_version<M>()),
                  "eagerload: update(): this model has a version member, bumped in the object on success: pass a "
                  "non-const object");
    const auto& t = detail::table_of<M>();
    std::vector<detail::assignment> set;
    detail::for_each_field(row, [&](std::size_t i, detail::param p) {
        if (!detail::is_key_column(t, i) && i != detail::version_index<M>()) set.push_back({i, std::move(p)});
    });
    return detail::update_by_key<M>(db, row, std::move(set));
}

// Writes only the named members of `row` to the row with its key (and, with a version
// member, bumps the version as update(db, row) does).
template <class T, auto... Members>
std::size_t update(const database& db, T& row, members_list<Members...>) {
    using M = std::remove_const_t<T>;
    static_assert(sizeof...(Members) > 0, "eagerload: update(db, row, only<...>): name at least one member");
    static_assert((std::is_same_v<detail::class_of<Members>, M> && ...),
                  "eagerload: update(db, row, only<...>): a member of another model than the row's");
    static_assert((!detail::is_key_member<M, Members>() && ...),
                  "eagerload: update(db, row, only<...>): the key is what finds the row; it cannot be one of the "
                  "members written");
    static_assert(((detail::field_index<M, Members> != detail::version_index<M>()) && ...),
                  "eagerload: update(db, row, only<...>): the version member is bumped by the update itself; it "
                  "cannot be one of the members written");
    static_assert(!(std::is_const_v<T> && detail::has_version<M>()),
                  "eagerload: update(): this model has a version member, bumped in the object on success: pass a "
                  "non-const object");
    std::vector<detail::assignment> set{detail::assign<Members>(row.*Members)...};
    return detail::update_by_key<M>(db, row, std::move(set));
}

// A temporary row (update(db, Order{...})): written as a const row; a model with a
// version member needs a named object, whose version is bumped.
template <class T>
    requires(!std::is_reference_v<T>)
std::size_t update(const database& db, T&& row) {
    return update(db, static_cast<const T&>(row));
}
template <class T, auto... Members>
    requires(!std::is_reference_v<T>)
std::size_t update(const database& db, T&& row, members_list<Members...> m) {
    return update(db, static_cast<const T&>(row), m);
}

// UPDATE by a typed where, with typed assignments. where() is required: updating every
// row is spelled .all_rows().
template <class T, bool HasWhere = false>
class update_query {
public:
    template <auto P, class V>
    update_query set(const V& v) const {
        static_assert(std::is_same_v<detail::class_of<P>, T>, "eagerload: set<&M::m>(): a member of another model");
        static_assert(detail::field_index<T, P> != detail::version_index<T>(),
                      "eagerload: set<&M::m>(): the version member is bumped by the update itself");
        static_assert(std::is_constructible_v<detail::member_type_of<P>, const V&>,
                      "eagerload: set<&M::m>(value): the value does not convert to the member's type");
        update_query q = *this;
        q.set_.push_back(detail::assign<P>(detail::member_type_of<P>(v)));
        return q;
    }
    // column = column + delta (an integer or double member).
    template <auto P, class V>
    update_query add(const V& delta) const {
        using M = detail::member_type_of<P>;
        static_assert(std::is_same_v<detail::class_of<P>, T>, "eagerload: add<&M::m>(): a member of another model");
        static_assert(detail::field_index<T, P> != detail::version_index<T>(),
                      "eagerload: add<&M::m>(): the version member is bumped by the update itself");
        static_assert(std::is_arithmetic_v<M> && !std::is_same_v<M, bool> && std::is_arithmetic_v<V>,
                      "eagerload: add<&M::m>(delta): a numeric (non-optional, non-bool) member and a number");
        update_query q = *this;
        if constexpr (std::is_arithmetic_v<M> && std::is_arithmetic_v<V>)  // else: reported above, nothing more
            q.set_.push_back({detail::field_index<T, P>, detail::member_param(static_cast<M>(delta)), true});
        return q;
    }
    template <class M>
    update_query<T, true> where(condition<M> c) const {
        static_assert(std::is_same_v<M, T>, "eagerload: update<T>().where(): the condition filters another model");
        update_query<T, true> q;
        q.set_ = set_;
        q.where_ = detail::combine(detail::cond_node::op::and_, condition<T>{where_}, std::move(c)).node;
        return q;
    }
    update_query<T, true> all_rows() const {
        update_query<T, true> q;
        q.set_ = set_;
        q.where_ = where_;
        return q;
    }
    std::size_t execute(const database& db) const {
        static_assert(HasWhere, "eagerload: update<T>()...execute(db): add .where(...), or .all_rows() to update "
                                "every row on purpose");
        if (set_.empty())
            throw std::invalid_argument("eagerload: update<T>() on table \"" + std::string(model<T>::table) +
                                        "\": nothing to set");
        detail::params ps;
        // A versioned model's rows get version = version + 1: a change made this way
        // makes every object read before it stale, as update(db, row) does.
        const std::string sql = detail::render_update(detail::table_of<T>(), db.sql_dialect(), set_, where_.get(), ps,
                                                      detail::version_index<T>());
        return detail::execute(db, sql, ps);
    }

private:
    template <class, bool>
    friend class update_query;
    std::vector<detail::assignment> set_;
    detail::cond_ptr where_;
};

template <class T>
update_query<T> update() {
    return {};
}

// Deletes the row with this key; returns 0 or 1. A composite key takes every key
// column's value in key order: erase<OrderLine>(db, std::tuple{7, 2}) or erase<OrderLine>(db, 7, 2).
template <class T, class K>
std::size_t erase(const database& db, const K& key) {
    if constexpr (!detail::whole_key<T, K>()) {
        static_assert(detail::dependent_false<K>, "eagerload: erase<T>(db, key): the key's shape does not match "
                                                  "model<T>::key (one value, or every column of a composite key)");
        return 0;
    } else {
        detail::params ps;
        const auto where = detail::key_equals<T>(key);
        return detail::execute(db, detail::render_delete(detail::table_of<T>(), db.sql_dialect(), where.node.get(), ps),
                               ps);
    }
}
template <class T, class K1, class K2, class... Ks>
std::size_t erase(const database& db, const K1& k1, const K2& k2, const Ks&... ks) {
    return erase<T>(db, std::forward_as_tuple(k1, k2, ks...));
}

// Deletes the rows a typed condition selects.
template <class T>
std::size_t erase(const database& db, condition<T> where) {
    detail::params ps;
    return detail::execute(db, detail::render_delete(detail::table_of<T>(), db.sql_dialect(), where.node.get(), ps),
                           ps);
}

}  // namespace eagerload
