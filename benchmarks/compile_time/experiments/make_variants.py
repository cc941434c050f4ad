#!/usr/bin/env python3
"""Patched copies of include/ for the compile-cost experiments of FINDINGS.md.

    python3 benchmarks/compile_time/experiments/make_variants.py OUT_DIR [--include DIR]

Writes OUT_DIR/<variant>/include/ for each variant below: a copy of the checkout's
include/ (or DIR) with one change to the loader or the query types. The checkout itself
is never touched. The edits are exact text replacements written against commit 8c88bd1
(before the "Cheaper compiles" refactor): on other headers a replacement that no longer
matches stops the script with the variant and the text it looked for.
Compile the generated TU against each with -I OUT_DIR/<variant>/include (run.sh does).
"""
import argparse
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("out")
ap.add_argument("--include", default=os.path.join(HERE, "..", "..", "..", "include"))
ARGS = ap.parse_args()
BASE = os.path.abspath(ARGS.include)


def variant(name, edits):
    d = os.path.join(ARGS.out, name)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(BASE, f"{d}/include")
    for rel, old, new in edits:
        p = f"{d}/include/eagerload/{rel}"
        s = open(p).read()
        assert s.count(old) == 1, (name, rel, old[:70], s.count(old))
        s = s.replace(old, new)
        open(p, "w").write(s)

L = "detail/loader.hpp"
variant("base", [])
# A: std::function batch sink -> non-owning function reference.
SINK = [("detail/execute.hpp", "using batch_sink = std::function<void(result_batch&)>;", """class batch_sink {
public:
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, batch_sink>)
    batch_sink(F&& f) noexcept
        : obj_(const_cast<void*>(static_cast<const void*>(&f))),
          call_([](void* o, result_batch& b) { (*static_cast<std::remove_reference_t<F>*>(o))(b); }) {}
    void operator()(result_batch& b) const { call_(obj_, b); }

private:
    void* obj_;
    void (*call_)(void*, result_batch&);
};"""), ("detail/execute.hpp", "#include <functional>", "#include <functional>\n#include <type_traits>")]
# B: std::deque<Child> -> std::vector<Child>.
DEQUE = [(L, "std::deque<Child> children;  // grows without moving what it holds", "std::vector<Child> children;")]
# C: parents grouped by key in containers of void*: one instantiation per key type, not per level.
ERASE = [
    (L, "std::unordered_map<K, std::vector<typename Q::node_type*>> by_key;", "std::unordered_map<K, std::vector<void*>> by_key;\n    using P = typename Q::node_type;"),
    (L, "using owners_t = std::vector<typename Q::node_type*>;", "using owners_t = std::vector<void*>;"),
    (L, "            for (auto* p : owners) {\n                auto& slot", "            for (void* pv : owners) {\n                auto* p = static_cast<P*>(pv);\n                auto& slot"),
    (L, "std::unordered_map<owners_t*, std::size_t> count;", "std::unordered_map<const void*, std::size_t> count;"),
    (L, "            for (auto* p : *owners) std::get<I>(p->loaded)", "            for (void* p : *static_cast<const owners_t*>(owners)) std::get<I>(static_cast<P*>(p)->loaded)"),
    (L, "std::get<I>(static_cast<P*>(p)->loaded).reserve(std::get<I>(p->loaded).size() + n)", "std::get<I>(static_cast<P*>(p)->loaded).reserve(std::get<I>(static_cast<P*>(p)->loaded).size() + n)"),
    (L, "for (std::size_t j = 0; j + 1 < owners.size(); ++j) std::get<I>(owners[j]->loaded)", "for (std::size_t j = 0; j + 1 < owners.size(); ++j) std::get<I>(static_cast<P*>(owners[j])->loaded)"),
    (L, "std::get<I>(owners.back()->loaded)", "std::get<I>(static_cast<P*>(owners.back())->loaded)"),
    (L, "auto& list = std::get<I>(owners_of[i]->front()->loaded);", "auto& list = std::get<I>(static_cast<P*>(owners_of[i]->front())->loaded);"),
    (L, "if (!std::get<I>(owners.front()->loaded))", "if (!std::get<I>(static_cast<P*>(owners.front())->loaded))"),
    (L, "key_param<R::owner_key>(*owners.front())", "key_param<R::owner_key>(*static_cast<P*>(owners.front()))"),
]
# D: no copy of a completed child into several parents (the shared_keys path): children are moved only.
NOCOPY = [(L, "for (std::size_t j = 0; j + 1 < owners.size(); ++j) std::get<I>(owners[j]->loaded).push_back(children[i]);", "")]
NOCOPY_E = [(L, "for (std::size_t j = 0; j + 1 < owners.size(); ++j) std::get<I>(static_cast<P*>(owners[j])->loaded).push_back(children[i]);", "")]
# E: make_shared -> shared_ptr(new ...).
SHARED = [(L, "auto shared = std::make_shared<const Child>(std::move(children[i]));", "std::shared_ptr<const Child> shared(new Child(std::move(children[i])));")]

