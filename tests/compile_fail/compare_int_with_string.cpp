// expect: compared with a value of another type
// An integer column compared with text must not compile.
#include "../support/models.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<models::User>().where(eagerload::col<&models::User::id> == "42");
    (void)q;
}
