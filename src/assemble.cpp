// The untyped half of assembling a level: grouping parents by key and counting each
// group's children. Compiled once here instead of once per query type.
#include <functional>

#include "eagerload/detail/key_index.hpp"
#include "eagerload/detail/value.hpp"

namespace eagerload::detail {
namespace {

std::size_t hash_key(long long k) noexcept {
    // splitmix64's finaliser: consecutive ids spread over the table.
    auto x = static_cast<std::uint64_t>(k);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<std::size_t>(x ^ (x >> 31));
}
std::size_t hash_key(std::string_view k) noexcept { return std::hash<std::string_view>{}(k); }

std::size_t capacity_for(std::size_t keys) {
    std::size_t c = 16;
    while (c < keys * 2) c *= 2;  // load factor at most 1/2
    return c;
}

}  // namespace

template <class K>
key_index<K>::key_index(std::size_t expected_keys) {
    keys_.reserve(expected_keys);
    slots_.assign(capacity_for(expected_keys), 0);
    mask_ = slots_.size() - 1;
}

template <class K>
void key_index<K>::grow() {
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (std::uint32_t g = 0; g < keys_.size(); ++g) {
        std::size_t i = hash_key(keys_[g]) & mask_;
        while (slots_[i] != 0) i = (i + 1) & mask_;
        slots_[i] = g + 1;
    }
}

template <class K>
std::uint32_t key_index<K>::insert(K k) {
    if ((keys_.size() + 1) * 2 > slots_.size()) grow();
    std::size_t i = hash_key(k) & mask_;
    while (slots_[i] != 0) {
        if (keys_[slots_[i] - 1] == k) return slots_[i] - 1;
        i = (i + 1) & mask_;
    }
    keys_.push_back(k);
    slots_[i] = static_cast<std::uint32_t>(keys_.size());
    return slots_[i] - 1;
}

template <class K>
std::uint32_t key_index<K>::find(K k) const noexcept {
    std::size_t i = hash_key(k) & mask_;
    while (slots_[i] != 0) {
        if (keys_[slots_[i] - 1] == k) return slots_[i] - 1;
        i = (i + 1) & mask_;
    }
    return no_group;
}

template class key_index<long long>;
template class key_index<std::string_view>;

placement::placement(std::span<const std::uint32_t> parent_group, std::span<const std::uint32_t> child_group,
                     std::size_t groups)
    : children_per_group(groups, 0), first_parent(groups, npos) {
    for (std::uint32_t g : child_group) ++children_per_group[g];
    for (std::size_t p = 0; p < parent_group.size(); ++p) {
        const std::uint32_t g = parent_group[p];
        if (g == no_group) continue;
        if (first_parent[g] == npos) first_parent[g] = p;
        else shared_keys = true;
    }
}

}  // namespace eagerload::detail
