#pragma once
// Keyset pagination (Hibernate 6.5's KeyedPage): the page after (or before) a row, by
// the query's own order keys, the primary key appended as the last tie-breaker.
//
//   auto q = select<Project>().where(...).order_by(desc<&Project::updated_at>).join(owner).prefetch(tasks);
//   keyed_page<...> p = q.page(db, 20);                  // the first page
//   keyed_page<...> p2 = q.page(db, 20, *p.next_token);  // the page after it
//   q.page_after(db, 20, some_project);                  // the page after a row
//
// A page is one statement for its rows (WHERE (k1 > :a) OR (k1 = :a AND k2 < :b) ...,
// one comparison per key in its own direction, LIMIT size + 1 to know whether more
// follow); prefetched levels load for the page's rows only. Order keys must not be
// std::optional (a compile error): NULLs sort differently on every backend.
// Included at the end of select.hpp.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eagerload/detail/loader.hpp"
#include "eagerload/page_token.hpp"
#include "eagerload/where.hpp"

namespace eagerload {

// One page of a keyed query. A token is "" for the first page; nullopt: no such page.
template <class Node>
struct keyed_page {
    std::vector<Node> rows;
    // The page after this one; nullopt when this page is the last.
    std::optional<std::string> next_token;
    // The page before this one; nullopt when this page is the first.
    std::optional<std::string> previous_token;
};

namespace detail {

// The keys a query pages by: its order_by columns up to the primary key, then the
// primary key (ascending) unless it was already one of them.
struct keyset {
    const table_info* table = nullptr;
    std::vector<std::size_t> columns;  // indices into table->columns
    std::vector<bool> descending;
    std::uint64_t shape = 0;  // hash of table, columns, directions and types: in every token
};

keyset keyset_of(const select_spec& s);
// The values of token `token` for keyset `k`: checked against its shape and types.
page_key read_page_token(const keyset& k, std::string_view token);
// `s` filtered to the rows after (or before) `key` (none: from the start), ordered
// by the keyset (reversed for a page before), at most `limit` rows.
select_spec keyset_select(const select_spec& s, const keyset& k, const page_key* key, long long limit);
// The token of the page after (before) the row whose key values are `values`.
std::string keyset_token(const keyset& k, bool before, params values, bool inclusive = false);
// `size` must be positive; names the table.
void check_page_size(const keyset& k, std::size_t size);
// A projected root loads every column of the keyset, or this throws naming the one missing.
void check_keys_loaded(const level_spec& spec, const keyset& k);
// A projected node that does not keep one of the keyset's columns (never, once
// check_keys_loaded passed): an error rather than a wrong token.
[[noreturn]] void throw_keys_not_kept(const keyset& k);

// Row `row`'s values of the keyset's columns.
template <class T>
params keyset_values(const T& row, const keyset& k) {
    params out;
    out.reserve(k.columns.size());
    for (std::size_t c : k.columns) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((I == c ? (out.push_back(member_param(field<I>(row))), 0) : 0), ...);
        }(std::make_index_sequence<field_count<T>>{});
    }
    return out;
}

// Node `n`'s values of the keyset's columns: its row's, or (a projected node) those its
// view stores and the keys it keeps, which check_keys_loaded made sure of.
template <class Node>
params node_keyset_values(const Node& n, const keyset& k) {
    using T = typename Node::row_type;
    if constexpr (!view_traits<T>::is_view) {
        return keyset_values(static_cast<const T&>(n), k);
    } else {
        params out(k.columns.size());
        std::size_t found = 0;
        const auto pick = [&](auto i, const auto& field) {
            for (std::size_t j = 0; j < k.columns.size(); ++j)
                if (k.columns[j] == i) {
                    out[j] = member_param(field);
                    ++found;
                }
        };
        row_access::stored<T>(n).each(pick);
        n.keys.each(pick);
        if (found != k.columns.size()) throw_keys_not_kept(k);
        return out;
    }
}

template <class Q>
keyed_page<typename Q::node_type> load_page_once(const Q& q, const database& db, std::size_t size, const keyset& ks,
                                                 const page_key* key) {
    check_page_size(ks, size);
    level_spec spec = root_level(q.tree());
    // A projected root (.only<...>()) must load its order keys: the tokens are made of them.
    if constexpr (view_traits<typename Q::row_type>::is_view) check_keys_loaded(spec, ks);
    spec.base = keyset_select(q.spec(), ks, key, static_cast<long long>(size) + 1);
    keyed_page<typename Q::node_type> page;
    auto& rows = page.rows;
    snapshot snap(db, Q::statements > 1);
    params ps;
    const std::string sql = render_level(spec, db.sql_dialect(), nullptr, ps);
    fetch(
        db, sql, ps, spec.columns,
        [&](result_batch& b) {
            for (std::size_t r = 0; r < b.rows; ++r) read_node(b, spec, 0, r, rows.emplace_back());
        },
        size + 1);
    const bool more = rows.size() > size;
    if (more) rows.pop_back();  // only told that more follow: its relations are not loaded
    const bool before = key && key->before;
    if (before) std::reverse(rows.begin(), rows.end());
    if constexpr (Q::statements > 1) {
        std::vector<typename Q::node_type*> ptrs;
        ptrs.reserve(rows.size());
        for (auto& n : rows) ptrs.push_back(&n);
        run_loads<typename Q::node_type, true>(db, ptrs, q.tree());
    }
    snap.commit();

    auto token = [&](bool b, std::size_t row) {
        return keyset_token(ks, b, node_keyset_values(rows[row], ks));
    };
    if (!before) {
        if (more) page.next_token = token(false, rows.size() - 1);
        // An empty page after a row: the page before it ends with that row.
        if (key) page.previous_token = rows.empty() ? keyset_token(ks, true, key->values, true) : token(true, 0);
    } else {
        if (more) page.previous_token = token(true, 0);
        // Nothing before the key: the page after is the first page.
        page.next_token = rows.empty() ? std::string() : token(false, rows.size() - 1);
    }
    return page;
}

template <class Q>
keyed_page<typename Q::node_type> load_page(const Q& q, const database& db, std::size_t size, const keyset& ks,
                                            const page_key* key) {
    return retry_read(db, [&] { return load_page_once(q, db, size, ks, key); });
}

template <class Q>
keyed_page<typename Q::node_type> load_page(const Q& q, const database& db, std::size_t size, std::string_view token) {
    const keyset ks = keyset_of(q.spec());
    if (token.empty()) return load_page(q, db, size, ks, nullptr);
    const page_key key = read_page_token(ks, token);
    return load_page(q, db, size, ks, &key);
}

template <class Q>
keyed_page<typename Q::node_type> load_page_at(const Q& q, const database& db, std::size_t size,
                                               const typename Q::model_type& row, bool before) {
    const keyset ks = keyset_of(q.spec());
    page_key key;
    key.before = before;
    key.shape = ks.shape;
    key.values = keyset_values(row, ks);
    return load_page(q, db, size, ks, &key);
}

}  // namespace detail
}  // namespace eagerload
