#pragma once
// The read hook of the unused-eager-load detector (detector.hpp, option unused_loads):
// node[relation] and node[aggregate] call note_read<Node, I>(&node), which records
// (node, relation) on this thread when a detector with unused_loads is open here, and
// otherwise costs one test of a thread-local flag (compiled out with
// EAGERLOAD_NO_READ_HOOK, which benchmarks/read_hook.cpp uses to measure it). The
// detector credits a read to the load that returned that node (docs/testing.md).
#include <cstddef>

namespace eagerload::detail {

// Detectors with unused_loads open on this thread.
inline thread_local unsigned tracking_reads = 0;

// The identity of load I of node type Node: this variable's address (one per program).
template <class Node, std::size_t I>
inline constexpr char relation_id = 0;

// src/detector.cpp: records a read of `relation` on `node` on this thread; reads_recorded()
// is how many are held (a repeat of the last one is not recorded again).
void record_read(const void* node, const void* relation) noexcept;
std::size_t reads_recorded() noexcept;

template <class Node, std::size_t I>
inline void note_read([[maybe_unused]] const void* node) noexcept {
#ifndef EAGERLOAD_NO_READ_HOOK
    if (tracking_reads != 0) [[unlikely]]
        record_read(node, &relation_id<Node, I>);
#endif
}

}  // namespace eagerload::detail
