// expect: join\(\) loads one related row per row \(belongs_to, has_one\): prefetch\(\) a has_many
// Joining a has_many would multiply the parent rows: it must be prefetched.
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<dash::Project>().join(dash::tasks);
    (void)q;
}
