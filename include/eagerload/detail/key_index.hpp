#pragma once
// A level's parent keys, deduplicated in first-seen order, each numbered as a group:
// the list parameter of the level's statement is keys(), and each fetched child finds
// its parents' group with find(). Open addressing over flat vectors: no allocation per
// key, compiled once per key kind (src/assemble.cpp), not once per query.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace eagerload::detail {

inline constexpr std::uint32_t no_group = static_cast<std::uint32_t>(-1);

// K: long long (every integer key) or std::string_view (text keys; the viewed strings
// must outlive the index: they are the parents' own members).
template <class K>
class key_index {
public:
    explicit key_index(std::size_t expected_keys);
    // The group of `k`, a new one if `k` was not seen before.
    std::uint32_t insert(K k);
    // The group of `k`, or no_group.
    std::uint32_t find(K k) const noexcept;
    std::span<const K> keys() const noexcept { return keys_; }
    std::size_t size() const noexcept { return keys_.size(); }

private:
    void grow();
    std::vector<K> keys_;               // group -> key
    std::vector<std::uint32_t> slots_;  // hash slot -> group + 1; 0 = empty
    std::size_t mask_ = 0;
};

extern template class key_index<long long>;
extern template class key_index<std::string_view>;

// Where a level's children go: for each group, how many children, and the first
// parent holding that key (the others with the same key get copies).
struct placement {
    std::vector<std::uint32_t> children_per_group;
    std::vector<std::size_t> first_parent;  // per group; npos when no parent (not reached)
    bool shared_keys = false;               // some key is held by several parents

    placement(std::span<const std::uint32_t> parent_group, std::span<const std::uint32_t> child_group,
              std::size_t groups);
};

}  // namespace eagerload::detail
