// expect: belongs_to: the foreign key's type differs from the referenced key's type
#include "../support/dashboard.hpp"

int main() {
    constexpr auto bad = eagerload::belongs_to<&dash::Task::title, &dash::User::id>;
    (void)bad;
}
