#pragma once
// Upsert: insert, or, when a row with the same value of a unique key exists, update
// the named members of that row (or leave it as it is). The conflict target is named
// at the call site with member pointers; it must be a unique key (PRIMARY KEY or a
// UNIQUE constraint/index) of the table.
//
//   upsert(db, product, on<&Product::sku>, only<&Product::price, &Product::stock>);
//   upsert(db, product, on<&Product::sku>, do_nothing);
//   upsert_all(db, products, on<&Product::sku>, only<&Product::price>);
//
// The key of EVERY input row is written back into it, in input order: the new row's
// key (a generated one too), or the key of the row it conflicted with (updated or
// left alone), every column of a composite key. One statement per 50,000 rows on
// PostgreSQL; two on SQLite and MariaDB (the upsert, then a read of the keys), in the
// caller's transaction or in one of their own: all or nothing. A model with a
// version member gets version + 1 on update. A composite key as the conflict target
// (upsert(db, line, on<&Line::order_id, &Line::line_no>, ...)) is never generated:
// the rows carry their key, nothing is read back, one statement per chunk everywhere.
// The SQL per backend: docs/writing.md.
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include "eagerload/insert.hpp"
#include "eagerload/update.hpp"

namespace eagerload {

// The conflict target: one or more members that form a unique key.
template <auto... Members>
struct conflict_target {};
template <auto... Members>
inline constexpr conflict_target<Members...> on{};

// On conflict, change nothing (the row's key is still written back).
struct do_nothing_t {};
inline constexpr do_nothing_t do_nothing{};

namespace detail {

// Inserts or updates column-major rows. `keys`: one column per key column (in the order
// of t.key_columns()), filled with the key of every row, input order; nullptr when the
// rows carry their key already (a composite key as the conflict target): nothing is
// read back then.
void upsert_columns(const database& db, const table_info& t, const std::vector<std::size_t>& conflict,
                    const std::vector<std::size_t>& update, std::size_t version,
                    std::vector<std::vector<param>>& columns, std::vector<column_data>* keys);

// True when one of `Conflict` is T's I-th key column.
template <class T, std::size_t I, auto... Conflict>
constexpr bool key_column_named() {
    return ((field_index<T, Conflict> == field_index<T, key_member<T, I>()>) || ...);
}
// True when the members `Conflict` are exactly the columns of T's composite key (in any order).
template <class T, auto... Conflict>
constexpr bool conflict_is_composite_key() {
    if constexpr (!composite_key<T>) {
        return false;
    } else {
        return (is_key_member<T, Conflict>() && ...) && []<std::size_t... I>(std::index_sequence<I...>) {
            return (key_column_named<T, I, Conflict...>() && ...);
        }(std::make_index_sequence<key_size<T>>{});
    }
}

template <class T, auto... Conflict, auto... Update>
void upsert_rows(const database& db, std::span<T> rows, conflict_target<Conflict...>, members_list<Update...>) {
    static_assert(sizeof...(Conflict) > 0, "eagerload: upsert(): on<...> names at least one member");
    static_assert((std::is_same_v<class_of<Conflict>, T> && ...),
                  "eagerload: upsert(): on<...> names a member of another model than the rows'");
    static_assert((std::is_same_v<class_of<Update>, T> && ...),
                  "eagerload: upsert(): only<...> names a member of another model than the rows'");
    static_assert((!column_traits<member_type_of<Conflict>>::nullable && ...),
                  "eagerload: upsert(): a conflict target member may not be std::optional (NULLs never conflict)");
    static_assert(!generated_key_of<T>() || (!is_key_member<T, Conflict>() && ...),
                  "eagerload: upsert(): the generated key cannot be the conflict target (the database assigns it): "
                  "name a unique key the rows carry");
    static_assert((!is_key_member<T, Update>() && ...),
                  "eagerload: upsert(): the key cannot be one of the members updated");
    static_assert(((field_index<T, Update> != version_index<T>()) && ...),
                  "eagerload: upsert(): the version member is bumped by the update itself");
    const auto& t = table_of<T>();
    auto columns = to_columns<T>(rows);
    if constexpr (generated_key_of<T>())
        for (auto& p : columns[t.key]) p = param{};  // not sent: the database assigns it
    const std::vector<std::size_t> conflict{field_index<T, Conflict>...};
    const std::vector<std::size_t> update{field_index<T, Update>...};
    if constexpr (conflict_is_composite_key<T, Conflict...>()) {
        // Never generated: every row carries its key, which is the row's key after the upsert.
        upsert_columns(db, t, conflict, update, version_index<T>(), columns, nullptr);
    } else {
        std::vector<column_data> keys;
        upsert_columns(db, t, conflict, update, version_index<T>(), columns, &keys);
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            for (std::size_t i = 0; i < rows.size(); ++i) (read_present(keys[K], i, rows[i].*key_member<T, K>()), ...);
        }(std::make_index_sequence<key_size<T>>{});
    }
}

}  // namespace detail

// One row: insert it, or update the `only<...>` members of the row it conflicts with on
// `on<...>`; its key is written back either way.
template <class T, auto... Conflict, auto... Update>
void upsert(const database& db, T& row, conflict_target<Conflict...> target, members_list<Update...> update) {
    static_assert(sizeof...(Update) > 0, "eagerload: upsert(): only<...> names at least one member (or pass do_nothing)");
    detail::upsert_rows(db, std::span<T>(&row, 1), target, update);
}

// One row: insert it, or leave the row it conflicts with as it is; its key is written back either way.
template <class T, auto... Conflict>
void upsert(const database& db, T& row, conflict_target<Conflict...> target, do_nothing_t) {
    detail::upsert_rows(db, std::span<T>(&row, 1), target, members_list<>{});
}

// Many rows, one statement (or two, see above) per 50,000; keys written back in input order.
template <class T, auto... Conflict, auto... Update>
void upsert_all(const database& db, std::vector<T>& rows, conflict_target<Conflict...> target,
                members_list<Update...> update) {
    static_assert(sizeof...(Update) > 0, "eagerload: upsert_all(): only<...> names at least one member (or pass do_nothing)");
    detail::upsert_rows(db, std::span<T>(rows), target, update);
}

template <class T, auto... Conflict>
void upsert_all(const database& db, std::vector<T>& rows, conflict_target<Conflict...> target, do_nothing_t) {
    detail::upsert_rows(db, std::span<T>(rows), target, members_list<>{});
}

}  // namespace eagerload
