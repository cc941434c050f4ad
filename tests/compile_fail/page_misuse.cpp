// expect: page\(\): an order_by\(\) key is a std::optional member
// expect: page\(\): a keyed page sets its own limit
// expect: page\(\): a keyed page sets its own limit
//
// Keyed pages (page.hpp) refused at compile time, one misuse per function: exactly one
// error each (the test counts them).
#include "../support/models.hpp"
#include "eagerload/select.hpp"

using eagerload::asc;
using eagerload::select;
using models::Task;

// NULLs sort first on some databases and last on others.
void misuse_1(const eagerload::database& db) { (void)select<Task>().order_by(asc<&Task::assignee_id>).page(db, 5); }
// The page sets the limit itself.
void misuse_2(const eagerload::database& db) { (void)select<Task>().limit(5).page(db, 5); }
void misuse_3(const eagerload::database& db, const models::User& u) { (void)select<models::User>().offset(5).page_after(db, 5, u); }
