#pragma once
// C++ enums as columns: declare, beside the model, the value each enumerator is stored
// as. A fetched value that is not in the list is a conversion_error naming table,
// column, key and the value; writing an enumerator that is not listed throws
// std::invalid_argument.
//
// Stored as text (TEXT, VARCHAR, a PostgreSQL enum type, a MariaDB ENUM):
//   enum class Status { open, shipped, cancelled };
//   template <> struct eagerload::enum_values<Status> {
//       static constexpr std::array values{std::pair{Status::open, "open"}, std::pair{Status::shipped, "shipped"},
//                                          std::pair{Status::cancelled, "cancelled"}};
//   };
//
// Stored as its underlying integer (SMALLINT for a 1- or 2-byte underlying type,
// INTEGER for 4 bytes, BIGINT for 8):
//   enum class Priority : std::int16_t { low = 1, normal = 5, high = 9 };
//   template <> struct eagerload::enum_values<Priority> {
//       static constexpr std::array values{Priority::low, Priority::normal, Priority::high};
//   };
#include <array>    // IWYU pragma: export
#include <utility>  // IWYU pragma: export

namespace eagerload {

// Specialize with `static constexpr std::array values` (see above); the primary
// template has none, so an enum without a declaration is not a column type.
template <class E>
struct enum_values {};

}  // namespace eagerload
