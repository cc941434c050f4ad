// expect: this type has no table declaration: specialize eagerload::model<Type>
#include <cstdint>

#include "eagerload/select.hpp"

struct Adapted {
    std::int64_t id;
};
BOOST_HANA_ADAPT_STRUCT(Adapted, id);

int main() {
    auto q = eagerload::select<Adapted>();
    (void)q;
}
