// expect: join\(\) loads one related row per row \(belongs_to, has_one\): prefetch\(\) a has_many
// expect: a joined relation takes no where\(\): prefetch it to filter it
// expect: a joined relation takes no order_by\(\), limit\(\), offset\(\) or limit_per_parent\(\)
// expect: a joined relation takes no order_by\(\), limit\(\), offset\(\) or limit_per_parent\(\)
// expect: a joined relation takes no order_by\(\), limit\(\), offset\(\) or limit_per_parent\(\)
// expect: prefetch\(\): limit\(\)/offset\(\) on a prefetched level would cut across all parents
// expect: prefetch\(\): limit\(\)/offset\(\) on a prefetched level would cut across all parents
// expect: prefetch\(relation\): the argument is not a relation .* a column or any other value
// expect: join\(relation\): the argument is not a relation .* a column or any other value
// expect: prefetch\(relation\): the argument is not a relation
// expect: join\(\)/prefetch\(\): the first argument is not a relation
// expect: this relation starts from another model than the one this query selects
// expect: the nested query must select the relation's target model
// expect: the second argument must be a query
// expect: this relation is already loaded by this query
// expect: limit_per_parent\(\)/offset_per_parent\(\) apply to prefetched levels
// expect: limit_per_parent\(\)/offset_per_parent\(\) apply to prefetched levels
// expect: this query loads relations: call load\(db\) for the graph
// expect: relation not loaded: add .join\(relation\) or .prefetch\(relation, ...\)
// expect: this relation starts from another model than this node's
// expect: node\[...\] takes a relation value
//
// Every misuse of a query or graph that its types can see, one per function: each
// must give exactly ONE eagerload message (the test counts the compiler's errors),
// and the code after it must compile on, so no follow-on error hides the first.
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

using namespace dash;
using eagerload::asc;
using eagerload::col;
using eagerload::select;

eagerload::database& db();

// A has_many cannot be joined (it would multiply the rows).
void misuse_1() { (void)select<Project>().join(tasks).load(db()); }
// A joined relation takes no where, order, limit or per-parent window.
void misuse_2() { (void)select<Task>().join(project, select<Project>().where(col<&Project::id> == 1)); }
void misuse_3() { (void)select<Task>().join(project, select<Project>().order_by(asc<&Project::id>)); }
void misuse_4() { (void)select<Task>().join(project, select<Project>().limit(3)); }
void misuse_5() { (void)select<Task>().join(project, select<Project>().limit_per_parent(3)); }
// A prefetched level takes limit_per_parent, not limit/offset.
void misuse_6() { (void)select<Project>().prefetch(tasks, select<Task>().limit(3)); }
void misuse_7() { (void)select<Project>().prefetch(tasks, select<Task>().order_by(asc<&Task::id>).offset(3)); }
// Something that is not a relation, where a relation is expected.
void misuse_8() { (void)select<Project>().prefetch(col<&Project::name>).load(db()); }
void misuse_9() { (void)select<Project>().join(col<&Project::owner_id>).load(db()); }
void misuse_10() { (void)select<Project>().prefetch(42); }
void misuse_11() { (void)select<Project>().prefetch(col<&Project::name>, select<Task>()); }
// A relation of another model, a nested query of the wrong model, or no query.
void misuse_12() { (void)select<User>().join(owner).load(db()); }
void misuse_13() { (void)select<Project>().prefetch(tasks, select<Comment>()).load(db()); }
void misuse_14() { (void)select<Project>().prefetch(tasks, 5); }
// The same relation twice.
void misuse_15() { (void)select<Project>().prefetch(tasks).prefetch(tasks).load(db()); }
// A per-parent window on the query that is loaded (it has no parents).
void misuse_16() { (void)select<Task>().limit_per_parent(3).load(db()); }
void misuse_17() { (void)select<Task>().offset_per_parent(3).all(db()); }
// all() on a query that loads relations.
void misuse_18() { (void)select<Project>().join(owner).all(db()); }
// The graph: a relation that was not loaded, one of another model, not a relation.
void misuse_19() {
    for (const auto& p : select<Project>().join(owner).load(db())) (void)p[tasks].size();
}
void misuse_20() {
    for (const auto& p : select<Project>().prefetch(tasks, select<Task>().prefetch(comments)).load(db()))
        (void)p[comments].size();
}
void misuse_21() {
    for (const auto& p : select<Project>().join(owner).load(db())) (void)p[&Project::owner_id];  // col<...> reads it
}

int main() {}
