// expect: this relation is already loaded by this query
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<dash::Project>().prefetch(dash::tasks).prefetch(dash::tasks);
    (void)q;
}
