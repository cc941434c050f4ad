// A fragment, not a header: make_variants.py pastes it over prefetch_level() in
// detail/loader.hpp for variant H_thin. It is a compile-cost prototype: run_prefetch()
// (the compiled driver) is declared and never defined, so the variant is for -c only.
// --- the non-template half: would live in src/load.cpp (declared only in this prototype) ---
// Typed operations of one prefetched level, as plain function pointers: the compiled
// driver groups parents by key, renders and runs the statement, reads each row through
// read_child and hands each child to its parents through attach_*.
struct prefetch_hooks {
    const level_spec* spec;
    bool single, required, has_one, via;
    void* children;     // std::vector<Child>
    const void* query;  // the level's select_query
    bool (*parent_key)(const void* parent, param& out);   // false: NULL foreign key
    void* (*emplace_child)(void* children);               // new Child*, default-constructed
    void* (*child_at)(void* children, std::size_t i);
    void (*read_child)(result_batch& b, std::size_t& col, std::size_t r, void* child, const void* query);
    void (*child_key)(const void* child, param& out);     // not via a join table
    // single relations: the child, shared by every owner; has_slot for the dangling check
    void (*attach_single)(void* const* owners, std::size_t n, void* child);
    bool (*has_slot)(const void* parent);
    // collections
    void (*reserve)(void* parent, std::size_t extra);
    void* (*append)(void* parent, void* child, bool copy);  // the child's new address
    // nested prefetches of the children, wherever they now are
    void (*complete)(const database& db, void* const* children, std::size_t n, const void* query);
};
void run_prefetch(const database& db, void* const* parents, std::size_t n, const prefetch_hooks& h);

template <auto P, class Obj>
bool key_as_param(const Obj& obj, param& out) {
    const auto& v = static_cast<const class_of<P>&>(obj).*P;
    constexpr col_type ct = column_traits<member_type_of<P>>::type;
    if constexpr (column_traits<member_type_of<P>>::nullable) {
        if (!v) return false;
        out = to_param<ct>(*v);
    } else {
        out = to_param<ct>(v);
    }
    return true;
}

// --- the typed half: a handful of small thunks per prefetched level ---
template <std::size_t I, class Q, class L>
void prefetch_level(const database& db, std::vector<typename Q::node_type*>& parents, const L& load) {
    using R = typename L::relation;
    using P = typename Q::node_type;
    using Child = typename L::node_type;
    using LQ = typename L::query;
    using K = typename column_traits<member_type_of<R::owner_key>>::value_type;
    static_assert(supported_key<K>, "eagerload: relation keys must be integers or strings");
    using Children = std::vector<Child>;

    const level_spec spec = prefetch_spec<R>(load.q);
    Children children;
    prefetch_hooks h{};
    h.spec = &spec;
    h.single = R::single;
    h.required = R::kind == relation_kind::belongs_to && !L::optional;
    h.has_one = R::kind == relation_kind::has_one;
    h.via = R::kind == relation_kind::many_to_many;
    h.children = &children;
    h.query = &load.q;
    h.parent_key = [](const void* p, param& out) { return key_as_param<R::owner_key>(*static_cast<const P*>(p), out); };
    h.emplace_child = [](void* c) -> void* { return &static_cast<Children*>(c)->emplace_back(); };
    h.child_at = [](void* c, std::size_t i) -> void* { return &(*static_cast<Children*>(c))[i]; };
    h.read_child = [](result_batch& b, std::size_t& col, std::size_t r, void* c, const void* q) {
        read_node(b, col, r, *static_cast<Child*>(c), *static_cast<const LQ*>(q));
    };
    if constexpr (R::kind != relation_kind::many_to_many)
        h.child_key = [](const void* c, param& out) { key_as_param<R::target_key>(*static_cast<const Child*>(c), out); };
    if constexpr (R::single) {
        h.attach_single = [](void* const* owners, std::size_t n, void* c) {
            auto shared = std::make_shared<const Child>(std::move(*static_cast<Child*>(c)));
            for (std::size_t i = 0; i < n; ++i) {
                auto* p = static_cast<P*>(owners[i]);
                auto& slot = slot_get<I>(p->loaded);
                if (R::kind == relation_kind::has_one && slot)
                    throw_has_one_duplicate(table_of<typename R::owner>(), key_param<R::owner_key>(*p),
                                            table_of<typename R::target>(),
                                            field_index<typename R::target, R::target_key>);
                slot = shared;
            }
        };
        h.has_slot = [](const void* p) { return static_cast<bool>(slot_get<I>(static_cast<const P*>(p)->loaded)); };
    } else {
        h.reserve = [](void* p, std::size_t extra) {
            auto& list = slot_get<I>(static_cast<P*>(p)->loaded);
            list.reserve(list.size() + extra);
        };
        h.append = [](void* p, void* c, bool copy) -> void* {
            auto& list = slot_get<I>(static_cast<P*>(p)->loaded);
            if (copy) list.push_back(*static_cast<const Child*>(c));
            else list.push_back(std::move(*static_cast<Child*>(c)));
            return &list.back();
        };
    }
    if constexpr (LQ::statements > 1)
        h.complete = [](const database& d, void* const* cs, std::size_t n, const void* q) {
            std::vector<Child*> ptrs(n);
            for (std::size_t i = 0; i < n; ++i) ptrs[i] = static_cast<Child*>(cs[i]);
            run_loads(d, ptrs, *static_cast<const LQ*>(q));
        };
    run_prefetch(db, reinterpret_cast<void* const*>(parents.data()), parents.size(), h);
}

