// expect: relation not loaded: add .join\(relation\) or .prefetch\(relation, ...\)
// Touching a relation the query did not load does not compile.
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    using namespace dash;
    const auto q = eagerload::select<Project>().join(owner);
    decltype(q)::node_type p;
    return static_cast<int>(p[tasks].size());
}