variant("A_sink", SINK)
variant("B_vector", DEQUE)
variant("C_erase", ERASE)
variant("D_nocopy", NOCOPY)
variant("E_newshared", SHARED)
variant("ABCD", SINK + DEQUE + ERASE + NOCOPY_E)

# F: prefetch_level does nothing (an upper bound of what reworking prefetched levels can save).
src = open(f"{BASE}/eagerload/detail/loader.hpp").read()
a = src.index("template <std::size_t I, class Q, class L>\nvoid prefetch_level(")
b = src.index("template <class Q>\nvoid run_loads(const database& db, std::vector<typename Q::node_type*>& nodes, const Q& q) {")
STUB = [(L, src[a:b], """template <std::size_t I, class Q, class L>
void prefetch_level(const database& db, std::vector<typename Q::node_type*>& parents, const L& load) {
    (void)db;
    (void)parents;
    (void)load;
}

""")]
variant("F_noprefetch", STUB)

# G1: add() builds the new loads tuple directly instead of through std::tuple_cat.
G1 = [("select.hpp", "std::tuple_cat(loads_, std::tuple<L>(L{std::move(nested)}))",
       "std::apply([&](const Loads&... l) { return std::tuple<Loads..., L>(l..., L{std::move(nested)}); }, loads_)")]
# G2: node::loaded is a minimal aggregate of slots instead of a std::tuple.
SLOTS = """
namespace detail {
template <std::size_t I, class T>
struct slot_leaf {
    T value{};
};
template <class Seq, class... T>
struct slots_impl;
template <std::size_t... I, class... T>
struct slots_impl<std::index_sequence<I...>, T...> : slot_leaf<I, T>... {};
template <class... T>
struct slots : slots_impl<std::index_sequence_for<T...>, T...> {};
template <std::size_t I, class T>
T& slot_get(slot_leaf<I, T>& l) noexcept { return l.value; }
template <std::size_t I, class T>
const T& slot_get(const slot_leaf<I, T>& l) noexcept { return l.value; }
}  // namespace detail

template <class T, class... Loads>
class node : public T {"""
G2 = [("graph.hpp", "\ntemplate <class T, class... Loads>\nclass node : public T {", SLOTS),
      ("graph.hpp", "std::tuple<typename Loads::storage...> loaded;", "detail::slots<typename Loads::storage...> loaded;"),
      ("graph.hpp", "auto& slot = std::get<I>(self.loaded);", "auto& slot = detail::slot_get<I>(self.loaded);")]
for old in ["std::get<I>(n.loaded)", "std::get<I>(p->loaded);", "std::get<I>(owners.back()->loaded)", "std::get<I>(owners_of[i]->front()->loaded)",
            "std::get<I>(owners.front()->loaded)", "std::get<I>(n->loaded)", "std::get<I>(owners[j]->loaded)"]:
    G2.append((L, old, old.replace("std::get<I>", "slot_get<I>")))
G2.append((L, "for (auto* p : *owners) std::get<I>(p->loaded).reserve(std::get<I>(p->loaded).size() + n);",
           "for (auto* p : *owners) slot_get<I>(p->loaded).reserve(slot_get<I>(p->loaded).size() + n);"))
variant("G1_notuplecat", G1)
variant("G2_slots", G2)

def slotify(path):
    s = open(path).read()
    out, i = [], 0
    key = "std::get<I>("
    while True:
        j = s.find(key, i)
        if j < 0:
            out.append(s[i:])
            break
        k, depth = j + len(key), 1
        while depth:
            depth += {"(": 1, ")": -1}.get(s[k], 0)
            k += 1
        inner = s[j + len(key):k - 1]
        out.append(s[i:j])
        out.append(("slot_get<I>(" if inner.endswith("loaded") else key) + inner + ")")
        i = k
    open(path, "w").write("".join(out))

variant("ABCDG", SINK + DEQUE + ERASE + NOCOPY_E + G1 + G2[:3])
slotify(os.path.join(ARGS.out, "ABCDG/include/eagerload/detail/loader.hpp"))

# H: ABCDG plus the prefetched level split into a compiled driver (declared only) and
# small typed thunks (prefetch_thin.hpp).
variant("H_thin", SINK + DEQUE + ERASE + NOCOPY_E + G1 + G2[:3])
p = os.path.join(ARGS.out, "H_thin/include/eagerload/detail/loader.hpp")
slotify(p)
s = open(p).read()
a = s.index("template <std::size_t I, class Q, class L>\nvoid prefetch_level(")
b = s.index("template <class Q>\nvoid run_loads(const database& db, std::vector<typename Q::node_type*>& nodes, const Q& q) {")
s = s[:a] + open(os.path.join(HERE, "prefetch_thin.hpp")).read() + s[b:]
open(p, "w").write(s)

# I: H_thin's loader and variants A-G, plus the query value as a typed facade over one
# untyped runtime tree (tree/select.hpp, tree/loads.hpp, tree/loader.hpp).
variant("I_tree", SINK + G2[:3])
for f in ("select.hpp", "detail/loads.hpp", "detail/loader.hpp"):
    shutil.copy(os.path.join(HERE, "tree", os.path.basename(f)), os.path.join(ARGS.out, "I_tree/include/eagerload", f))
