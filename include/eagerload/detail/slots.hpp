#pragma once
// Members reached by a compile-time index: what a node's loaded relations and a
// projected row's stored columns (projection.hpp) are kept in. Cheaper to instantiate
// than std::tuple (no converting constructors, no recursion), which every node type of
// every query would otherwise instantiate.
#include <cstddef>
#include <utility>

namespace eagerload::detail {

template <std::size_t I, class T>
struct slot_leaf {
    T value{};
};
template <class Seq, class... T>
struct slots_of;
template <std::size_t... I, class... T>
struct slots_of<std::index_sequence<I...>, T...> : slot_leaf<I, T>... {};
template <class... T>
using slots = slots_of<std::index_sequence_for<T...>, T...>;
template <std::size_t I, class T>
T& slot_get(slot_leaf<I, T>& s) noexcept {
    return s.value;
}
template <std::size_t I, class T>
const T& slot_get(const slot_leaf<I, T>& s) noexcept {
    return s.value;
}

}  // namespace eagerload::detail
