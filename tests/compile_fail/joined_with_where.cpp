// expect: a joined relation takes no where\(\): prefetch it to filter it
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    using eagerload::col;
    auto q = eagerload::select<dash::Task>().join(
        dash::project, eagerload::select<dash::Project>().where(col<&dash::Project::id> == 1));
    (void)q;
}
