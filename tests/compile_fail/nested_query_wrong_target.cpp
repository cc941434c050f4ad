// expect: the nested query must select the relation's target model
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<dash::Project>().prefetch(dash::tasks, eagerload::select<dash::Comment>());
    (void)q;
}
