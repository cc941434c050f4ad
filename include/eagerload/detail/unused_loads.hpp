#pragma once
// What a load hands to the unused-eager-load detector (detector.hpp, option
// unused_loads) when one is open on this thread: every relation it loaded whose owner
// level has rows, by path (projects.tasks.assignee), with this thread's read count of
// it (read_marks.hpp). select_query::load() calls note_loaded_graph() only while
// tracking_reads is set: nothing of this runs otherwise.
#include <algorithm>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "eagerload/detail/call_site.hpp"
#include "eagerload/detail/read_marks.hpp"
#include "eagerload/graph.hpp"
#include "eagerload/relation_names.hpp"

namespace eagerload::detail {

struct loaded_relation {
    std::string path;  // root table, then relation names: projects.tasks.assignee
    relation_info relation;
    bool joined = false;  // join() (else prefetch())
    const unsigned long long* reads = nullptr;  // this thread's read count of it
    unsigned long long reads_at_load = 0;
};

// src/detector.cpp: the declared name of a relation (EAGERLOAD_NAME_RELATIONS), or a
// description of it when it has none.
std::string relation_name(const relation_info& r);
// src/detector.cpp: hands the relations to the detectors with unused_loads open on this thread.
void note_loaded(std::vector<loaded_relation> loaded, const source_location& where);
// src/detector.cpp: the distinct nodes of a level (prefetched single nodes are shared),
// and one loaded relation appended to `out`, returning its path. Compiled once: the
// walk below is instantiated for every load() in a program, tracking or not, so what it
// instantiates per node type is kept to a loop over its slots.
void distinct_nodes(std::vector<const void*>& level);
const std::string& add_loaded(std::vector<loaded_relation>& out, const std::string& path, relation_info relation,
                              bool joined, const unsigned long long* reads);

template <class Node>
struct loaded_walk;

template <class T, class... Loads>
struct loaded_walk<node<T, Loads...>> {
    using N = node<T, Loads...>;

    static void run(std::vector<const void*> level, const std::string& path, std::vector<loaded_relation>& out) {
        if (level.empty()) return;  // no owner rows: nothing could have been read
        distinct_nodes(level);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (one<I>(level, path, out), ...);
        }(std::index_sequence_for<Loads...>{});
    }

private:
    template <std::size_t I>
    static void one(const std::vector<const void*>& level, const std::string& path, std::vector<loaded_relation>& out) {
        using L = std::tuple_element_t<I, std::tuple<Loads...>>;
        if constexpr (!L::aggregated) {
            std::vector<const void*> children;
            for (const void* v : level) {
                const auto& slot = slot_get<I>(static_cast<const N*>(v)->loaded);
                if constexpr (L::single) {
                    if (slot) children.push_back(&*slot);
                } else {
                    for (const auto& c : slot) children.push_back(&c);
                }
            }
            const std::string p = add_loaded(out, path, describe_relation(typename L::relation{}), !L::prefetched,
                                             &relation_reads<N, I>);
            loaded_walk<typename L::node_type>::run(std::move(children), p, out);
        }
    }
};

template <class Node>
void note_loaded_graph(const std::vector<Node>& graph, const source_location& where) {
    std::vector<const void*> level;
    level.reserve(graph.size());
    for (const Node& n : graph) level.push_back(&n);
    std::vector<loaded_relation> out;
    loaded_walk<Node>::run(std::move(level), table_of<typename Node::model_type>().name, out);
    if (!out.empty()) note_loaded(std::move(out), where);
}

}  // namespace eagerload::detail
