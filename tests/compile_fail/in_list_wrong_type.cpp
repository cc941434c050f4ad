// expect: in\(\): the list's element type does not match the column's type
#include <string>
#include <vector>

#include "../support/models.hpp"
#include "eagerload/select.hpp"

int main() {
    std::vector<std::string> names{"a"};
    auto c = eagerload::col<&models::User::id>.in(names);
    (void)c;
}
