// expect: this relation starts from another model than the one this query selects
// `owner` is a relation of Project; a query over users cannot load it.
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<dash::User>().join(dash::owner);
    (void)q;
}
