// expect: this relation starts from another model than this node's
// `comments` is a relation of Task, not of Project.
#include "../support/dashboard.hpp"
#include "eagerload/select.hpp"

int main() {
    using namespace dash;
    const auto q = eagerload::select<Project>().prefetch(tasks, eagerload::select<Task>().prefetch(comments));
    decltype(q)::node_type p;
    return static_cast<int>(p[comments].size());
}
