// Queries that load the same shape with other orders or limits on their nested levels
// have the same node type (the values live in the query's runtime tree, not in its
// type: detail/level_spec.hpp, query_tree), and each load still uses its own values.
#include <type_traits>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/ids.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/testing.hpp"

using namespace eagerload;
using namespace dash;

namespace {

using eagerload_test::ids;
using V = std::vector<std::int64_t>;

auto by_priority() {
    return select<Project>()
        .order_by(asc<&Project::id>)
        .prefetch(tasks, select<Task>().order_by(desc<&Task::priority>, asc<&Task::id>).join(assignee));
}
auto first_task() {
    return select<Project>()
        .order_by(asc<&Project::id>)
        .limit(2)
        .prefetch(tasks, select<Task>().order_by(asc<&Task::id>).limit_per_parent(1).join(assignee));
}

// The nested queries' orders and limits are not part of the node type ...
static_assert(std::is_same_v<decltype(by_priority())::node_type, decltype(first_task())::node_type>);
// ... a nested filter is (a filtered single relation may be absent), and so is the shape.
static_assert(!std::is_same_v<decltype(select<Task>().prefetch(project))::node_type,
                              decltype(select<Task>().prefetch(project, select<Project>().where(
                                                                            col<&Project::name> != "x")))::node_type>);
static_assert(!std::is_same_v<decltype(by_priority())::node_type,
                              decltype(select<Project>().prefetch(tasks))::node_type>);

}  // namespace

EAGERLOAD_TEST("queries of one node type load with their own nested orders and limits") {
    create_schema(db);
    insert(db, small_dataset());
    std::vector<decltype(by_priority())::node_type> a, b;
    EAGERLOAD_CHECK_STATEMENTS(db, 2) { a = by_priority().load(db); }
    EAGERLOAD_CHECK_STATEMENTS(db, 2) { b = first_task().load(db); }
    REQUIRE(a.size() == 3);
    REQUIRE(b.size() == 2);
    CHECK(ids(a[0][tasks]) == V{101, 102, 100});
    CHECK(ids(a[1][tasks]) == V{103, 104});
    CHECK(ids(b[0][tasks]) == V{100});
    CHECK(ids(b[1][tasks]) == V{103});
    CHECK(b[1][tasks][0][assignee]->name == a[1][tasks][0][assignee]->name);
    // plan() renders each query's own values from the same types
    CHECK(by_priority().plan(dialect::sqlite).statements[1] != first_task().plan(dialect::sqlite).statements[1]);
}
