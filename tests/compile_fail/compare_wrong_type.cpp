// expect: compared with a value of another type
// A text column compared with an integer must not compile.
#include "../support/models.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<models::User>().where(eagerload::col<&models::User::name> == 5);
    (void)q;
}
