// expect: the foreign key's member type differs from the referenced key's member type
// also: foreign_key_type_matches_key_type\(\) \[with ForeignKey = std::.*basic_string<char>; ReferencedKey = long int\]
// The message names both types (in GCC's "[with ...]" line), and using the bad
// relation afterwards adds no further error.
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

constexpr auto bad = eagerload::belongs_to<&dash::Task::title, &dash::User::id>;

int main() {
    auto q = eagerload::select<dash::Task>().join(bad);
    (void)q;
}
