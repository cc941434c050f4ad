// Parent rows that repeat a primary key (a table that does not enforce its key) cannot
// be told apart: a prefetch over them is an error naming table and column, not a graph
// with children under the wrong parent. (Rows that legitimately repeat, joined parents,
// get copies: see "a joined relation's own prefetch runs over the joined rows".)
#include <cstdint>
#include <string>

#include "../support/backend.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

namespace repeated {
struct Box {
    std::int64_t id;
    std::string label;
};
struct Item {
    std::int64_t id;
    std::int64_t box_id;
};
}  // namespace repeated
BOOST_HANA_ADAPT_STRUCT(repeated::Box, id, label);
BOOST_HANA_ADAPT_STRUCT(repeated::Item, id, box_id);
template <>
struct eagerload::model<repeated::Box> {
    static constexpr std::string_view table = "boxes";
    static constexpr auto key = &repeated::Box::id;
};
template <>
struct eagerload::model<repeated::Item> {
    static constexpr std::string_view table = "items";
    static constexpr auto key = &repeated::Item::id;
};

using namespace eagerload;
using namespace repeated;

EAGERLOAD_TEST("parents repeating a primary key are an error naming table and column") {
    constexpr auto items = has_many<&Item::box_id, &Box::id>;
    detail::execute(db, "CREATE TABLE boxes (id BIGINT NOT NULL, label TEXT NOT NULL)");  // no PRIMARY KEY
    detail::execute(db, "INSERT INTO boxes (id, label) VALUES (1, 'a'), (1, 'b'), (2, 'c')");
    create_table<Item>(db);
    insert(db, Item{10, 1});
    CHECK_THROWS_WITH_AS(select<Box>().prefetch(items).load(db),
                         doctest::Contains("two rows of \"boxes\" have the same id"), error);
    CHECK(select<Box>().where(col<&Box::id> == 2).prefetch(items).load(db).size() == 1);  // distinct: fine
}
