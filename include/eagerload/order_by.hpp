#pragma once
// Sort keys: order_by(desc<&Task::priority>, asc<&Task::id>).
#include <string>

#include "eagerload/model.hpp"

namespace eagerload {

namespace detail {
struct order_item {
    std::string column;
    bool descending;
};
}  // namespace detail

template <auto P, bool Descending>
    requires detail::data_member_pointer<P>
struct order_term {
    using model_type = detail::class_of<P>;
    // A std::optional member: its NULLs sort first on some backends, last on others,
    // so a keyed page (page.hpp) does not take it.
    static constexpr bool nullable = detail::column_traits<detail::member_type_of<P>>::nullable;
    detail::order_item item() const { return {detail::column_of<P>().name, Descending}; }
};

template <auto P>
inline constexpr order_term<P, false> asc{};
template <auto P>
inline constexpr order_term<P, true> desc{};

}  // namespace eagerload
