#pragma once
// Runs a load: the root statement, then ONE statement per prefetched level, each
// fed the deduplicated keys of all parent rows of that level as a single list
// parameter; children are grouped under their parents in the order of the child
// query. Included at the end of select.hpp.
#include <deque>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/row_reader.hpp"
#include "eagerload/relation.hpp"

namespace eagerload::detail {

// Cold paths, in src/load.cpp.
[[noreturn]] void throw_dangling(const table_info& owner, std::size_t owner_column, const param& key,
                                 const table_info& target, std::size_t target_column);
[[noreturn]] void throw_has_one_duplicate(const table_info& owner, const param& key, const table_info& target,
                                          std::size_t target_column);
std::vector<column_source> level_sources(const level_spec& l);
void check_root(const level_spec& l);

// Opens a REPEATABLE READ transaction for a multi-statement load, unless the
// thread is already inside one (then the caller's transaction is the snapshot).
class snapshot {
public:
    snapshot(const database& db, bool needed);
    ~snapshot();
    snapshot(const snapshot&) = delete;
    snapshot& operator=(const snapshot&) = delete;
    void commit();

private:
    std::unique_ptr<transaction> tx_;
};

template <class K>
inline constexpr bool supported_key = std::is_integral_v<K> || std::is_same_v<K, std::string>;

// Result columns a level's row takes: its model's, then its joined relations', depth first.
template <class Q>
constexpr std::size_t total_columns();

template <class L>
constexpr std::size_t joined_columns_of() {
    if constexpr (L::prefetched) return 0;
    else return total_columns<typename L::query>();
}

template <class Tuple, std::size_t... I>
constexpr std::size_t joined_columns(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + joined_columns_of<std::tuple_element_t<I, Tuple>>());
}

template <class Q>
constexpr std::size_t total_columns() {
    using Tuple = typename Q::loads_type;
    return field_count<typename Q::model_type> + joined_columns<Tuple>(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
}

// The value of a key member (unwrapping std::optional); false when NULL.
template <auto P, class Obj, class K>
bool key_of(const Obj& obj, K& out) {
    const auto& v = static_cast<const class_of<P>&>(obj).*P;
    if constexpr (column_traits<member_type_of<P>>::nullable) {
        if (!v) return false;
        out = *v;
    } else {
        out = v;
    }
    return true;
}

template <auto P, class Obj>
param key_param(const Obj& obj) {
    const auto& v = static_cast<const class_of<P>&>(obj).*P;
    constexpr col_type ct = column_traits<member_type_of<P>>::type;
    if constexpr (column_traits<member_type_of<P>>::nullable) return v ? to_param<ct>(*v) : param{};
    else return to_param<ct>(v);
}

// Reads a node, then its joined relations, from row r starting at column `col`.
template <class Q>
void read_node(result_batch& b, std::size_t& col, std::size_t r, typename Q::node_type& n, const Q& q) {
    using T = typename Q::model_type;
    read_row<T>(b, col, r, static_cast<T&>(n));
    col += field_count<T>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using L = std::remove_cvref_t<decltype(std::get<I>(q.loads()))>;
                if constexpr (!L::prefetched) {
                    using R = typename L::relation;
                    using Target = typename R::target;
                    const table_info& tt = table_of<Target>();
                    if (b.columns[col + tt.key].nulls[r]) {
                        if constexpr (R::kind == relation_kind::belongs_to) {
                            const param k = key_param<R::owner_key>(n);
                            if (k.k != param::kind::null)
                                throw_dangling(table_of<T>(), field_index<T, R::owner_key>, k, tt,
                                               field_index<Target, R::target_key>);
                        }
                        col += total_columns<typename L::query>();
                    } else {
                        auto& slot = std::get<I>(n.loaded);
                        slot.emplace();
                        read_node(b, col, r, *slot, std::get<I>(q.loads()).q);
                    }
                }
            }(),
            ...);
    }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(q.loads())>>>{});
}

template <class Q>
void run_loads(const database& db, std::vector<typename Q::node_type*>& nodes, const Q& q);

