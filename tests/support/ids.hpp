#pragma once
// The `id` members of a range of rows or nodes, in order: what graph tests compare.
#include <cstdint>
#include <vector>

namespace eagerload_test {

template <class Range>
std::vector<std::int64_t> ids(const Range& r) {
    std::vector<std::int64_t> out;
    for (const auto& x : r) out.push_back(x.id);
    return out;
}

}  // namespace eagerload_test
