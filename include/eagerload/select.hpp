#pragma once
// Typed queries over one model:
//
//   auto q = eagerload::select<Task>()
//                .where(col<&Task::project_id> == 7 && col<&Task::priority> >= 3)
//                .order_by(desc<&Task::priority>, asc<&Task::id>)
//                .limit(10);
//   std::vector<Task> tasks = q.all(db);     // one statement
//   long long n = q.count(db);               // one statement
//   std::string sql = q.sql(db.sql_dialect());
//
//   Task t = eagerload::get<Task>(db, 42);   // throws eagerload::not_found
//   std::optional<Task> u = eagerload::find<Task>(db, 42);
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/detail/select_spec.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

template <class T>
class select_query {
    static_assert(detail::check_model<T>());

public:
    using model_type = T;

    select_query() { spec_.table = &detail::table_of<T>(); }

    // Filters rows; a second where() is ANDed with the first.
    template <class M>
    select_query where(condition<M> c) const {
        static_assert(std::is_same_v<M, T>, "eagerload: where(): the condition filters another model than "
                                            "the one this query selects");
        select_query q = *this;
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

    select_query limit(long long n) const {
        check_non_negative("limit", n);
        select_query q = *this;
        q.spec_.limit = n;
        return q;
    }
    select_query offset(long long n) const {
        check_non_negative("offset", n);
        select_query q = *this;
        q.spec_.offset = n;
        return q;
    }

    std::vector<T> all(const database& db) const {
        detail::params ps;
        const std::string text = detail::render_select(spec_, db.sql_dialect(), ps);
        return detail::fetch_rows<T>(db, text, ps);
    }

    std::optional<T> first(const database& db) const {
        auto rows = limit(1).all(db);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }

    long long count(const database& db) const {
        detail::params ps;
        const std::string text = detail::render_count(spec_, db.sql_dialect(), ps);
        return detail::fetch_scalar(db, text, ps);
    }

    // The statement all() runs, as text with :pN placeholders.
    std::string sql(dialect d) const {
        detail::params ps;
        return detail::render_select(spec_, d, ps);
    }
    // The values bound to :p1, :p2, ... in order.
    detail::params parameters(dialect d) const {
        detail::params ps;
        detail::render_select(spec_, d, ps);
        return ps;
    }

    const detail::select_spec& spec() const noexcept { return spec_; }

private:
    static void check_non_negative(const char* what, long long n) {
        if (n < 0)
            throw std::invalid_argument("eagerload: " + std::string(what) + "(" + std::to_string(n) + ") on table " +
                                        std::string(model<T>::table) + ": must not be negative");
    }
    detail::select_spec spec_;
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
