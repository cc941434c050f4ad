#pragma once
// Inserting rows, typed from the model: every value is a bound parameter.
//
//   eagerload::insert(db, User{1, "Ada", {}});  // one row, one statement
//   eagerload::insert_all(db, users);           // many rows, one statement per 50,000
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/model.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

namespace detail {

std::string render_insert(const table_info& t, dialect d);  // VALUES (:p1, ..., :pN) in column order
// Inserts column-major rows, one statement per chunk of rows.
void insert_columns(const database& db, const table_info& t, std::vector<std::vector<param>>& columns);

template <class M>
param member_param(const M& v) {
    if constexpr (column_traits<M>::nullable) {
        if (!v) return param{};
        return to_param<column_traits<M>::type>(*v);
    } else {
        return to_param<column_traits<M>::type>(v);
    }
}

template <class T, class F>
void for_each_field(const T& row, F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(I, member_param(field<I>(row))), ...);
    }(std::make_index_sequence<field_count<T>>{});
}

}  // namespace detail

template <class T>
void insert(const database& db, const T& row) {
    detail::params ps;
    detail::for_each_field(row, [&](std::size_t, detail::param p) { ps.push_back(std::move(p)); });
    detail::execute(db, detail::render_insert(detail::table_of<T>(), db.sql_dialect()), ps);
}

template <class T>
void insert_all(const database& db, std::span<const T> rows) {
    const auto& t = detail::table_of<T>();
    std::vector<std::vector<detail::param>> columns(t.columns.size());
    for (auto& c : columns) c.reserve(rows.size());
    for (const T& row : rows)
        detail::for_each_field(row, [&](std::size_t i, detail::param p) { columns[i].push_back(std::move(p)); });
    detail::insert_columns(db, t, columns);
}

template <class T>
void insert_all(const database& db, const std::vector<T>& rows) {
    insert_all(db, std::span<const T>(rows));
}

}  // namespace eagerload
