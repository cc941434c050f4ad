// expect: a member of this model has an unsupported type
#include <cstdint>
#include <vector>

#include "eagerload/select.hpp"

struct Odd {
    std::int64_t id;
    std::vector<int> list;
};
BOOST_HANA_ADAPT_STRUCT(Odd, id, list);
template <>
struct eagerload::model<Odd> {
    static constexpr std::string_view table = "odd";
    static constexpr auto key = &Odd::id;
};

int main() { return static_cast<int>(eagerload::select<Odd>().spec().table->columns.size()); }
