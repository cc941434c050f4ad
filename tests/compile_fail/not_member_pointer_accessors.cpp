// expect: this type's Hana accessors are not member pointers: adapt it with BOOST_HANA_ADAPT_STRUCT
// A type adapted with accessor functions (BOOST_HANA_ADAPT_ADT) is refused up front, by
// the shape of its accessors, with no dependency on Hana's internal names.
#include <boost/hana/adapt_adt.hpp>

#include <cstdint>

#include "eagerload/select.hpp"

struct Boxed {
    std::int64_t id_;
    std::int64_t id() const { return id_; }
};
BOOST_HANA_ADAPT_ADT(Boxed, (id, [](const auto& b) { return b.id(); }));

int main() {
    auto q = eagerload::select<Boxed>();
    (void)q;
}
