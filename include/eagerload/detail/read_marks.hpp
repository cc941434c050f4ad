#pragma once
// The read hook of the unused-eager-load detector (detector.hpp, option unused_loads):
// node[relation] calls note_read<Node, I>(), which counts the read when a detector
// with unused_loads is open on this thread, and otherwise costs one test of a
// thread-local flag (compiled out with EAGERLOAD_NO_READ_HOOK, which
// benchmarks/read_hook.cpp uses to measure it). Reads are counted per node type and
// relation, not per node: that is the granularity of the findings (docs/testing.md).
#include <cstddef>

namespace eagerload::detail {

// Detectors with unused_loads open on this thread.
inline thread_local unsigned tracking_reads = 0;

// Reads of relation I of nodes of type Node on this thread while tracking.
template <class Node, std::size_t I>
inline thread_local unsigned long long relation_reads = 0;

template <class Node, std::size_t I>
inline void note_read() noexcept {
#ifndef EAGERLOAD_NO_READ_HOOK
    if (tracking_reads != 0) [[unlikely]]
        ++relation_reads<Node, I>;
#endif
}

}  // namespace eagerload::detail
