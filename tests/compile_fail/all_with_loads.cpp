// expect: this query loads relations: call load\(db\) for the graph
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    auto db = eagerload::database::open("sqlite::memory:");
    auto rows = eagerload::select<dash::Project>().join(dash::owner).all(db);
    (void)rows;
}
