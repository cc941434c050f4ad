#pragma once
// What a load hands to the unused-eager-load detector (detector.hpp, option
// unused_loads) when one is open on this thread: its graph, walked in compiled code
// (src/detector.cpp) along the query's runtime tree, which names each relation and
// aggregate. The only typed part is a constant table per node type: for each load, the
// identity a read of it records (read_marks.hpp) and where its child nodes are. A read
// is then credited to the load that returned the node read. select_query::load() calls
// note_loaded_graph() only while tracking_reads is set: nothing of this runs otherwise.
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

#include "eagerload/detail/call_site.hpp"
#include "eagerload/detail/level_spec.hpp"
#include "eagerload/detail/read_marks.hpp"
#include "eagerload/graph.hpp"

namespace eagerload::detail {

struct node_walk;
// One load of a node type (in query order, as the tree's loads).
struct slot_walk {
    struct nodes {
        const void* first;  // the child nodes: first, first + stride, ...
        std::size_t count;
    };
    const void* id;                      // relation_id<Node, I>
    nodes (*children)(const void* node);  // null for an aggregate
    std::size_t stride;                   // sizeof the child node
    const node_walk* child;               // null for an aggregate
};
struct node_walk {
    const slot_walk* slots;  // one per load; null when there is none
};

template <class Node>
struct walk_of;
template <class Node>
struct walk_parts;

template <class T, class... Loads>
struct walk_parts<node<T, Loads...>> {
    using N = node<T, Loads...>;
    static constexpr std::size_t count = sizeof...(Loads);

    template <std::size_t I>
    static slot_walk::nodes children(const void* n) {
        using L = std::tuple_element_t<I, std::tuple<Loads...>>;
        const auto& slot = slot_get<I>(static_cast<const N*>(n)->loaded);
        if constexpr (L::single) {
            if (slot) return {&*slot, 1};
            return {nullptr, 0};
        } else {
            return {slot.data(), slot.size()};
        }
    }

    template <std::size_t I>
    static constexpr slot_walk one() {
        using L = std::tuple_element_t<I, std::tuple<Loads...>>;
        if constexpr (L::aggregated)
            return {&relation_id<N, I>, nullptr, 0, nullptr};
        else
            return {&relation_id<N, I>, &children<I>, sizeof(typename L::node_type),
                    &walk_of<typename L::node_type>::value};
    }

    template <std::size_t... I>
    static constexpr std::array<slot_walk, sizeof...(I) + 1> table(std::index_sequence<I...>) {
        return {one<I>()..., slot_walk{}};
    }
};

template <class Node>
struct walk_of {
    static constexpr auto slots =
        walk_parts<Node>::table(std::make_index_sequence<walk_parts<Node>::count>{});
    static constexpr node_walk value{slots.size() == 1 ? nullptr : slots.data()};
};

// src/detector.cpp: registers every relation and aggregate the load returned with the
// detectors with unused_loads open on this thread (`tree` names them, `walk` finds the
// nodes; the root nodes are first, first + stride, ...).
void note_loaded(const query_tree& tree, const node_walk& walk, const void* first, std::size_t count,
                 std::size_t stride, const source_location& where);

template <class Node>
void note_loaded_graph(const query_tree& tree, const std::vector<Node>& graph, const source_location& where) {
    note_loaded(tree, walk_of<Node>::value, graph.data(), graph.size(), sizeof(Node), where);
}

}  // namespace eagerload::detail
