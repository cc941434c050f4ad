// expect: a member of this model has an unsupported type
// expect: a member of this model has an unsupported type
// expect: compared with a value of another type
//
// Enums as columns need one well-formed eagerload::enum_values<E> declaration: one
// error each (the test counts them).
#include <cstdint>

#include "eagerload/select.hpp"

enum class Undeclared { a, b };
enum class Twice { a, b };
enum class Status { open, closed };
template <>
struct eagerload::enum_values<Twice> {
    static constexpr std::array values{std::pair{Twice::a, "x"}, std::pair{Twice::b, "x"}};  // one text twice
};
template <>
struct eagerload::enum_values<Status> {
    static constexpr std::array values{std::pair{Status::open, "open"}, std::pair{Status::closed, "closed"}};
};

struct A {
    std::int64_t id;
    Undeclared u;
};
struct B {
    std::int64_t id;
    Twice t;
};
struct C {
    std::int64_t id;
    Status s;
};
BOOST_HANA_ADAPT_STRUCT(A, id, u);
BOOST_HANA_ADAPT_STRUCT(B, id, t);
BOOST_HANA_ADAPT_STRUCT(C, id, s);
template <>
struct eagerload::model<A> {
    static constexpr std::string_view table = "a";
    static constexpr auto key = &A::id;
};
template <>
struct eagerload::model<B> {
    static constexpr std::string_view table = "b";
    static constexpr auto key = &B::id;
};
template <>
struct eagerload::model<C> {
    static constexpr std::string_view table = "c";
    static constexpr auto key = &C::id;
};

void misuse_1() { (void)eagerload::select<A>(); }
void misuse_2() { (void)eagerload::select<B>(); }
void misuse_3() { (void)(eagerload::col<&C::s> == "open"); }  // an enum compares with its enumerators

int main() {}