// The statement of a level prefetched through relation R, described by `nested`.
template <class R, class Q>
level_spec prefetch_spec(const Q& nested) {
    level_spec spec = nested.level();
    spec.prefetch = true;
    spec.key_type = column_traits<member_type_of<R::owner_key>>::type;
    if constexpr (R::kind == relation_kind::many_to_many) {
        spec.through = &table_of<typename R::through>();
        spec.through_owner_column = column_of<R::through_owner_key>().name;
        spec.through_target_column = column_of<R::through_target_key>().name;
    } else {
        spec.match_column = column_of<R::target_key>().name;
    }
    return spec;
}

template <std::size_t I, class Q, class L>
void prefetch_level(const database& db, std::vector<typename Q::node_type*>& parents, const L& load) {
    using R = typename L::relation;
    using Owner = typename R::owner;
    using Child = typename L::node_type;
    using K = typename column_traits<member_type_of<R::owner_key>>::value_type;
    static_assert(supported_key<K>, "eagerload: relation keys must be integers or strings");
    constexpr bool via = R::kind == relation_kind::many_to_many;

    // Parents by key; the distinct keys, in first-seen order, are the list parameter.
    std::unordered_map<K, std::vector<typename Q::node_type*>> by_key;
    std::vector<param> keys;
    for (auto* p : parents) {
        K k;
        if (!key_of<R::owner_key>(*p, k)) continue;
        auto [it, fresh] = by_key.try_emplace(k);
        if (fresh) keys.push_back(to_param<column_traits<member_type_of<R::owner_key>>::type>(k));
        it->second.push_back(p);
    }
    if (keys.empty()) return;  // no parent rows: no statement

    const level_spec spec = prefetch_spec<R>(load.q);
    const std::string list = encode_list(db.sql_dialect(), spec.key_type, keys);
    params ps;
    const std::string sql = render_level(spec, db.sql_dialect(), &list, ps);

    std::deque<Child> children;  // grows without moving what it holds
    std::vector<K> groups;       // each child's owner key
    fetch(db, sql, ps, level_sources(spec), [&](result_batch& b) {
        for (std::size_t r = 0; r < b.rows; ++r) {
            std::size_t col = 0;
            K& g = groups.emplace_back();
            if constexpr (via) {
                read_present(b.columns[0], r, g, *spec.through, field_index<typename R::through, R::through_owner_key>);
                col = 1;
            }
            Child& c = children.emplace_back();
            read_node(b, col, r, c, load.q);
            if constexpr (!via) key_of<R::target_key>(c, g);  // never NULL: it matched a key in the list
        }
    });

    // Runs the level's own prefetches over the children where they are now.
    auto complete_children = [&] {
        if constexpr (L::query::statements > 1) {
            std::vector<Child*> ptrs;
            ptrs.reserve(children.size());
            for (auto& c : children) ptrs.push_back(&c);
            run_loads(db, ptrs, load.q);
        }
    };
    using owners_t = std::vector<typename Q::node_type*>;

    if constexpr (R::single) {
        complete_children();
        for (std::size_t i = 0; i < children.size(); ++i) {
            auto& owners = by_key.find(groups[i])->second;
            auto shared = std::make_shared<const Child>(std::move(children[i]));
            for (auto* p : owners) {
                auto& slot = std::get<I>(p->loaded);
                if (R::kind == relation_kind::has_one && slot)
                    throw_has_one_duplicate(table_of<Owner>(), key_param<R::owner_key>(*p), table_of<typename R::target>(),
                                            field_index<typename R::target, R::target_key>);
                slot = shared;
            }
        }
    } else {
        // Size every parent's list exactly, then move each child once into its place.
        std::vector<owners_t*> owners_of(children.size());
        std::unordered_map<owners_t*, std::size_t> count;  // children per owners list
        bool shared_keys = false;
        for (std::size_t i = 0; i < children.size(); ++i) {
            auto& owners = by_key.find(groups[i])->second;
            owners_of[i] = &owners;
            ++count[&owners];
            shared_keys = shared_keys || owners.size() > 1;
        }
        for (auto& [owners, n] : count)
            for (auto* p : *owners) std::get<I>(p->loaded).reserve(std::get<I>(p->loaded).size() + n);
        if (shared_keys) {
            // Several parents with one key (rows joined twice): complete the children, then copy.
            complete_children();
            for (std::size_t i = 0; i < children.size(); ++i) {
                auto& owners = *owners_of[i];
                for (std::size_t j = 0; j + 1 < owners.size(); ++j) std::get<I>(owners[j]->loaded).push_back(children[i]);
                std::get<I>(owners.back()->loaded).push_back(std::move(children[i]));
            }
        } else {
            std::vector<Child*> placed;
            if constexpr (L::query::statements > 1) placed.reserve(children.size());
            for (std::size_t i = 0; i < children.size(); ++i) {
                auto& list = std::get<I>(owners_of[i]->front()->loaded);
                list.push_back(std::move(children[i]));
                if constexpr (L::query::statements > 1) placed.push_back(&list.back());  // reserved: stays put
            }
            if constexpr (L::query::statements > 1) run_loads(db, placed, load.q);
        }
    }

    if constexpr (R::kind == relation_kind::belongs_to && !L::optional) {
        for (auto& [k, owners] : by_key)
            if (!std::get<I>(owners.front()->loaded))
                throw_dangling(table_of<Owner>(), field_index<Owner, R::owner_key>, key_param<R::owner_key>(*owners.front()),
                               table_of<typename R::target>(), field_index<typename R::target, R::target_key>);
    }
}

