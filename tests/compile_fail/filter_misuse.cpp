// expect: compared with a value of another type
// expect: compared with a value of another type
// expect: in\(\): the list's element type does not match the column's type
// expect: is_null\(\)/is_not_null\(\) on a column whose member is not std::optional
// expect: where\(\): the condition filters another model than the one this query selects
// expect: order_by\(\): a sort key is a column of another model
//
// Filters and sort keys checked against the model, one misuse per function: exactly
// one error each (the test counts them).
#include <string>
#include <vector>

#include "../support/models.hpp"
#include "eagerload/select.hpp"

using eagerload::col;
using eagerload::select;
using models::Task;
using models::User;

void misuse_1() { (void)select<User>().where(col<&User::id> == "42"); }    // integer column, text value
void misuse_2() { (void)select<User>().where(col<&User::name> == 5); }     // text column, integer value
void misuse_3() {
    const std::vector<std::string> names{"a"};
    (void)col<&User::id>.in(names);
}
void misuse_4() { (void)col<&User::name>.is_null(); }                       // not std::optional
void misuse_5() { (void)select<User>().where(col<&Task::id> == 1); }
void misuse_6() { (void)select<User>().order_by(eagerload::desc<&Task::id>); }

int main() {}
