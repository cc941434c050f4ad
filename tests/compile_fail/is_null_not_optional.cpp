// expect: is_null\(\)/is_not_null\(\) on a column whose member is not std::optional
#include "../support/models.hpp"
#include "eagerload/select.hpp"

int main() {
    auto c = eagerload::col<&models::User::name>.is_null();
    (void)c;
}