template <class Q>
void run_loads(const database& db, std::vector<typename Q::node_type*>& nodes, const Q& q) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using L = std::remove_cvref_t<decltype(std::get<I>(q.loads()))>;
                const L& load = std::get<I>(q.loads());
                if constexpr (L::prefetched) {
                    prefetch_level<I, Q>(db, nodes, load);
                } else if constexpr (L::statements > 0) {
                    // A joined relation whose own query prefetches: run it over the joined rows.
                    std::vector<typename L::node_type*> inner;
                    for (auto* n : nodes)
                        if (auto& slot = std::get<I>(n->loaded)) inner.push_back(&*slot);
                    run_loads(db, inner, load.q);
                }
            }(),
            ...);
    }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(q.loads())>>>{});
}

template <class Q>
std::vector<typename Q::node_type> load_graph(const Q& q, const database& db) {
    check_root(q.level());
    snapshot snap(db, Q::statements > 1);
    const level_spec spec = q.level();
    params ps;
    const std::string sql = render_level(spec, db.sql_dialect(), nullptr, ps);
    std::vector<typename Q::node_type> rows;
    fetch(
        db, sql, ps, level_sources(spec),
        [&](result_batch& b) {
            for (std::size_t r = 0; r < b.rows; ++r) {
                std::size_t col = 0;
                read_node(b, col, r, rows.emplace_back(), q);
            }
        },
        q.expected_rows());
    if constexpr (Q::statements > 1) {
        std::vector<typename Q::node_type*> ptrs;
        ptrs.reserve(rows.size());
        for (auto& n : rows) ptrs.push_back(&n);
        run_loads(db, ptrs, q);
    }
    snap.commit();
    return rows;
}

template <class Q>
void plan_loads(const Q& q, dialect d, std::vector<std::string>& out) {
    std::apply(
        [&](const auto&... load) {
            (
                [&] {
                    using L = std::remove_cvref_t<decltype(load)>;
                    if constexpr (L::prefetched) {
                        params ps;
                        const std::string no_keys;
                        out.push_back(render_level(prefetch_spec<typename L::relation>(load.q), d, &no_keys, ps));
                    }
                    plan_loads(load.q, d, out);
                }(),
                ...);
        },
        q.loads());
}

template <class Q>
void append_plan(const Q& q, dialect d, std::vector<std::string>& out) {
    params ps;
    out.push_back(render_level(q.level(), d, nullptr, ps));
    plan_loads(q, d, out);
}

}  // namespace eagerload::detail
