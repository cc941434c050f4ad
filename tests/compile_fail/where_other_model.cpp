// expect: where\(\): the condition filters another model than the one this query selects
#include "../support/models.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<models::User>().where(eagerload::col<&models::Task::id> == 1);
    (void)q;
}
