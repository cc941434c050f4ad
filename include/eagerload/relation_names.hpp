#pragma once
// Names relations for the tools that give advice (the N+1 detector says
// ".prefetch(tasks)", not "a has_many from projects to tasks"). Write it once, next to
// the declarations, at namespace scope in a header:
//
//   inline constexpr auto tasks = eagerload::has_many<&Task::project_id, &Project::id>;
//   inline constexpr auto owner = eagerload::belongs_to<&Project::owner_id, &User::id>;
//   EAGERLOAD_NAME_RELATIONS(tasks, owner)
//
// The names are the C++ names as written. Registration happens at static
// initialisation; one EAGERLOAD_NAME_RELATIONS per line.
#include <string>
#include <string_view>
#include <vector>

#include "eagerload/relation.hpp"

namespace eagerload {

// A relation as the tools see it: which table's column matches which.
struct relation_info {
    std::string name;  // as declared; "" when unnamed
    relation_kind kind;
    std::string owner_table, owner_column;    // the parent side
    std::string target_table, target_column;  // the rows a lookup fetches, by this column
    std::string through_table, through_owner_column;  // many_to_many: the join table, by this column
};

template <Relation R>
relation_info describe_relation(const R&, std::string name = {}) {
    using O = typename R::owner;
    using T = typename R::target;
    relation_info r{std::move(name), R::kind, detail::table_of<O>().name,
                    detail::table_of<O>().columns[detail::field_index<O, R::owner_key>].name, detail::table_of<T>().name,
                    detail::table_of<T>().columns[detail::field_index<T, R::target_key>].name, {}, {}};
    if constexpr (R::kind == relation_kind::many_to_many) {
        using J = typename R::through;
        r.through_table = detail::table_of<J>().name;
        r.through_owner_column = detail::table_of<J>().columns[detail::field_index<J, R::through_owner_key>].name;
    }
    return r;
}

// The process-wide registry the macro fills (thread-safe).
void register_relation(relation_info r);
std::vector<relation_info> registered_relations();

namespace detail {
std::vector<std::string> split_names(std::string_view names);
template <class... R>
bool name_relations(std::string_view names, const R&... relations) {
    const std::vector<std::string> n = split_names(names);
    std::size_t i = 0;
    (register_relation(describe_relation(relations, n[i++])), ...);
    return true;
}
}  // namespace detail

}  // namespace eagerload

#define EAGERLOAD_NAMES_CAT2_(a, b) a##b
#define EAGERLOAD_NAMES_CAT_(a, b) EAGERLOAD_NAMES_CAT2_(a, b)
#define EAGERLOAD_NAME_RELATIONS(...)                                                              \
    [[maybe_unused]] inline const bool EAGERLOAD_NAMES_CAT_(eagerload_relation_names_, __LINE__) = \
        ::eagerload::detail::name_relations(#__VA_ARGS__, __VA_ARGS__)
