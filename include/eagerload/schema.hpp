#pragma once
// Schema helpers for tests, examples and benchmarks (rows: eagerload/insert.hpp):
//
//   eagerload::create_table<User>(db);          // CREATE TABLE from the declaration
//   eagerload::create_table<Task>(db, project); // ... with FOREIGN KEY for belongs_to relations
//   eagerload::create_index(db, "tasks_by_project", asc<&Task::project_id>);
//   eagerload::drop_table<User>(db);            // DROP TABLE IF EXISTS
//
// Types map per dialect (BIGINT, TEXT, TIMESTAMP, ...); non-optional members are NOT
// NULL; the key is the PRIMARY KEY.
#include <string_view>
#include <string>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/model.hpp"
#include "eagerload/order_by.hpp"
#include "eagerload/relation.hpp"

namespace eagerload {

namespace detail {

// FOREIGN KEY (column) REFERENCES table (target_column)
struct foreign_key {
    std::string column;
    const table_info* target;
    std::string target_column;
};

std::string render_create_table(const table_info& t, dialect d, const std::vector<foreign_key>& fks = {});
std::string render_drop_table(const table_info& t, dialect d);
std::string render_create_index(const table_info& t, dialect d, std::string_view name, bool unique,
                                const std::vector<order_item>& columns);

}  // namespace detail

// Creates T's table; each belongs_to relation given adds its FOREIGN KEY constraint:
//   create_table<Task>(db, project, assignee);
template <class T, class... BelongsTo>
void create_table(const database& db, BelongsTo...) {
    static_assert(((BelongsTo::kind == relation_kind::belongs_to) && ...),
                  "eagerload: create_table<T>(db, relations...): only belongs_to relations add foreign keys");
    static_assert((std::is_same_v<typename BelongsTo::owner, T> && ...),
                  "eagerload: create_table<T>(db, relations...): a relation's foreign key is not a member of T");
    const std::vector<detail::foreign_key> fks{
        detail::foreign_key{detail::column_of<BelongsTo::owner_key>().name,
                            &detail::table_of<typename BelongsTo::target>(),
                            detail::column_of<BelongsTo::target_key>().name}...};
    detail::execute(db, detail::render_create_table(detail::table_of<T>(), db.sql_dialect(), fks));
}

// CREATE [UNIQUE] INDEX name ON table (columns...), columns as asc<...>/desc<...>:
//   create_index(db, "tasks_by_project", asc<&Task::project_id>, desc<&Task::priority>);
template <class First, class... Rest>
void create_index(const database& db, std::string_view name, First first, Rest... rest) {
    static_assert((std::is_same_v<typename First::model_type, typename Rest::model_type> && ...),
                  "eagerload: create_index(): every column must belong to the same model");
    detail::execute(db, detail::render_create_index(detail::table_of<typename First::model_type>(), db.sql_dialect(), name, false,
                                                    {first.item(), rest.item()...}));
}
template <class First, class... Rest>
void create_unique_index(const database& db, std::string_view name, First first, Rest... rest) {
    static_assert((std::is_same_v<typename First::model_type, typename Rest::model_type> && ...),
                  "eagerload: create_unique_index(): every column must belong to the same model");
    detail::execute(db, detail::render_create_index(detail::table_of<typename First::model_type>(), db.sql_dialect(), name, true,
                                                    {first.item(), rest.item()...}));
}

template <class T>
void drop_table(const database& db) {
    detail::execute(db, detail::render_drop_table(detail::table_of<T>(), db.sql_dialect()));
}

}  // namespace eagerload
