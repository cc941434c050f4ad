// expect: this type is not a model: adapt it with BOOST_HANA_ADAPT_STRUCT
#include "eagerload/select.hpp"

struct Plain {
    int id;
};

int main() {
    auto q = eagerload::select<Plain>();
    (void)q;
}
