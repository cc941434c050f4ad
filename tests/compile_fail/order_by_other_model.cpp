// expect: order_by\(\): a sort key is a column of another model
#include "../support/models.hpp"
#include "eagerload/select.hpp"

int main() {
    auto q = eagerload::select<models::User>().order_by(eagerload::desc<&models::Task::id>);
    (void)q;
}
