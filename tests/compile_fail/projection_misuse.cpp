// expect: column not loaded: this level was selected with .only<...>\(\) without it
// expect: column not loaded: this level was selected with .only<...>\(\) without it
// expect: column not loaded: this level was selected with .only<...>\(\) without it
// expect: has no member named .updated_at.
// expect: node\[col<...>\]: this column belongs to another model than this node's
// expect: only<...>\(\) is already applied to this query
// expect: only<...>\(\): a column is a member of another model than the one this query selects
// expect: aggregate not loaded: add .aggregate\(...\) with this aggregate
// expect: node\[aggregate\]: this aggregate is over a relation of another model than this node's
// expect: aggregate\(...\) takes agg::count\(relation\)
// expect: aggregate\(\): its relation starts from another model than the one this query selects
// expect: this aggregate is already loaded by this query
// expect: agg::sum<column>\(relation\) needs an integer or double column
// expect: agg::sum/min/max<column>\(relation\): the column is not one of the relation's target model
// expect: an aggregate's filter must filter the relation's target model
//
// Projections and aggregates misused: reading a column that was not loaded (on a loaded
// node, a joined one, a row of all(), or as a plain member), a column of another model,
// and aggregates that were not loaded or do not fit. Each gives exactly ONE message and
// the code after it compiles on.
#include "../support/dashboard.hpp"
#include "eagerload/eagerload.hpp"

using namespace dash;
using eagerload::col;
using eagerload::select;
namespace agg = eagerload::agg;

eagerload::database& db();

// Reading a column the projection did not load.
void misuse_1() {
    for (const auto& p : select<Project>().only<&Project::name>().load(db())) (void)p[col<&Project::updated_at>];
}
void misuse_2() {
    for (const auto& t : select<Task>().join(assignee, select<User>().only<&User::name>()).load(db()))
        if (t[assignee]) (void)(*t[assignee])[col<&User::email>];
}
void misuse_3() {
    for (const auto& row : select<Task>().only<&Task::title>().all(db())) (void)row[col<&Task::priority>];
}
void misuse_4() {
    for (const auto& p : select<Project>().only<&Project::name>().load(db())) (void)p.updated_at;
}
// A column of another model.
void misuse_5() {
    for (const auto& p : select<Project>().load(db())) (void)p[col<&Task::title>];
}
// only<...>() twice, or with a column of another model.
void misuse_6() { (void)select<Task>().only<&Task::title>().only<&Task::priority>(); }
void misuse_7() { (void)select<Task>().only<&Task::title, &Project::name>(); }
// Aggregates: not loaded, of another model, not an aggregate, twice, wrong column.
void misuse_8() {
    for (const auto& p : select<Project>().load(db())) (void)p[agg::count(tasks)];
}
void misuse_9() {
    for (const auto& p : select<Project>().load(db())) (void)p[agg::count(comments)];
}
void misuse_10() { (void)select<Project>().aggregate(tasks); }
void misuse_11() { (void)select<Project>().aggregate(agg::count(comments)); }
void misuse_12() { (void)select<Project>().aggregate(agg::count(tasks)).aggregate(agg::count(tasks)); }
void misuse_13() { (void)agg::sum<&Task::title>(tasks); }
void misuse_14() { (void)agg::max<&Comment::created_at>(tasks); }
void misuse_15() { (void)agg::count(tasks, col<&Comment::id> == 1); }

int main() {}
