#pragma once
// What a load hands to the unused-eager-load detector (detector.hpp, option
// unused_loads) when one is open on this thread: every relation and aggregate it loaded
// whose owner level has rows, by path (projects.tasks.assignee), with the owner nodes
// it was loaded on, so that a read (read_marks.hpp) is credited to the load that
// returned the node read. select_query::load() calls note_loaded_graph() only while
// tracking_reads is set: nothing of this runs otherwise.
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

enum class load_kind { joined, prefetched, aggregated };

struct loaded_relation {
    std::string path;      // root table, then relation names: projects.tasks.assignee, projects.count(tasks)
    std::string relation;  // the last step of the path: assignee, count(tasks)
    std::string owner_table;
    load_kind kind = load_kind::prefetched;
    const void* id = nullptr;             // relation_id<Node, I>: what a read of it records
    std::vector<const void*> owners;      // the distinct owner nodes it was loaded on, sorted
    std::size_t reads_before = 0;         // reads_recorded() when it was loaded
};

// src/detector.cpp: hands the relations to the detectors with unused_loads open on this thread.
void note_loaded(std::vector<loaded_relation> loaded, const source_location& where);
// src/detector.cpp: the distinct nodes of a level (prefetched single nodes are shared),
// and one loaded relation (or aggregate: `function` and `column` set) appended to
// `out`, returning its path. Compiled once: the walk below is instantiated for every
// load() in a program, tracking or not, so what it instantiates per node type is kept
// to a loop over its slots.
void distinct_nodes(std::vector<const void*>& level);
const std::string& add_loaded(std::vector<loaded_relation>& out, const std::string& path, const relation_info& relation,
                              load_kind kind, const void* id, const std::vector<const void*>& owners,
                              const char* function = nullptr, const std::string& column = {});

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
        if constexpr (L::aggregated) {
            using A = typename L::relation;
            add_loaded(out, path, describe_relation(typename A::relation{}), load_kind::aggregated, &relation_id<N, I>,
                       level, aggregate_fn_name(A::function), A::column_name());
        } else {
            std::vector<const void*> children;
            for (const void* v : level) {
                const auto& slot = slot_get<I>(static_cast<const N*>(v)->loaded);
                if constexpr (L::single) {
                    if (slot) children.push_back(&*slot);
                } else {
                    for (const auto& c : slot) children.push_back(&c);
                }
            }
            const std::string p = add_loaded(out, path, describe_relation(typename L::relation{}),
                                             L::prefetched ? load_kind::prefetched : load_kind::joined,
                                             &relation_id<N, I>, level);
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
